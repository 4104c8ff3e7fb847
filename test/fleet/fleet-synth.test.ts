import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as fc from 'fast-check';
import { App, Yaml } from 'cdk8s';
import { garbage, RUNS, SEED } from '../arbitraries';
import { parse } from 'yaml';
import { FileWriter } from '../../lib/fleet/file-writer';
import {
  defaultFleetWorkers,
  FLEET_MARKER,
  gitOpsManifests,
  synthesizeFleet,
  synthesizeSite,
} from '../../lib/fleet/fleet-synth';
import { loadInventory } from '../../lib/fleet/inventory';
import { buildSite, SiteDescription } from '../../lib/fleet/site-description';

const EXAMPLES = join(__dirname, '..', '..', 'examples', 'fleet-inventory');
const SITES = loadInventory([join(EXAMPLES, 'sites.yaml')]);
const tmp = () => mkdtempSync(join(tmpdir(), 'fleet-'));
const tmpOut = tmp();

/** Every file under `dir`, relative path to contents. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('synthesizeSite', () => {
  test('GIVEN a site THEN its manifest is byte for byte what cdk8s writes for the same chart, with a kustomization', () => {
    const outdir = tmp();
    const result = synthesizeSite(SITES[2], outdir);
    expect(result).toMatchObject({ name: 'hamburg-01', objects: 15, errors: [] });
    const expected = Yaml.stringify(...buildSite(new App(), SITES[2]).toJson());
    expect(readFileSync(join(outdir, 'hamburg-01', 'hamburg-01.k8s.yaml'), 'utf8')).toBe(expected);
    expect(parse(readFileSync(join(outdir, 'hamburg-01', 'kustomization.yaml'), 'utf8'))).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['hamburg-01.k8s.yaml'],
    });
    expect(parse(readFileSync(join(outdir, 'hamburg-01', 'fleet.yaml'), 'utf8'))).toMatchObject({
      name: 'hamburg-01',
      defaultNamespace: 'site-hamburg-01',
    });
  });

  test('the cdk8s writer gives the same bytes', () => {
    const a = tmp();
    const b = tmp();
    synthesizeSite(SITES[0], a, 'fast');
    synthesizeSite(SITES[0], b, 'cdk8s');
    expect(tree(a)).toEqual(tree(b));
  });

  test('GIVEN a bad site THEN its errors come back with the inventory line, and nothing is written', () => {
    const outdir = tmp();
    const result = synthesizeSite({ ...SITES[2], vip: '10.99.0.1' }, outdir);
    expect(result.objects).toBe(0);
    expect(result.errors).toEqual([
      expect.stringMatching(
        /sites.yaml:31: \[hamburg-01\/Cluster\] 'vip' is outside the machine network 10.10.3.0\/24/,
      ),
    ]);
    expect(existsSync(join(outdir, 'hamburg-01'))).toBe(false);
  });

  test('GIVEN anything as a site THEN errors come back, never an exception', () => {
    fc.assert(
      fc.property(garbage, fc.option(fc.constantFrom(...SITES), { nil: undefined }), (value, base) => {
        const site = base
          ? ({ ...base, hosts: value } as unknown as SiteDescription)
          : (value as unknown as SiteDescription);
        const result = synthesizeSite(site, tmpOut);
        expect(result.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('claims of the site come back for the fleet-wide check', () => {
    const result = synthesizeSite(SITES[0], tmp());
    expect(result.claims.map((c) => `${c.fact}=${c.value}`)).toEqual(
      expect.arrayContaining([
        'host name=berlin-01-node1',
        'boot MAC address=0c:c4:7a:10:01:01',
        'BMC address=192.168.10.11/redfish/v1/Systems/1',
        'IP address=10.10.1.11',
      ]),
    );
  });
});

describe('synthesizeFleet', () => {
  test('GIVEN the example inventory THEN one folder per site, the GitOps examples and a summary', async () => {
    const outdir = tmp();
    const progress: number[] = [];
    const result = await synthesizeFleet(SITES, { outdir, workers: 0, onProgress: (done) => progress.push(done) });
    expect(result.failed).toEqual([]);
    expect(result.sites.map((s) => s.name)).toEqual(['berlin-01', 'munich-01', 'hamburg-01']);
    expect(result.objects).toBe(30);
    expect(progress).toEqual([3]);
    expect(readdirSync(outdir).sort()).toEqual([
      FLEET_MARKER,
      '_gitops',
      '_preflight',
      '_report',
      'berlin-01',
      'hamburg-01',
      'munich-01',
    ]);
    expect(readdirSync(join(outdir, '_gitops')).sort()).toEqual([
      '.fleetignore',
      'applicationset.yaml',
      'gitrepo.yaml',
    ]);
    expect(result.bytes).toBe(
      Object.values(tree(outdir)).reduce((n, t) => n + Buffer.byteLength(t), 0) -
        Buffer.byteLength(readFileSync(join(outdir, FLEET_MARKER))),
    );
  });

  test('GIVEN a site whose files could not be written THEN that site fails with the reason and the others pass', async () => {
    const start = FileWriter.start.bind(FileWriter);
    const spy = jest.spyOn(FileWriter, 'start').mockImplementation((options) => {
      const writer = start(options);
      const close = writer.close.bind(writer);
      writer.close = async () => new Map([...(await close()), ['munich-01', "cannot write the site's files: ENOSPC"]]);
      return writer;
    });
    try {
      const outdir = tmp();
      const result = await synthesizeFleet(SITES, { outdir, workers: 0 });
      expect(existsSync(join(outdir, 'munich-01'))).toBe(false);
      expect(existsSync(join(outdir, 'berlin-01', 'berlin-01.k8s.yaml'))).toBe(true);
      expect(result.failed).toEqual([
        { name: 'munich-01', objects: 0, bytes: 0, errors: ["cannot write the site's files: ENOSPC"] },
      ]);
      expect(result.sites.filter((s) => s.errors.length === 0).map((s) => s.name)).toEqual(['berlin-01', 'hamburg-01']);
    } finally {
      spy.mockRestore();
    }
  });

  test('the output does not depend on the number of workers or the batch size', async () => {
    expect(existsSync(join(__dirname, '..', '..', 'build', 'lib', 'fleet', 'fleet-worker.js'))).toBe(true); // npm run build
    const sites = loadInventory([join(EXAMPLES, 'sites.csv')]).slice(0, 40);
    const a = tmp();
    const b = tmp();
    const gitops = { repoURL: 'https://git.corp/fleet.git', path: 'dist' };
    const ra = await synthesizeFleet(sites, { outdir: a, workers: 0, gitops });
    const rb = await synthesizeFleet(sites, { outdir: b, workers: 2, batchSize: 3, gitops });
    expect(rb).toMatchObject({ objects: ra.objects, bytes: ra.bytes, failed: [] });
    expect(tree(b)).toEqual(tree(a));
  }, 60_000);

  test('GIVEN two sites sharing a MAC THEN the later one fails naming both, whatever the workers, and the others are written', async () => {
    const bad: SiteDescription[] = [
      SITES[0],
      { ...SITES[1], hosts: [{ ...SITES[1].hosts[0], bootMACAddress: '0C:C4:7A:10:01:01' }] },
      { ...SITES[2], vip: '10.10.3.0' },
    ];
    for (const workers of [0, 2]) {
      const outdir = tmp();
      const result = await synthesizeFleet(bad, { outdir, workers, batchSize: 1 });
      expect(result.failed.map((f) => f.name)).toEqual(['munich-01', 'hamburg-01']);
      expect(result.failed[0].errors).toEqual([
        "[munich-01/Cluster/Host] 'host.bootMACAddress' is also the boot MAC address of [berlin-01/Cluster/Host] 'host.bootMACAddress' (got \"0c:c4:7a:10:01:01\"); every boot MAC address must be unique across the fleet; correct one of the two",
      ]);
      expect(result.failed[1].errors[0]).toMatch(/'vip' is the network address of 10.10.3.0\/24/);
      expect(readdirSync(outdir).filter((d) => !d.startsWith('.') && !d.startsWith('_'))).toEqual(['berlin-01']);
    }
  }, 60_000);

  test('empties a previous output, so a site removed from the inventory leaves no folder', async () => {
    const outdir = tmp();
    await synthesizeFleet(SITES, { outdir, workers: 0 });
    await synthesizeFleet(SITES.slice(0, 1), { outdir, workers: 0 });
    expect(readdirSync(outdir).sort()).toEqual([FLEET_MARKER, '_gitops', '_preflight', '_report', 'berlin-01']);
  });

  test('fails for an output folder with other content', async () => {
    const outdir = tmp();
    mkdirSync(join(outdir, 'src'));
    writeFileSync(join(outdir, 'src', 'main.ts'), '');
    await expect(synthesizeFleet(SITES, { outdir, workers: 0 })).rejects.toThrow(
      /\[synthesizeFleet\] 'outdir' is a folder with other content .*; pick an empty folder/,
    );
    expect(existsSync(join(outdir, 'src', 'main.ts'))).toBe(true);
  });

  test.each([
    ['workers', -1, 'must be an integer from 0 to 1024 (got -1); pass a whole number between 0 and 1024'],
    ['workers', 1.5, 'must be an integer from 0 to 1024 (got 1.5); pass a whole number between 0 and 1024'],
    ['batchSize', 0, 'must be an integer from 1 to 1000000 (got 0); pass a whole number between 1 and 1000000'],
    ['batchSize', NaN, 'must be an integer from 1 to 1000000 (got NaN); pass a whole number between 1 and 1000000'],
  ])('GIVEN %s %p THEN it is refused before the output folder is touched', async (prop, value, message) => {
    const outdir = tmp();
    writeFileSync(join(outdir, FLEET_MARKER), '');
    writeFileSync(join(outdir, 'previous.txt'), 'kept');
    await expect(synthesizeFleet(SITES, { outdir, [prop]: value })).rejects.toThrow(
      `[synthesizeFleet] '${prop}' ${message}`,
    );
    expect(existsSync(join(outdir, 'previous.txt'))).toBe(true);
  });

  test('fails for an unknown writer', async () => {
    await expect(synthesizeFleet(SITES, { outdir: tmp(), workers: 0, writer: 'json' as never })).rejects.toThrow(
      /'writer' is not a writer \(got "json"\); use 'fast' or 'cdk8s'/,
    );
  });
});

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

describe('defaultFleetWorkers', () => {
  test('GIVEN 1 or 2 cores THEN the calling thread synthesizes (the writer thread has the second core)', () => {
    expect(defaultFleetWorkers(1)).toBe(0);
    expect(defaultFleetWorkers(2)).toBe(0);
  });

  test('GIVEN more cores THEN one synthesis worker per core but one', () => {
    expect(defaultFleetWorkers(3)).toBe(2);
    expect(defaultFleetWorkers(16)).toBe(15);
  });
});
