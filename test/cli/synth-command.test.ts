import { spawn, spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { main } from '../../lib/cli/main';
import * as fc from 'fast-check';
import { runPlan } from '../../lib/cli/plan-command';
import { progressReporter, runSynth } from '../../lib/cli/synth-command';
import { runValidate } from '../../lib/cli/validate-command';
import { RUNS, SEED } from '../arbitraries';
import { swapHooks } from '../../lib/fleet/fleet-output';

const root = join(__dirname, '..', '..');
const EXAMPLE = join(root, 'examples', 'fleet-inventory');
const tmp = () => mkdtempSync(join(tmpdir(), 'synth-cli-'));
const BIN = join(root, 'bin', 'cdk8s-baremetal');

function aFile(): string {
  const f = join(tmp(), 'afile');
  writeFileSync(f, 'x');
  return f;
}

/** Every file and folder under `dir` (relative path to contents; folders end in /). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out[`${relative(dir, p)}/`] = '';
        walk(p);
      } else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** A 1 MiB tmpfs to fill, when this runs as root and may mount one; undefined otherwise (the test is skipped). */
const tmpfs = ((): string | undefined => {
  if (process.getuid?.() !== 0) return undefined;
  const dir = join(tmp(), 'small-disk');
  mkdirSync(dir);
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]).status === 0 ? dir : undefined;
})();
afterAll(() => {
  if (tmpfs && spawnSync('umount', [tmpfs]).status === 0) rmdirSync(tmpfs);
});

/** The CSV of a good and a bad site (VIP outside the machine network). */
function badCsv(): string {
  const csv = join(tmp(), 'sites.csv');
  writeFileSync(
    csv,
    [
      'site,kind,rke2_version,image_url,host,boot_mac,bmc_address,host_address,vip,machine_network',
      'good,single-node,v1.32.4+rke2r1,http://img/os.raw,good-n1,02:00:00:00:00:01,10.0.0.1,10.1.0.1/24,,',
      'bad,ha-metallb,v1.32.4+rke2r1,http://img/os.raw,bad-n1,02:00:00:00:00:02,10.0.0.2,10.2.0.2/24,10.9.0.100,10.2.0.0/24',
      'bad,,,,bad-n2,02:00:00:00:00:03,10.0.0.3,10.2.0.3/24,,',
      'bad,,,,bad-n3,02:00:00:00:00:04,10.0.0.4,10.2.0.4/24,,',
    ].join('\n'),
  );
  return csv;
}

