import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';
import { stringifyManifest } from '../core/yaml-writer';
import { PREFLIGHT_FOLDER } from '../report/report-writer';
import { REPORT_FOLDER } from './fleet-report';

/** Folder (not a DNS label, so never a site) with the GitOps engine examples. */
export const GITOPS_FOLDER = '_gitops';

/** Where the GitOps engine finds the synthesized folders. */
export interface GitOpsOptions {
  /** Repository URL. */
  readonly repoURL: string;
  /**
   * Branch or tag.
   * @default 'main'
   */
  readonly revision?: string;
  /**
   * Path of the output folder inside the repository.
   * @default - the outdir relative to the working folder (its base name when it lies outside)
   */
  readonly path?: string;
}

/**
 * The GitOps engine examples over the site folders: an Argo CD ApplicationSet with a git
 * directory generator (one Application per site folder, in namespace `site-<name>`) and a Fleet
 * GitRepo (each folder's `fleet.yaml` makes it a bundle). Apply one of them to the management
 * cluster(s); adjust the destination and targets to your topology.
 */
export function gitOpsManifests(
  outdirPath: string,
  gitops?: GitOpsOptions,
): { applicationSet: object; gitRepo: object } {
  const repoURL = gitops?.repoURL ?? 'https://git.example.com/fleet.git';
  const revision = gitops?.revision ?? 'main';
  const fromCwd = relative(process.cwd(), outdirPath);
  const defaultPath = isAbsolute(fromCwd) || fromCwd.startsWith('..') ? basename(outdirPath) : fromCwd;
  const path = (gitops?.path ?? defaultPath).replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/$/, '');
  // An output at the root of the repository: its folders are the top-level ones.
  const prefix = path === '' || path === '.' ? '' : `${path}/`;
  const applicationSet = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'baremetal-sites', namespace: 'argocd' },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [
        {
          git: {
            repoURL,
            revision,
            directories: [
              { path: `${prefix}*` },
              ...[GITOPS_FOLDER, REPORT_FOLDER, PREFLIGHT_FOLDER].map((f) => ({
                path: `${prefix}${f}`,
                exclude: true,
              })),
            ],
          },
        },
      ],
      template: {
        metadata: { name: '{{.path.basename}}', labels: { 'cdk8s-baremetal/site': '{{.path.basename}}' } },
        spec: {
          project: 'default',
          source: { repoURL, targetRevision: revision, path: '{{.path.path}}' },
          destination: { server: 'https://kubernetes.default.svc', namespace: 'site-{{.path.basename}}' },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
        },
      },
    },
  };
  const gitRepo = {
    apiVersion: 'fleet.cattle.io/v1alpha1',
    kind: 'GitRepo',
    metadata: { name: 'baremetal-sites', namespace: 'fleet-local' },
    spec: { repo: repoURL, branch: revision, paths: [prefix === '' ? '.' : path] },
  };
  return { applicationSet, gitRepo };
}

/** Writes `_gitops/` into the staging folder; returns the bytes written. */
export function writeGitOps(staging: string, outdir: string, gitops: GitOpsOptions | undefined): number {
  const dir = join(staging, GITOPS_FOLDER);
  mkdirSync(dir, { recursive: true });
  const { applicationSet, gitRepo } = gitOpsManifests(outdir, gitops);
  const files: [string, string][] = [
    ['applicationset.yaml', stringifyManifest(applicationSet)],
    ['gitrepo.yaml', stringifyManifest(gitRepo)],
    // Fleet turns the folders under its path into bundles: not this one.
    ['.fleetignore', '*\n'],
  ];
  let bytes = 0;
  for (const [file, text] of files) {
    writeFileSync(join(dir, file), text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}
