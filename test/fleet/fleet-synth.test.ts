import { createHash } from 'node:crypto';
import { FileDigests } from '../../lib/private/file-digests';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import * as fc from 'fast-check';
import { App, Yaml } from 'cdk8s';
import { garbage, RUNS, SEED } from '../arbitraries';
import { parse, parseAllDocuments } from 'yaml';
import { FileWriter } from '../../lib/fleet/file-writer';
import {
  defaultFleetWorkers,
  FLEET_CACHE,
  FLEET_JOURNAL,
  FLEET_MARKER,
  swapHooks,
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
      FLEET_CACHE,
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
        Buffer.byteLength(readFileSync(join(outdir, FLEET_MARKER))) -
        Buffer.byteLength(readFileSync(join(outdir, FLEET_CACHE))),
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
      replaced: [FLEET_CACHE, '_gitops', '_preflight', '_report'],
      removed: ['munich-01'],
      carried: ['hamburg-01'],
      unchanged: ['berlin-01'],
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
      /\[synthesizeFleet\] 'sites' is empty while .* holds a previous output of 7 entries \(got 0 sites\); check the inventory, or allow an empty output \(--allow-empty\)/,
    );
    expect(tree(outdir)).toEqual(before);
    await synthesizeFleet([], { outdir, workers: 0, allowEmpty: true });
    expect(readdirSync(outdir).sort()).toEqual([
      FLEET_MARKER,
      FLEET_CACHE,
      'README.md',
      '_gitops',
      '_preflight',
      '_report',
    ]);
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
        full: true,
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
    // AND the report setting is part of the synth cache's context: every site synthesized again
    expect(second.output.incremental).toEqual({
      reused: 0,
      synthesized: 3,
      note: expect.stringMatching(/another kinds module, writer or report setting/),
    });
    expect(readdirSync(outdir).sort()).toEqual([
      FLEET_MARKER,
      FLEET_CACHE,
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

/** Options that make the output independent of the output folder's name (the GitOps path). */
const FIXED = { workers: 0, gitops: { repoURL: 'https://git.example.com/fleet.git', path: 'dist' } };

/** A small single-node site; `id` makes its name and every fleet-unique value unique. */
function smallSite(id: number, name = `s-${id}`, variant = 0): SiteDescription {
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return {
    name,
    kind: 'single-node',
    rke2Version: `v1.32.${4 + variant}+rke2r1`,
    image: { url: 'http://imagecache.local:8080/edge.raw', checksumType: 'sha256' },
    hosts: [
      {
        name: `host-${id}`,
        bootMACAddress: `0c:c4:7a:00:${hex(id >> 8)}:${hex(id & 255)}`,
        bmcAddress: `192.168.${id >> 8}.${id & 255}`,
        address: `10.20.${id}.11/24`,
      },
    ],
    gateway: `10.20.${id}.1`,
  };
}

describe('incremental synthesizeFleet', () => {
  test('GIVEN one site changed THEN only it is synthesized, the others stay in place, and the output is a full run’s', async () => {
    const outdir = tmp();
    const sites = [smallSite(1), smallSite(2), smallSite(3)];
    const first = await synthesizeFleet(sites, { outdir, ...FIXED });
    expect(first.output.incremental).toEqual({ reused: 0, synthesized: 3 });
    const inode = statSync(join(outdir, 's-1', 's-1.k8s.yaml')).ino;
    const changed = [sites[0], smallSite(2, 's-2', 1), sites[2]];
    const result = await synthesizeFleet(changed, { outdir, ...FIXED });
    expect(result.output.incremental).toEqual({ reused: 2, synthesized: 1 });
    expect(result.output.swap).toMatchObject({
      replaced: [FLEET_CACHE, '_gitops', '_preflight', '_report', 's-2'],
      unchanged: ['s-1', 's-3'],
    });
    expect(statSync(join(outdir, 's-1', 's-1.k8s.yaml')).ino).toBe(inode);
    const fresh = tmp();
    const full = await synthesizeFleet(changed, { outdir: fresh, ...FIXED });
    expect(tree(outdir)).toEqual(tree(fresh));
    expect(result.sites).toEqual(full.sites);
    expect(result.bytes).toBe(full.bytes);
  });

  test('GIVEN a changed site that now collides with an unchanged one THEN it fails exactly as in a full run', async () => {
    const outdir = tmp();
    const sites = [smallSite(1), smallSite(2), smallSite(3)];
    await synthesizeFleet(sites, { outdir, ...FIXED });
    const before = tree(outdir);
    // Site 1 (earlier in the inventory, unchanged) holds the MAC first: site 3 fails.
    const clash = { ...sites[2], hosts: [{ ...sites[2].hosts[0], bootMACAddress: sites[0].hosts[0].bootMACAddress }] };
    const result = await synthesizeFleet([sites[0], sites[1], clash], { outdir, ...FIXED });
    const full = await synthesizeFleet([sites[0], sites[1], clash], { outdir: tmp(), ...FIXED });
    expect(result.output.incremental).toEqual({ reused: 2, synthesized: 1 });
    expect(result.failed).toEqual(full.failed);
    expect(result.failed[0].errors).toEqual([
      expect.stringMatching(
        /^\[s-3\/.*\] 'host.bootMACAddress' is also the boot MAC address of \[s-1\/.*\] 'host.bootMACAddress'/,
      ),
    ]);
    expect(tree(outdir)).toEqual(before);
    // Moved first, the changed site holds the MAC: the unchanged site fails, as in a full run.
    const moved = await synthesizeFleet([clash, sites[0], sites[1]], { outdir, ...FIXED });
    const movedFull = await synthesizeFleet([clash, sites[0], sites[1]], { outdir: tmp(), ...FIXED });
    expect(moved.failed.map((f) => f.name)).toEqual(['s-1']);
    expect(moved.failed).toEqual(movedFull.failed);
  });

  test('GIVEN full THEN the cache is ignored and every site is synthesized again, to the same output', async () => {
    const outdir = tmp();
    const sites = [smallSite(1), smallSite(2)];
    await synthesizeFleet(sites, { outdir, ...FIXED });
    const before = tree(outdir);
    const result = await synthesizeFleet(sites, { outdir, ...FIXED, full: true });
    expect(result.output.incremental).toEqual({ reused: 0, synthesized: 2 });
    expect(result.output.swap?.unchanged).toBeUndefined();
    expect(tree(outdir)).toEqual(before);
  });

  test.each([
    ['edited by hand', (t: string) => t.replace('"s-2"', '"s-9"'), /does not match its checksum/],
    ['cut short', (t: string) => t.slice(0, t.length - 40), /does not match its checksum/],
    ['cut at a line', (t: string) => t.slice(0, t.lastIndexOf('\n', t.length - 2) + 1), /does not match its checksum/],
    ['not a cache', () => 'garbage\n', /is not a cache of this tool/],
    [
      'of another library version',
      (t: string) => t.replace(/"context":"[0-9a-f]+","library":"[^"]*"/, '"context":"00","library":"0.0.1:abc"'),
      /was written by another version of the library \("0\.0\.1:abc"\)/,
    ],
  ])('GIVEN a cache %s THEN it is ignored with a note and every site is synthesized', async (_what, edit, note) => {
    const outdir = tmp();
    const sites = [smallSite(1), smallSite(2)];
    await synthesizeFleet(sites, { outdir, ...FIXED });
    const good = tree(outdir);
    writeFileSync(join(outdir, FLEET_CACHE), edit(readFileSync(join(outdir, FLEET_CACHE), 'utf8')));
    const result = await synthesizeFleet(sites, { outdir, ...FIXED });
    expect(result.output.incremental).toEqual({ reused: 0, synthesized: 2, note: expect.stringMatching(note) });
    expect(result.output.incremental?.note).toMatch(/^note: the synth cache .* ignored, every site synthesized$/);
    expect(result.output.incremental?.note).not.toContain('\n');
    expect(tree(outdir)).toEqual(good);
  });

  test('GIVEN a site folder edited by hand (same size, a file added) THEN that site is synthesized again, with a note', async () => {
    const outdir = tmp();
    const sites = [smallSite(1), smallSite(2), smallSite(3)];
    await synthesizeFleet(sites, { outdir, ...FIXED });
    const good = tree(outdir);
    const file = join(outdir, 's-1', 'fleet.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('s-1', 's-7'));
    writeFileSync(join(outdir, 's-3', 'extra.yaml'), 'x: 1\n');
    const result = await synthesizeFleet(sites, { outdir, ...FIXED });
    expect(result.output.incremental).toEqual({
      reused: 1,
      synthesized: 2,
      note: 'note: 2 site folder(s) did not hold what the synth cache says (edited by hand?): synthesized again (s-1, s-3)',
    });
    expect(tree(outdir)).toEqual(good);
  });

  test('GIVEN a digest index (cacheDir) THEN kept folders are verified by it, and a same-size edit is still found', async () => {
    const outdir = tmp();
    const cacheDir = tmp();
    const sites = [smallSite(1), smallSite(2)];
    await synthesizeFleet(sites, { outdir, ...FIXED, cacheDir });
    expect(readFileSync(join(cacheDir, 'file-digests.tsv'), 'utf8')).toContain(
      `\n${join(outdir, 's-1', 's-1.k8s.yaml')}\t`,
    );
    const good = tree(outdir);
    const again = await synthesizeFleet(sites, { outdir, ...FIXED, cacheDir });
    expect(again.output.incremental).toEqual({ reused: 2, synthesized: 0 });
    const file = join(outdir, 's-2', 'fleet.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('s-2', 's-8'));
    const edited = await synthesizeFleet(sites, { outdir, ...FIXED, cacheDir });
    expect(edited.output.incremental).toMatchObject({ reused: 1, synthesized: 1 });
    expect(tree(outdir)).toEqual(good);
  });

  test('GIVEN keepPrevious THEN the replaced entries wait in a backup (without the report, whose diagrams the new one links) until released, and the digest index still knows the linked diagrams', async () => {
    const outdir = tmp();
    const cacheDir = tmp();
    const sites = [smallSite(1), smallSite(2)];
    await synthesizeFleet(sites, { outdir, ...FIXED, cacheDir });
    const before = readFileSync(join(outdir, 's-2', 's-2.k8s.yaml'), 'utf8');
    const result = await synthesizeFleet([sites[0], smallSite(2, 's-2', 1), smallSite(3)], {
      outdir,
      ...FIXED,
      cacheDir,
      keepPrevious: true,
    });
    const previous = result.previous!;
    expect(previous.added).toEqual(['s-3']);
    expect(readFileSync(join(previous.backup!, 's-2', 's-2.k8s.yaml'), 'utf8')).toBe(before);
    expect(readdirSync(previous.backup!)).not.toContain('_report');
    expect(readdirSync(previous.backup!)).not.toContain('s-1');
    // Every site file now in the output, with the digest of its bytes.
    const file = join('s-1', 's-1.k8s.yaml');
    expect(previous.files.get(file)?.digest).toBe(
      createHash('sha256')
        .update(readFileSync(join(outdir, file)))
        .digest('hex'),
    );
    expect([...previous.files.keys()].filter((f) => f.startsWith('s-3/'))).toHaveLength(3);
    previous.release();
    previous.release();
    expect(existsSync(previous.backup!)).toBe(false);
    const index = FileDigests.open(cacheDir);
    expect(index.digest(join(outdir, '_report', 's-1.svg'))).toBeDefined();
    expect(index.reads).toBe(0);
  });

  test('GIVEN keepPrevious and no previous output THEN there is no backup and every entry is added', async () => {
    const outdir = join(tmp(), 'new');
    const result = await synthesizeFleet([smallSite(1)], { outdir, ...FIXED, keepPrevious: true });
    expect(result.previous?.backup).toBeUndefined();
    expect(result.previous?.added).toEqual(expect.arrayContaining(['s-1', '_gitops']));
    result.previous?.release();
  });

  test('GIVEN a digest index THEN the diagrams of kept sites, linked into the new output, are known to it: the next run reads none', async () => {
    const outdir = tmp();
    const cacheDir = tmp();
    const sites = [smallSite(1), smallSite(2)];
    await synthesizeFleet(sites, { outdir, ...FIXED, cacheDir });
    await synthesizeFleet([sites[0], smallSite(2, 's-2', 1)], { outdir, ...FIXED, cacheDir });
    const index = FileDigests.open(cacheDir);
    const diagram = join(outdir, '_report', 's-1.svg');
    expect(index.digest(diagram)?.digest).toBe(createHash('sha256').update(readFileSync(diagram)).digest('hex'));
    expect(index.reads).toBe(0);
  });

  test('GIVEN the report with per-site pre-flight files THEN a kept site is drawn from its cached facts, as a full run draws it', async () => {
    const outdir = tmp();
    const sites = [smallSite(1), smallSite(2), smallSite(3)];
    await synthesizeFleet(sites, { outdir, ...FIXED, preflightPerSite: true });
    const changed = [sites[0], smallSite(2, 's-2', 1), sites[2]];
    const result = await synthesizeFleet(changed, { outdir, ...FIXED, preflightPerSite: true });
    expect(result.output.incremental).toEqual({ reused: 2, synthesized: 1 });
    expect(readdirSync(join(outdir, '_report')).sort()).toEqual([
      '.fleetignore',
      'index.html',
      's-1.svg',
      's-2.svg',
      's-3.svg',
    ]);
    const fresh = tmp();
    await synthesizeFleet(changed, { outdir: fresh, ...FIXED, preflightPerSite: true });
    expect(tree(outdir)).toEqual(tree(fresh));
  });

  test('GIVEN a kept site THEN its diagram is linked from the previous output, or drawn again when it was edited', async () => {
    const outdir = tmp();
    const sites = [smallSite(1), smallSite(2), smallSite(3)];
    await synthesizeFleet(sites, { outdir, ...FIXED });
    const svg = (n: number) => join(outdir, '_report', `s-${n}.svg`);
    const inode = statSync(svg(1)).ino;
    const drawn = readFileSync(svg(3), 'utf8');
    writeFileSync(svg(3), drawn.replace('s-3', 'edited'));
    const changed = [sites[0], smallSite(2, 's-2', 1), sites[2]];
    const result = await synthesizeFleet(changed, { outdir, ...FIXED });
    expect(result.output.incremental).toEqual({ reused: 2, synthesized: 1 });
    // THEN s-1's diagram is the same file, s-3's is drawn again as it was
    expect(statSync(svg(1)).ino).toBe(inode);
    expect(readFileSync(svg(3), 'utf8')).toBe(drawn);
    const fresh = tmp();
    await synthesizeFleet(changed, { outdir: fresh, ...FIXED });
    expect(tree(outdir)).toEqual(tree(fresh));
  });

  test('GIVEN extra outputs THEN they are written in full on an incremental run too', async () => {
    const outdir = tmp();
    const sites = [smallSite(1), smallSite(2)];
    const extraOutputs = [
      {
        folder: '_checks',
        files: (r: { sites: readonly { name: string; objects: number }[] }) => ({
          'sites.txt': r.sites.map((s) => `${s.name} ${s.objects}\n`).join(''),
        }),
      },
    ];
    await synthesizeFleet(sites, { outdir, ...FIXED, extraOutputs });
    const result = await synthesizeFleet([sites[0], smallSite(2, 's-2', 1)], { outdir, ...FIXED, extraOutputs });
    expect(result.output.incremental).toMatchObject({ reused: 1 });
    expect(readFileSync(join(outdir, '_checks', 'sites.txt'), 'utf8')).toMatch(/^s-1 \d+\ns-2 \d+\n$/);
    expect(result.output.swap?.replaced).toContain('_checks');
  });

  test('GIVEN a run killed midway through an incremental swap THEN unchanged folders were never moved and the next run completes it', async () => {
    const outdir = join(tmp(), 'out');
    const sites = [smallSite(1), smallSite(2), smallSite(3)];
    await synthesizeFleet(sites, { outdir, ...FIXED });
    const inode = statSync(join(outdir, 's-1')).ino;
    const changed = [sites[0], smallSite(2, 's-2', 1)];
    swapHooks.afterRename = (n) => {
      if (n === 3) throw Object.assign(new Error('killed'), { simulatedCrash: true });
    };
    try {
      await expect(synthesizeFleet(changed, { outdir, ...FIXED })).rejects.toThrow('killed');
    } finally {
      swapHooks.afterRename = undefined;
    }
    expect(existsSync(join(outdir, FLEET_JOURNAL))).toBe(true);
    expect(statSync(join(outdir, 's-1')).ino).toBe(inode);
    const next = await synthesizeFleet(changed, { outdir, ...FIXED });
    expect(next.output.notes).toEqual([expect.stringMatching(/^completed the replacement/)]);
    expect(next.output.incremental).toEqual({ reused: 2, synthesized: 0 });
    expect(tree(outdir)).toEqual(tree((await synthesizeFleet(changed, { outdir: tmp(), ...FIXED })).output.outdir));
  });
});

describe('incremental synthesizeFleet properties', () => {
  type Edit =
    | { op: 'add' }
    | { op: 'change'; at: number; variant: number }
    | { op: 'remove'; at: number }
    | { op: 'rename'; at: number }
    | { op: 'move'; at: number }
    | { op: 'collide'; at: number; with: number };
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.constant({ op: 'add' as const }),
    fc.record({ op: fc.constant('change' as const), at: fc.nat(), variant: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('rename' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('move' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('collide' as const), at: fc.nat(), with: fc.nat() }),
  );

  test('GIVEN random edit sequences (add, change, remove, rename, move, collide) THEN each incremental run writes what a full run writes in a fresh folder', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 4 }),
        fc.array(edit, { minLength: 1, maxLength: 5 }),
        async (n, edits) => {
          let next = 1;
          let sites: SiteDescription[] = Array.from({ length: n }, () => smallSite(next++));
          const outdir = tmp();
          await synthesizeFleet(sites, { outdir, ...FIXED, allowEmpty: true });
          for (const e of edits) {
            const i = sites.length > 0 && 'at' in e ? e.at % sites.length : -1;
            if (e.op === 'add' || i < 0) sites = [...sites, smallSite(next++)];
            else if (e.op === 'change') sites[i] = { ...sites[i], rke2Version: `v1.32.${4 + e.variant}+rke2r1` };
            else if (e.op === 'remove') sites = sites.filter((_, k) => k !== i);
            else if (e.op === 'rename') sites[i] = { ...sites[i], name: `r-${next++}` };
            else if (e.op === 'move') sites = [sites[i], ...sites.filter((_, k) => k !== i)];
            else if (e.op === 'collide') {
              const other = sites[e.with % sites.length];
              sites[i] = { ...sites[i], hosts: [{ ...sites[i].hosts[0], bmcAddress: other.hosts[0].bmcAddress }] };
            }
            sites = [...sites];
            const before = tree(outdir);
            const result = await synthesizeFleet(sites, { outdir, ...FIXED, allowEmpty: true });
            const fresh = tmp();
            const full = await synthesizeFleet(sites, { outdir: fresh, ...FIXED, allowEmpty: true });
            expect(result.failed).toEqual(full.failed);
            expect(result.sites).toEqual(full.sites);
            if (full.failed.length > 0) {
              expect(result.output.written).toBe(false);
              expect(tree(outdir)).toEqual(before);
            } else {
              expect(tree(outdir)).toEqual(tree(fresh));
            }
          }
        },
      ),
      { numRuns: Math.max(10, Math.floor(RUNS / 10)), seed: SEED },
    );
  });
});