/** Runs `fn` with console output captured. */
async function captured(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const write = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err.push(String(s));
    return true;
  });
  try {
    return { code: await fn(), out: out.join('\n'), err: err.join('') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

describe('cdk8s-baremetal synth', () => {
  test('GIVEN the YAML inventory THEN one folder per site, progress lines off a terminal and a summary; exit 0', async () => {
    const output = tmp();
    const { code, out, err } = await captured(() =>
      main([
        'node',
        'cdk8s-baremetal',
        'synth',
        '--inventory',
        join(EXAMPLE, 'sites.yaml'),
        '--output',
        output,
        '--workers',
        '0',
      ]),
    );
    expect(code).toBe(0);
    expect(out).toMatch(
      /^3 site\(s\), 3 written to .*, 30 object\(s\), \d+ bytes, \d+\.\d s\nnew output, 7 entries added, 0 replaced, 0 removed$/,
    );
    expect(err).toContain('synth: 3/3 sites\n');
    expect(readdirSync(output)).toEqual(expect.arrayContaining(['berlin-01', 'munich-01', 'hamburg-01', '_gitops']));
  });

  test('GIVEN a bad site among good ones THEN nothing is written, the bad one is listed with its errors; exit 1', async () => {
    const output = tmp();
    const csv = badCsv();
    const { code, out } = await captured(() => runSynth({ inventory: [csv], output, workers: 0, progress: false }));
    expect(code).toBe(1);
    expect(out).toContain('2 site(s), 0 written to');
    expect(out).toMatch(
      /FAILED bad:\n {2}.*sites.csv:3: \[bad\/Cluster\] 'vip' is outside the machine network 10.2.0.0\/24/,
    );
    expect(out).toContain('1 site(s) failed');
    expect(out).toMatch(
      /nothing written to .* because 1 site\(s\) failed; fix them, or pass --partial to write the others$/,
    );
    expect(readdirSync(output)).toEqual([]);
  });

  test('GIVEN --partial THEN the good sites are written; exit 1', async () => {
    const output = tmp();
    const { code, out } = await captured(() =>
      runSynth({ inventory: [badCsv()], output, workers: 0, progress: false, partial: true }),
    );
    expect(code).toBe(1);
    expect(out).toContain('2 site(s), 1 written to');
    expect(readdirSync(output)).toContain('good');
    expect(readdirSync(output)).not.toContain('bad');
  });

  test('GIVEN an inventory problem THEN it is printed with file, line and column; exit 1, nothing written', async () => {
    const csv = join(tmp(), 'sites.csv');
    writeFileSync(csv, 'site,kind,host,boot_mac,bmc_address,rack\n');
    const output = join(tmp(), 'out');
    const { code, err } = await captured(() => runSynth({ inventory: [csv], output, progress: false }));
    expect(code).toBe(1);
    expect(err).toMatch(/sites.csv:1:6 'rack' is not a known column/);
    expect(() => readdirSync(output)).toThrow();
  });

  test('--json prints the summary as JSON', async () => {
    const { code, out } = await captured(() =>
      runSynth({ inventory: [join(EXAMPLE, 'sites.yaml')], output: tmp(), workers: 0, json: true }),
    );
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ sites: 3, objects: 30, failed: [] });
  });

  test('refuses a worker count that is not a whole number', async () => {
    const { code, err } = await captured(() =>
      main(['node', 'cdk8s-baremetal', 'synth', '--inventory', 'x.csv', '--workers', 'many']),
    );
    expect(code).not.toBe(0);
    expect(err).toContain('give a whole number from 0 to 256');
  });

  test('the compiled tool synthesizes the 1,000-site example on worker threads', () => {
    const output = tmp();
    const result = spawnSync(
      process.execPath,
      [join(root, 'bin', 'cdk8s-baremetal'), 'synth', '-i', join(EXAMPLE, 'sites.csv'), '-o', output, '--json'],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ sites: 1000, objects: 9000, failed: [] });
    expect(readdirSync(output)).toHaveLength(1005); // sites, _gitops, _report, _preflight, the marker and the synth cache
  }, 120_000);

  describe('inputs are checked before the output is touched', () => {
    const previous = () => {
      const output = join(tmp(), 'out');
      spawnSync(process.execPath, [BIN, 'synth', '-i', join(EXAMPLE, 'sites.yaml'), '-o', output, '--no-progress']);
      writeFileSync(join(output, 'README.md'), 'mine');
      return { output, before: tree(output) };
    };

    test('GIVEN a --kinds module that registers a kind THEN the inventory may use it (module loaded first)', () => {
      const dir = tmp();
      const module = join(dir, 'kinds.js');
      writeFileSync(
        module,
        `const { SiteKinds } = require(${JSON.stringify(join(root, 'build', 'lib'))});\nSiteKinds.register('custom-sn', SiteKinds.get('single-node'));\n`,
      );
      const csv = join(dir, 'sites.csv');
      writeFileSync(
        csv,
        'site,kind,rke2_version,image_url,host,boot_mac,bmc_address,host_address\ns1,custom-sn,v1.32.4+rke2r1,http://img/os.raw,s1-n1,02:00:00:00:00:01,10.0.0.1,10.1.0.1/24\n',
      );
      const output = join(dir, 'out');
      for (const workers of ['0', '1']) {
        const r = spawnSync(
          process.execPath,
          [BIN, 'synth', '-i', csv, '-o', output, '--kinds', module, '-w', workers],
          {
            encoding: 'utf8',
          },
        );
        expect(r.stderr).not.toContain('is not a site kind');
        expect(r.status).toBe(0);
        expect(readdirSync(output)).toContain('s1');
      }
    }, 60_000);

    test.each([
      [
        'a missing module',
        () => join(tmp(), 'nope.js'),
        /^'--kinds' cannot load ".*nope.js": Cannot find module .*; give the path of a module/,
      ],
      [
        'a module that throws',
        () => {
          const f = join(tmp(), 'bad.js');
          writeFileSync(f, "throw new Error('boom');\n");
          return f;
        },
        /^'--kinds' module ".*bad.js" failed while loading: boom; fix the module$/,
      ],
    ])(
      'GIVEN %s as --kinds THEN it says so and the previous output stays byte for byte',
      async (_what, make, message) => {
        const { output, before } = previous();
        const { code, err } = await captured(() =>
          runSynth({ inventory: [join(EXAMPLE, 'sites.yaml')], output, kinds: make(), progress: false }),
        );
        expect(code).toBe(1);
        expect(err).toMatch(message);
        expect(tree(output)).toEqual(before);
      },
    );

    test('GIVEN a header-only CSV over a previous output THEN it is refused unless --allow-empty', async () => {
      const { output, before } = previous();
      const csv = join(tmp(), 'empty.csv');
      writeFileSync(csv, 'site,kind,rke2_version,image_url,host,boot_mac,bmc_address\n');
      const refused = await captured(() => runSynth({ inventory: [csv], output, progress: false }));
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/'sites' is empty while .* holds a previous output of 7 entries \(got 0 sites\)/);
      expect(tree(output)).toEqual(before);
      const allowed = await captured(() => runSynth({ inventory: [csv], output, progress: false, allowEmpty: true }));
      expect(allowed.code).toBe(0);
      expect(allowed.out).toMatch(
        /previous output replaced, 0 entries added, 4 replaced, 3 removed \(berlin-01, hamburg-01, munich-01\), 1 entry synth did not write left alone \(README.md\)/,
      );
      expect(readdirSync(output).sort()).toEqual([
        '.cdk8s-baremetal-fleet',
        '.cdk8s-baremetal-fleet.cache',
        'README.md',
        '_gitops',
        '_preflight',
        '_report',
      ]);
    });

    test('GIVEN a second run THEN unchanged sites are kept; --full synthesizes every site; a cache that does not match is a note on stderr', async () => {
      // In this process (the compiled tool is other code: its cache would not match).
      const output = join(tmp(), 'out');
      const inventory = [join(EXAMPLE, 'sites.yaml')];
      expect((await captured(() => runSynth({ inventory, output, progress: false }))).code).toBe(0);
      const before = tree(output);
      const again = await captured(() => runSynth({ inventory, output, progress: false }));
      expect(again.code).toBe(0);
      expect(again.err).toBe('');
      expect(again.out).toMatch(/0 entries added, 4 replaced, 0 removed, 3 unchanged \(kept in place\)/);
      const full = await captured(() => runSynth({ inventory, output, progress: false, full: true, json: true }));
      expect(JSON.parse(full.out).output.incremental).toEqual({ reused: 0, synthesized: 3 });
      const cache = join(output, '.cdk8s-baremetal-fleet.cache');
      writeFileSync(cache, readFileSync(cache, 'utf8').replace('berlin-01', 'berlin-02'));
      const edited = await captured(() => runSynth({ inventory, output, progress: false, json: true }));
      expect(edited.code).toBe(0);
      expect(edited.err).toMatch(
        /^note: the synth cache .*\.cdk8s-baremetal-fleet\.cache does not match its checksum \(edited, cut short or merged\); ignored, every site synthesized$/,
      );
      expect(JSON.parse(edited.out).output.incremental).toMatchObject({ reused: 0, synthesized: 3 });
      expect(tree(output)).toEqual(before);
    });

    test.each([
      ['-o ""', () => '', /^\[synthesizeFleet\] 'outdir' is empty \(got ""\); name an output folder such as dist$/],
      ['-o afile', () => aFile(), /^\[synthesizeFleet\] 'outdir' is a file, not a folder \(got ".*afile"\)/],
      [
        '-o afile/sub',
        () => join(aFile(), 'sub'),
        /^\[synthesizeFleet\] 'outdir' runs through ".*afile", which is a file/,
      ],
    ])('GIVEN %s THEN a sentence, never an errno or a stack trace', async (_what, make, message) => {
      const { code, out, err } = await captured(() =>
        runSynth({ inventory: [join(EXAMPLE, 'sites.yaml')], output: make(), progress: false }),
      );
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toMatch(message);
      expect(err).not.toMatch(/\n\s+at /);
    });
  });

  describe('interrupted runs (the compiled tool in a child process)', () => {
    /** An inventory of the first `count` sites of the 1,000-site example, with another RKE2 version when `variant`. */
    function inventory(count: number, variant: boolean | number = false): string {
      const lines = readFileSync(join(EXAMPLE, 'sites.csv'), 'utf8').split('\n');
      const out = [lines[0]];
      const seen = new Set<string>();
      for (const line of lines.slice(1)) {
        const site = line.split(',')[0];
        if (!site) continue;
        seen.add(site);
        if (seen.size > count) break;
        const change = variant === true || (typeof variant === 'number' && seen.size <= variant);
        out.push(change ? line.replace('v1.32.4+rke2r1', 'v1.32.5+rke2r1') : line);
      }
      const file = join(tmp(), variant ? 'new.csv' : 'old.csv');
      writeFileSync(file, `${out.join('\n')}\n`);
      return file;
    }

    /** Starts a synthesis and sends `signal` once its staging folder holds `entries` entries; resolves with how it ended. */
    function interrupt(csv: string, output: string, signal: NodeJS.Signals, entries: number) {
      const child = spawn(process.execPath, [BIN, 'synth', '-i', csv, '-o', output, '-w', '0', '--no-progress']);
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += String(d)));
      let seen = '';
      const timer = setInterval(() => {
        const staging = readdirSync(dirname(output)).find((e) => e.startsWith(`.${basename(output)}.synth-`));
        if (staging && readdirSync(join(dirname(output), staging)).length >= entries) {
          seen = staging;
          clearInterval(timer);
          child.kill(signal);
        }
      }, 2);
      return new Promise<{ code: number | null; signal: NodeJS.Signals | null; staging: string; stderr: string }>(
        (resolveExit) =>
          child.on('exit', (code, sig) => {
            clearInterval(timer);
            resolveExit({ code, signal: sig, staging: seen, stderr });
          }),
      );
    }

    test('GIVEN a synthesis of 300 sites over a previous output WHEN SIGKILLed midway THEN the previous output is byte for byte, and the next run cleans up', async () => {
      const output = join(tmp(), 'out');
      expect(spawnSync(process.execPath, [BIN, 'synth', '-i', inventory(300), '-o', output]).status).toBe(0);
      writeFileSync(join(output, 'README.md'), 'mine');
      const before = tree(output);
      const fresh = inventory(300, true);

      const killed = await interrupt(fresh, output, 'SIGKILL', 20);

      expect(killed).toMatchObject({ code: null, signal: 'SIGKILL' });
      expect(killed.staging).not.toBe('');
      expect(tree(output)).toEqual(before);
      expect(existsSync(join(dirname(output), killed.staging))).toBe(true); // left behind by the kill
      const next = spawnSync(process.execPath, [BIN, 'synth', '-i', fresh, '-o', output, '--no-progress'], {
        encoding: 'utf8',
      });
      expect(next.status).toBe(0);
      expect(next.stdout).toContain(`removed ${join(dirname(output), killed.staging)}, left by an interrupted run`);
      expect(readdirSync(dirname(output)).filter((e) => e.includes('.synth-'))).toEqual([]);
      expect(readFileSync(join(output, 'edge-00000', 'edge-00000.k8s.yaml'), 'utf8')).toContain('v1.32.5+rke2r1');
      expect(readFileSync(join(output, 'README.md'), 'utf8')).toBe('mine');
    }, 120_000);

    test('GIVEN an incremental synthesis (40 of 300 sites changed) WHEN SIGKILLed midway THEN the previous output is byte for byte, and the next run writes what a full run writes', async () => {
      const output = join(tmp(), 'out');
      expect(spawnSync(process.execPath, [BIN, 'synth', '-i', inventory(300), '-o', output]).status).toBe(0);
      const before = tree(output);
      const changed = inventory(300, 40);

      const killed = await interrupt(changed, output, 'SIGKILL', 10);

      expect(killed).toMatchObject({ code: null, signal: 'SIGKILL' });
      expect(killed.staging).not.toBe('');
      expect(tree(output)).toEqual(before);
      const next = spawnSync(process.execPath, [BIN, 'synth', '-i', changed, '-o', output, '--no-progress', '--json'], {
        encoding: 'utf8',
      });
      expect(next.status).toBe(0);
      expect(JSON.parse(next.stdout).output.incremental).toEqual({ reused: 260, synthesized: 40 });
      const full = join(tmp(), 'out');
      expect(spawnSync(process.execPath, [BIN, 'synth', '-i', changed, '-o', full, '--full']).status).toBe(0);
      expect(readdirSync(dirname(output)).filter((e) => e.includes('.synth-'))).toEqual([]);
      // The GitOps examples name the folder's path: compare them by name only.
      const strip = (t: Record<string, string>) =>
        Object.fromEntries(Object.entries(t).map(([k, v]) => [k, k.startsWith('_gitops') ? '' : v]));
      expect(strip(tree(output))).toEqual(strip(tree(full)));
    }, 120_000);

    test('GIVEN a synthesis WHEN interrupted with SIGINT THEN it stops, removes its staging folder, says the previous output is unchanged; exit 130', async () => {
      const output = join(tmp(), 'out');
      expect(spawnSync(process.execPath, [BIN, 'synth', '-i', inventory(200), '-o', output]).status).toBe(0);
      const before = tree(output);

      const stopped = await interrupt(inventory(200, true), output, 'SIGINT', 10);

      expect(stopped.code).toBe(130);
      expect(stopped.stderr).toMatch(
        /interrupted \(SIGINT\) before the output was replaced: nothing written; the previous output in .* is unchanged/,
      );
      expect(tree(output)).toEqual(before);
      expect(readdirSync(dirname(output)).filter((e) => e.includes('.synth-'))).toEqual([]);
    }, 120_000);

    (tmpfs ? test : test.skip)(
      'GIVEN a full disk (a small tmpfs, as root) THEN the summary says so with the space needed, the previous output stays; exit 1',
      () => {
        const output = join(tmpfs!, 'out');
        expect(
          spawnSync(process.execPath, [BIN, 'synth', '-i', join(EXAMPLE, 'sites.yaml'), '-o', output]).status,
        ).toBe(0);
        const before = tree(output);
        const r = spawnSync(process.execPath, [BIN, 'synth', '-i', inventory(300), '-o', output, '--no-progress'], {
          encoding: 'utf8',
        });
        expect(r.status).toBe(1);
        expect(r.stdout).toMatch(
          /\nERROR the site's files: cannot write ".*": no space left on the device \(ENOSPC\); .*; the new output needs about \d+\.\d MiB, .* free now; nothing written, the previous output is unchanged\n$/,
        );
        expect(r.stdout).not.toMatch(/FAILED/);
        expect(r.stderr).toBe('');
        expect(tree(output)).toEqual(before);
        expect(readdirSync(tmpfs!).filter((e) => e.includes('.synth-'))).toEqual([]);
      },
      120_000,
    );
  });

  test('on a terminal, progress is a bar', () => {
    const chunks: string[] = [];
    const stream = Object.assign(
      new Writable({
        write(chunk, _enc, done) {
          chunks.push(String(chunk));
          done();
        },
      }),
      { isTTY: true, columns: 100 },
    ) as unknown as NodeJS.WriteStream;
    const progress = progressReporter(true, stream);
    progress.update(5, 10);
    progress.update(10, 10);
    progress.stop();
    expect(chunks.join('')).toMatch(/synth \[.*\] 100% \| 10\/10 sites/);
  });

  test('without progress nothing is written', () => {
    const stream = { isTTY: false, write: jest.fn() } as unknown as NodeJS.WriteStream;
    const progress = progressReporter(false, stream);
    progress.update(1, 1);
    progress.stop();
    expect(stream.write).not.toHaveBeenCalled();
  });
});

