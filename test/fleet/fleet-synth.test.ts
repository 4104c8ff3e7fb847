import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import * as fc from 'fast-check';
import { App, Yaml } from 'cdk8s';
import { garbage, RUNS, SEED } from '../arbitraries';
import { parse, parseAllDocuments } from 'yaml';
import { FileWriter } from '../../lib/fleet/file-writer';
import { defaultFleetWorkers, FLEET_MARKER, synthesizeFleet, synthesizeSite } from '../../lib/fleet/fleet-synth';
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

  test('GIVEN a site named like a YAML 1.1 boolean THEN every file reads back the same under YAML 1.1 and 1.2', () => {
    const outdir = tmp();
    const result = synthesizeSite({ ...SITES[2], name: 'yes' }, outdir);
    expect(result.errors).toEqual([]);
    for (const file of ['yes.k8s.yaml', 'kustomization.yaml', 'fleet.yaml']) {
      const text = readFileSync(join(outdir, 'yes', file), 'utf8');
      const docs = (version: '1.1' | '1.2') => parseAllDocuments(text, { version }).map((d) => d.toJS());
      expect(docs('1.1')).toEqual(docs('1.2'));
    }
    expect(parse(readFileSync(join(outdir, 'yes', 'fleet.yaml'), 'utf8'), { version: '1.1' })).toMatchObject({
      name: 'yes',
      labels: { 'cdk8s-baremetal/site': 'yes' },
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
    expect(result.output).toMatchObject({ written: true, previous: 'none' });
  });

  test('GIVEN a site whose files could not be written THEN that site fails with the reason and nothing is written', async () => {
    const start = FileWriter.start.bind(FileWriter);
    const failure = `the site's files: cannot write "x": it is a folder (EISDIR); move it away`;
    const spy = jest.spyOn(FileWriter, 'start').mockImplementation((options) => {
      const writer = start(options);
      const close = writer.close.bind(writer);
      writer.close = async () => new Map([...(await close()), ['munich-01', failure]]);
      return writer;
    });
    try {
      const outdir = tmp();
      const result = await synthesizeFleet(SITES, { outdir, workers: 0 });
      expect(result.failed).toEqual([{ name: 'munich-01', objects: 0, bytes: 0, errors: [failure] }]);
      expect(result.output).toMatchObject({ written: false, previous: 'none' });
      expect(readdirSync(outdir)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  test('GIVEN a full disk (an ENOSPC from the writer, a test seam) THEN the run stops cleanly, the previous output stays byte for byte, and the space needed is said', async () => {
    const outdir = tmp();
    await synthesizeFleet(SITES, { outdir, workers: 0 });
    const before = tree(outdir);
    const full = `the site's files: cannot write "y": no space left on the device (ENOSPC); free some space or pick an output folder on another file system`;
    const start = FileWriter.start.bind(FileWriter);
    const spy = jest.spyOn(FileWriter, 'start').mockImplementation((options) => {
      const writer = start(options);
      const close = writer.close.bind(writer);
      writer.close = async () => new Map([...(await close()), ['munich-01', full], ['hamburg-01', full]]);
      return writer;
    });
    try {
      const result = await synthesizeFleet(SITES, { outdir, workers: 0, partial: true });
      expect(result.output.written).toBe(false);
      expect(result.output.error).toMatch(
        /no space left on the device \(ENOSPC\); .*; the new output needs about \d+(\.\d)? KiB, .* free now; nothing written, the previous output is unchanged$/,
      );
      expect(tree(outdir)).toEqual(before);
      expect(readdirSync(dirname(outdir)).filter((e) => e.includes('.synth-'))).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  test('GIVEN less free space than the previous output took THEN it refuses before synthesizing', async () => {
    const outdir = tmp();
    await synthesizeFleet(SITES, { outdir, workers: 0 });
    const marker = join(outdir, FLEET_MARKER);
    writeFileSync(marker, readFileSync(marker, 'utf8').replace(/"bytes": \d+/, '"bytes": 1e18'));
    const before = tree(outdir);
    await expect(synthesizeFleet(SITES, { outdir, workers: 0 })).rejects.toThrow(
      /'outdir' has .* free on its file system, less than the previous output took \(about .* GiB\) .*; free some space first/,
    );
    expect(tree(outdir)).toEqual(before);
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

  test('GIVEN two sites sharing a MAC THEN the later one fails naming both, whatever the workers; with partial output the others are written', async () => {
    const bad: SiteDescription[] = [
      SITES[0],
      { ...SITES[1], hosts: [{ ...SITES[1].hosts[0], bootMACAddress: '0C:C4:7A:10:01:01' }] },
      { ...SITES[2], vip: '10.10.3.0' },
    ];
    for (const workers of [0, 2]) {
      const outdir = tmp();
      const result = await synthesizeFleet(bad, { outdir, workers, batchSize: 1, partial: true });
      expect(result.failed.map((f) => f.name)).toEqual(['munich-01', 'hamburg-01']);
      expect(result.failed[0].errors).toEqual([
        "[munich-01/Cluster/Host] 'host.bootMACAddress' is also the boot MAC address of [berlin-01/Cluster/Host] 'host.bootMACAddress' (got \"0c:c4:7a:10:01:01\"); every boot MAC address must be unique across the fleet; correct one of the two",
      ]);
      expect(result.failed[1].errors[0]).toMatch(/'vip' is the network address of 10.10.3.0\/24/);
      expect(readdirSync(outdir).filter((d) => !d.startsWith('.') && !d.startsWith('_'))).toEqual(['berlin-01']);
    }
  }, 60_000);

  test('GIVEN a failed site over a previous output THEN nothing is written and the previous output stays byte for byte', async () => {
    const outdir = tmp();
    await synthesizeFleet(SITES, { outdir, workers: 0 });
    const before = tree(outdir);
    const result = await synthesizeFleet([SITES[0], { ...SITES[2], vip: '10.99.0.1' }], { outdir, workers: 0 });
    expect(result.failed.map((f) => f.name)).toEqual(['hamburg-01']);
    expect(result.output).toMatchObject({ written: false, previous: 'unchanged' });
    expect(tree(outdir)).toEqual(before);
    expect(readdirSync(dirname(outdir)).filter((e) => e.includes('.synth-'))).toEqual([]);
  });

  test('GIVEN partial output THEN a failed site keeps its previous folder, a site no longer listed goes', async () => {
    const outdir = tmp();
    await synthesizeFleet(SITES, { outdir, workers: 0 });
    const hamburg = tree(join(outdir, 'hamburg-01'));
    const result = await synthesizeFleet([SITES[0], { ...SITES[2], vip: '10.99.0.1' }], {
      outdir,
      workers: 0,
      partial: true,
    });
    expect(result.output.swap).toEqual({
      added: [],
      replaced: ['_gitops', '_preflight', '_report', 'berlin-01'],
      removed: ['munich-01'],
      carried: ['hamburg-01'],
    });
    expect(tree(join(outdir, 'hamburg-01'))).toEqual(hamburg);
    expect(readFileSync(join(outdir, FLEET_MARKER), 'utf8')).toContain('"hamburg-01"');
  });

  test('GIVEN no sites over a previous output THEN it is refused unless allowEmpty', async () => {
    const outdir = tmp();
    await synthesizeFleet(SITES, { outdir, workers: 0 });
    writeFileSync(join(outdir, 'README.md'), 'kept');
    const before = tree(outdir);
    await expect(synthesizeFleet([], { outdir, workers: 0 })).rejects.toThrow(
      /\[synthesizeFleet\] 'sites' is empty while .* holds a previous output of 6 entries \(got 0 sites\); check the inventory, or allow an empty output \(--allow-empty\)/,
    );
    expect(tree(outdir)).toEqual(before);
    await synthesizeFleet([], { outdir, workers: 0, allowEmpty: true });
    expect(readdirSync(outdir).sort()).toEqual([FLEET_MARKER, 'README.md', '_gitops', '_preflight', '_report']);
  });

  test('GIVEN an abort signal WHEN it fires midway THEN the staging folder goes and the previous output stays byte for byte', async () => {
    const outdir = tmp();
    await synthesizeFleet(SITES, { outdir, workers: 0 });
    const before = tree(outdir);
    const controller = new AbortController();
    await expect(
      synthesizeFleet(SITES, {
        outdir,
        workers: 0,
        batchSize: 1,
        signal: controller.signal,
        onProgress: () => controller.abort('SIGINT'),
      }),
    ).rejects.toThrow(
      /^interrupted \(SIGINT\) before the output was replaced: nothing written; the previous output in .* is unchanged$/,
    );
    expect(tree(outdir)).toEqual(before);
    expect(readdirSync(dirname(outdir)).filter((e) => e.includes('.synth-'))).toEqual([]);
  });

  test('GIVEN a kinds module that cannot be loaded THEN the previous output stays and no staging folder is left', async () => {
    const outdir = tmp();
    await synthesizeFleet(SITES, { outdir, workers: 0 });
    const before = tree(outdir);
    await expect(
      synthesizeFleet(SITES, { outdir, workers: 0, kindsModule: join(tmp(), 'missing.js') }),
    ).rejects.toThrow(/Cannot find module/);
    expect(tree(outdir)).toEqual(before);
    expect(readdirSync(dirname(outdir)).filter((e) => e.includes('.synth-'))).toEqual([]);
  });

  test('GIVEN extra outputs THEN their folders are written and owned like the sites', async () => {
    const outdir = tmp();
    const result = await synthesizeFleet(SITES, {
      outdir,
      workers: 0,
      extraOutputs: [{ folder: '_checks', files: (r) => ({ 'summary.txt': `${r.sites.length} sites\n` }) }],
    });
    expect(readFileSync(join(outdir, '_checks', 'summary.txt'), 'utf8')).toBe('3 sites\n');
    expect(result.output.swap?.added).toContain('_checks');
    await synthesizeFleet(SITES, { outdir, workers: 0 });
    expect(existsSync(join(outdir, '_checks'))).toBe(false);
  });

  test('refuses an extra output named like the report folders', async () => {
    for (const folder of ['_report', '_preflight', '_gitops']) {
      await expect(
        synthesizeFleet(SITES, { outdir: tmp(), workers: 0, extraOutputs: [{ folder, files: () => ({}) }] }),
      ).rejects.toThrow(`(got "${folder}")`);
    }
    // AND without the report, its folder names are free
    const outdir = tmp();
    await synthesizeFleet(SITES, {
      outdir,
      workers: 0,
      report: false,
      extraOutputs: [{ folder: '_report', files: () => ({ 'own.txt': 'x' }) }],
    });
    expect(readdirSync(join(outdir, '_report'))).toEqual(['own.txt']);
  });

  test('GIVEN a report over a previous output THEN its folders are owned: --no-report removes them, foreign files stay', async () => {
    const outdir = tmp();
    const first = await synthesizeFleet(SITES, { outdir, workers: 0 });
    expect(first.output.swap?.added).toEqual(expect.arrayContaining(['_report', '_preflight']));
    writeFileSync(join(outdir, 'README.md'), 'kept');
    const second = await synthesizeFleet(SITES, { outdir, workers: 0, report: false });
    expect(second.output.swap?.removed).toEqual(['_preflight', '_report']);
    expect(readdirSync(outdir).sort()).toEqual([
      FLEET_MARKER,
      'README.md',
      '_gitops',
      'berlin-01',
      'hamburg-01',
      'munich-01',
    ]);
  });

  test('refuses an extra output that could be a site', async () => {
    await expect(
      synthesizeFleet(SITES, { outdir: tmp(), workers: 0, extraOutputs: [{ folder: 'report', files: () => ({}) }] }),
    ).rejects.toThrow(/'extraOutputs' names a folder .* \(got "report"\); use another name, such as _checks/);
  });

  test('GIVEN an output folder with files of its own THEN they are kept next to the sites', async () => {
    const outdir = tmp();
    mkdirSync(join(outdir, 'src'));
    writeFileSync(join(outdir, 'src', 'main.ts'), 'x');
    await synthesizeFleet(SITES, { outdir, workers: 0 });
    expect(readFileSync(join(outdir, 'src', 'main.ts'), 'utf8')).toBe('x');
    expect(readdirSync(outdir)).toContain('berlin-01');
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
