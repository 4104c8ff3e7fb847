import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { GITOPS_FOLDER, gitOpsManifests, writeGitOps } from '../../lib/fleet/gitops';

describe('gitOpsManifests', () => {
  test('GIVEN a repository THEN the ApplicationSet generates one Application per site folder and Fleet scans the same path', () => {
    const { applicationSet, gitRepo } = gitOpsManifests('./dist/', {
      repoURL: 'https://git.corp/fleet.git',
      revision: 'prod',
    });
    expect(applicationSet).toMatchObject({
      kind: 'ApplicationSet',
      spec: {
        generators: [
          {
            git: {
              repoURL: 'https://git.corp/fleet.git',
              revision: 'prod',
              directories: [
                { path: 'dist/*' },
                { path: 'dist/_gitops', exclude: true },
                { path: 'dist/_report', exclude: true },
                { path: 'dist/_preflight', exclude: true },
              ],
            },
          },
        ],
        template: {
          spec: {
            source: { path: '{{.path.path}}', targetRevision: 'prod' },
            destination: { namespace: 'site-{{.path.basename}}' },
          },
        },
      },
    });
    expect(gitOpsManifests('/elsewhere/out').gitRepo).toMatchObject({ spec: { paths: ['out'] } });
    expect(gitRepo).toMatchObject({
      kind: 'GitRepo',
      spec: { repo: 'https://git.corp/fleet.git', branch: 'prod', paths: ['dist'] },
    });
  });
});

describe('writeGitOps', () => {
  test('GIVEN a staging folder THEN _gitops/ holds the two manifests and a .fleetignore, and the bytes are counted', () => {
    const staging = mkdtempSync(join(tmpdir(), 'gitops-'));
    const bytes = writeGitOps(staging, '/srv/fleet/out', { repoURL: 'https://git.corp/fleet.git' });
    const dir = join(staging, GITOPS_FOLDER);
    expect(readdirSync(dir).sort()).toEqual(['.fleetignore', 'applicationset.yaml', 'gitrepo.yaml']);
    expect(readFileSync(join(dir, '.fleetignore'), 'utf8')).toBe('*\n');
    const files = ['applicationset.yaml', 'gitrepo.yaml', '.fleetignore'].map((f) => readFileSync(join(dir, f)));
    expect(bytes).toBe(files.reduce((n, b) => n + b.length, 0));
    expect(parse(files[1].toString())).toMatchObject({ kind: 'GitRepo', spec: { paths: ['out'], branch: 'main' } });
  });
});