describe('synth --validate --plan: the change checked in the same process', () => {
  interface Site {
    name: string;
    mac: number;
    bmc: number;
    version: number;
  }
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  const csvOf = (sites: readonly Site[]): string => {
    const file = join(tmp(), 'sites.csv');
    writeFileSync(
      file,
      [
        'site,kind,rke2_version,image_url,host,boot_mac,bmc_address,host_address',
        ...sites.map(
          (s, i) =>
            `${s.name},single-node,v1.32.${s.version}+rke2r1,http://img/os.raw,${s.name}-n1,02:00:00:00:${hex(s.mac >> 8)}:${hex(s.mac & 255)},10.0.${s.bmc >> 8}.${s.bmc & 255},10.1.${i}.1/24`,
        ),
      ].join('\n'),
    );
    return file;
  };
  const site = (n: number): Site => ({ name: `s-${n}`, mac: n, bmc: n, version: 4 });
  const synth = (sites: readonly Site[], output: string, cache: string, more: object = {}) =>
    captured(() => runSynth({ inventory: [csvOf(sites)], output, cache, workers: 0, progress: false, ...more }));

  /** A fresh output of `sites`, with its cache folder, for a second run to change. */
  const synthesized = async (sites: readonly Site[]) => {
    const output = join(tmp(), 'dist');
    const cache = join(tmp(), 'cache');
    expect((await synth(sites, output, cache)).code).toBe(0);
    return { output, cache };
  };

  type Edit = { op: 'add' } | { op: 'mac' | 'version' | 'remove'; at: number };
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.constant({ op: 'add' as const }),
    fc.record({ op: fc.constantFrom('mac' as const, 'version' as const, 'remove' as const), at: fc.nat() }),
  );

  test('GIVEN a changed boot MAC THEN the text output has the summary, the validation of the one changed file and the plan; exit 2', async () => {
    const sites = [site(1), site(2), site(3)];
    const { output, cache } = await synthesized(sites);
    sites[1].mac += 1000;
    const r = await synth(sites, output, cache, { validate: true, plan: true, external: ['Secret/*-bmc'] });
    expect(r.code).toBe(2);
    expect(r.out).toContain('2 unchanged (kept in place)');
    expect(r.out).toMatch(
      /^validate: 26 object\(s\) checked \(1 of 11 file\(s\) changed or touched\), 0 problem\(s\)$/m,
    );
    expect(r.out).toMatch(
      /!! change BareMetalHost\/site-s-2\/s-2-n1\n\s+spec.bootMACAddress: "02:00:00:00:00:02" -> "02:00:00:00:03:ea"/,
    );
    expect(r.out).toMatch(/1 rejected by a controller/);
  });

  test("GIVEN --validate without --external THEN the changed site's BMC Secret is an unresolved reference; exit 1, no plan", async () => {
    const sites = [site(1), site(2)];
    const { output, cache } = await synthesized(sites);
    sites[0].version++;
    const r = await synth(sites, output, cache, { validate: true });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/s-1-n1-bmc/);
    expect(r.out).not.toMatch(/s-2-n1-bmc/);
    expect(r.out).toMatch(/^validate: .*, 1 problem\(s\)$/m);
    expect(r.out).not.toContain('object(s) differ');
  });

  test('GIVEN --plan alone on an unchanged inventory THEN an empty plan; exit 0, and nothing is validated', async () => {
    const { output, cache } = await synthesized([site(1)]);
    const r = await synth([site(1)], output, cache, { plan: true, json: true });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.plan).toEqual({ changes: [] });
    expect(report.validate).toBeUndefined();
  });

  test('GIVEN --external without --validate THEN a usage error before anything is read; exit 1', async () => {
    const output = join(tmp(), 'dist');
    const r = await captured(() =>
      runSynth({ inventory: [csvOf([site(1)])], output, progress: false, external: ['Secret/*-bmc'] }),
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      "'--external' declares objects for --validate only (got Secret/*-bmc); add --validate, or drop it",
    );
    expect(existsSync(output)).toBe(false);
  });

  test('GIVEN --plan-markdown THEN the plan is also written as Markdown for a pull-request comment, replacing the file whole', async () => {
    const sites = [site(1), site(2)];
    const { output, cache } = await synthesized(sites);
    const comment = join(tmp(), 'plan.md');
    writeFileSync(comment, 'an earlier comment\n');
    sites[1].mac += 1000;
    const r = await synth(sites, output, cache, { planMarkdown: comment });
    expect(r.code).toBe(2);
    const md = readFileSync(comment, 'utf8');
    expect(md).toMatch(/Rejected by a controller/);
    expect(md).toContain('BareMetalHost/site-s-2/s-2-n1');
    expect(md).not.toContain('an earlier comment');
    // --plan-markdown implies the plan on stdout too
    expect(r.out).toMatch(/!! change BareMetalHost\/site-s-2\/s-2-n1/);
    expect(readdirSync(dirname(comment))).toEqual(['plan.md']);
  });

  test('GIVEN --plan-markdown and a run that stops before a plan THEN the file says there is no plan (never an earlier one)', async () => {
    const comment = join(tmp(), 'plan.md');
    writeFileSync(comment, 'an earlier comment\n');
    const r = await captured(() =>
      runSynth({
        inventory: [badCsv()],
        output: join(tmp(), 'dist'),
        workers: 0,
        progress: false,
        planMarkdown: comment,
      }),
    );
    expect(r.code).toBe(1);
    expect(readFileSync(comment, 'utf8')).toBe(
      "**No plan**: synth stopped before a plan (exit code 1); see the job's log.\n",
    );
  });

  test('GIVEN --plan-markdown in a folder that does not exist THEN a problem naming the option; exit 1, the output written', async () => {
    const { output, cache } = await synthesized([site(1)]);
    const comment = join(tmp(), 'missing', 'plan.md');
    const r = await synth([site(1)], output, cache, { planMarkdown: comment });
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `'--plan-markdown' cannot write ${JSON.stringify(comment)} (ENOENT); give a path in a folder that exists and can be written`,
    );
    expect(r.out).toContain('0 object(s) differ');
    expect(existsSync(join(output, 's-1'))).toBe(true);
  });

  test('GIVEN a failed site THEN no check runs; exit 1', async () => {
    const output = join(tmp(), 'dist');
    const r = await captured(() =>
      runSynth({ inventory: [badCsv()], output, workers: 0, progress: false, validate: true, plan: true }),
    );
    expect(r.code).toBe(1);
    expect(r.out).not.toContain('validate:');
    expect(r.out).not.toContain('object(s) differ');
  });

  test('GIVEN a swap completed after an error (the previous versions gone) THEN every file is validated, with a note, and no plan', async () => {
    const sites = [site(1), site(2)];
    const { output, cache } = await synthesized(sites);
    sites[0].version++;
    let renames = 0;
    swapHooks.afterRename = () => {
      if (++renames === 2) throw new Error('rename failed');
    };
    try {
      const r = await synth(sites, output, cache, { validate: true, plan: true, external: ['Secret/*-bmc'] });
      expect(r.err).toContain('note: the previous output is gone');
      expect(r.out).toMatch(/^validate: 18 object\(s\) checked, 0 problem\(s\)$/m);
      expect(r.out).not.toContain('object(s) differ');
      expect(r.code).toBe(0);
    } finally {
      swapHooks.afterRename = undefined;
    }
  });

  test('GIVEN random edits THEN it reports what validate --changed and plan report on a copy of the previous output', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 }),
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        async (n, edits) => {
          let next = 1;
          const before: Site[] = Array.from({ length: n }, () => site(next++));
          const output = join(tmp(), 'dist');
          const cache = join(tmp(), 'cache');
          if (n > 0) expect((await synth(before, output, cache)).code).toBe(0);
          const base = join(tmp(), 'base');
          if (n > 0) cpSync(output, base, { recursive: true });
          else mkdirSync(base);
          let after = before.map((s) => ({ ...s }));
          for (const e of edits) {
            const i = after.length > 0 && 'at' in e ? e.at % after.length : -1;
            if (e.op === 'add' || i < 0) after.push(site(next++));
            else if (e.op === 'mac') after[i].mac += 1000;
            else if (e.op === 'version') after[i].version++;
            else after = after.filter((_s, k) => k !== i);
          }
          if (after.length === 0) after.push(site(next++));
          // No --external: the BMC Secrets are unresolved references of the sites that changed.
          const combined = await synth(after, output, cache, { json: true, validate: true, plan: true });
          const report = JSON.parse(combined.out);
          const validate = await captured(async () => runValidate([output], { changed: base, json: true, cache }));
          const plan = await captured(async () => runPlan(base, output, { json: true, cache }));
          const previous = `${output}@previous`;
          const sameText = (x: unknown) => JSON.parse(JSON.stringify(x).split(previous).join(base));
          expect(sameText(report.validate)).toEqual(JSON.parse(validate.out));
          expect(sameText(report.plan)).toEqual({ changes: JSON.parse(plan.out) });
          const codes = [validate.code, plan.code];
          expect(combined.code).toBe(codes.includes(1) ? 1 : codes.includes(2) ? 2 : 0);
          // The previous versions are gone once checked.
          expect(readdirSync(dirname(output)).filter((e) => e.endsWith('.old'))).toEqual([]);
        },
      ),
      { numRuns: Math.max(6, Math.floor(RUNS / 20)), seed: SEED },
    );
  }, 120_000);
});
