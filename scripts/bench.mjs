// npm run bench: fleet synthesis of 1, 100, 1,000 and 10,000 generated HA sites against the
// floor of the same run (the same objects written with the yaml package, cdk8s's options, one
// thread). Each measurement runs in a child process of its own, so that its peak RSS is its own.
//
//   node scripts/bench.mjs [--sizes 1,100,1000,10000] [--rounds 3] [--plain-cdk8s 100,300]
//                          [--site-only | --no-site] [--site-rounds 5] [--site-dir <dir>]
//
// First, one scaffolded site's `npm run synth` next to `node main.js` (scripts/bench-site.mjs).
//
// Modes of one measurement (child processes):  --one single|workers|floor|plain <n> <outdir>
//
// validate and plan (issue 19), after the synthesis table, for --check-sizes (default 1000,10000):
//   full validate and full plan of n sites next to the parse floor (yaml.parseAllDocuments + toJS of the
//   same files, one thread, same round), and the pull-request loop: one site's MAC changed in an n-site
//   fleet, synth + validate --changed + plan with the summary cache a previous run of main left.
//   node scripts/bench.mjs --sizes none --check-sizes 1000,10000 --rounds 3
// Modes: --one prepare <n> <dir> <variant> | parse <dirs,> | validate <dir> | plan <old> <new>
//        | loop <n> <old> <new> <cache>
// together = the same loop as the one command a pipeline runs, `cdk8s-baremetal synth -i pr.csv -o <dir>
//   --cache <dir> --validate --plan -e 'Secret/*-bmc'` (its own process, module loading included), over
//   an output and cache that `synth -i main.csv --validate` left; timed both ways (main -> pr -> main).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { benchSite } from './bench-site.mjs';
import { generateSites, toCsv } from './fleet-sites.mjs';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};

/** The generated sites of a check benchmark: `variant` 1 moves every site to another RKE2 patch (every file differs). */
function checkSites(n, variant, changedSite) {
  return generateSites(n, 1).map((site, i) => ({
    ...site,
    ...(variant === 1 ? { rke2Version: 'v1.32.5+rke2r1' } : {}),
    ...(i === changedSite
      ? { hosts: site.hosts.map((h, k) => (k === 0 ? { ...h, bootMACAddress: '0c:c4:7a:ff:ff:01' } : h)) }
      : {}),
  }));
}

const EXTERNAL = ['Secret/*-bmc'];

async function oneCheck(mode, a, b, c, d) {
  const lib = require(join(root, 'build/lib'));
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const out = { mode };
  if (mode === 'prepare') {
    const result = await lib.synthesizeFleet(checkSites(Number(a), Number(c)), { outdir: b });
    out.objects = result.objects;
  } else if (mode === 'parse') {
    // The floor: every .yaml file of the folders parsed with the yaml package, one thread.
    const { parseAllDocuments } = require(join(root, 'node_modules/yaml'));
    let docs = 0;
    for (const dir of a.split(',')) {
      for (const file of lib.listManifestFiles([dir]).files) {
        for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
          doc.toJS();
          docs++;
        }
      }
    }
    out.objects = docs;
  } else if (mode === 'validate') {
    const r = await lib.checkFiles([a], { external: EXTERNAL, ...(b ? { cacheDir: b } : {}) });
    out.objects = r.objects;
    out.problems = r.problems.length;
  } else if (mode === 'plan') {
    const r = lib.planFiles(a, b);
    out.changes = r.changes.length;
    out.problems = r.problems.length;
  } else if (mode === 'warm') {
    // The working copy's previous run: an incremental synth of main's inventory (fills the digest index).
    const r = await lib.synthesizeFleet(checkSites(Number(a), 0), { outdir: b, cacheDir: c });
    out.incremental = r.output.incremental;
  } else if (mode === 'loop') {
    // One site's MAC changed: incremental synth (over a copy of main's output), validate --changed, plan, with the cache.
    const t0 = performance.now();
    const synth = await lib.synthesizeFleet(checkSites(Number(a), 0, 7), { outdir: c, cacheDir: d });
    const t1 = performance.now();
    const v = await lib.checkFiles([c], { external: EXTERNAL, changedFrom: b, cacheDir: d });
    const t2 = performance.now();
    const p = lib.planFiles(b, c, { cacheDir: d });
    const t3 = performance.now();
    Object.assign(out, {
      synth: t1 - t0,
      validate: t2 - t1,
      plan: t3 - t2,
      checkedFiles: v.checkedFiles,
      cachedFiles: v.cachedFiles,
      changes: p.changes.length,
      synthObjects: synth.objects,
      reused: synth.output.incremental?.reused,
    });
  }
  out.millis = performance.now() - start;
  out.cpu = cpuSeconds(process.cpuUsage(cpuStart));
  out.maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify(out));
}

function runOne(...argv) {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--one', ...argv.map(String)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop());
}

/** Full validate and plan next to the parse floor, and the pull-request loop, per size. */
function checkBenchmark(sizes, roundCount) {
  console.log(
    '\nvalidate and plan: generated HA sites; floor = yaml.parseAllDocuments + toJS of the same files, one thread, same round.\n' +
      'validate = every check (worker threads, one per core); plan = every file differs (other RKE2 patch), floor = both folders.\n' +
      'loop = one site MAC changed: incremental synth + validate --changed + plan, with the cache folder of a validate run on main\n' +
      "(summaries, file digests) and a working copy synthesized before; cold checkout = the same over a fresh copy of main's output.\n",
  );
  for (const n of sizes) {
    const base = mkdtempSync(join(tmpdir(), `bench-check-${n}-`));
    const a = join(base, 'a');
    const b = join(base, 'b');
    try {
      runOne('prepare', n, a, 0);
      runOne('prepare', n, b, 1);
      const rounds = [];
      for (let r = 0; r < roundCount; r++) {
        const round = {
          floorA: runOne('parse', a),
          validate: runOne('validate', a),
          floorAB: runOne('parse', `${a},${b}`),
          plan: runOne('plan', a, b),
        };
        const cache = join(base, `cache-${r}`);
        const next = join(base, `next-${r}`);
        runOne('validate', a, cache); // main's pipeline leaves the cache
        execFileSync('cp', ['-a', a, next]);
        // Cold: a fresh checkout (no digest of the copy is known: every kept site's files are read).
        const coldCache = join(base, `cold-${r}`);
        execFileSync('cp', ['-a', cache, coldCache]);
        round.cold = runOne('loop', n, a, next, coldCache);
        rmSync(next, { recursive: true, force: true });
        execFileSync('cp', ['-a', a, next]);
        // Warm: a working copy synthesized before (the digest index knows its files).
        runOne('warm', n, next, cache);
        round.loop = runOne('loop', n, a, next, cache);
        rmSync(next, { recursive: true, force: true });
        round.together = together(n, base, r);
        rounds.push(round);
        const l = round.loop;
        console.log(
          `${String(n).padStart(6)} sites, round ${r + 1}: validate ${s(round.validate.millis)} (${(round.validate.millis / round.floorA.millis).toFixed(2)}x floor ${s(round.floorA.millis)}; CPU ${(round.validate.cpu / round.floorA.cpu).toFixed(2)}x; RSS ${mb(round.validate.maxRss)}) | ` +
            `plan ${s(round.plan.millis)} (${(round.plan.millis / round.floorAB.millis).toFixed(2)}x floor ${s(round.floorAB.millis)}; RSS ${mb(round.plan.maxRss)}) | ` +
            `loop ${s(l.synth + l.validate + l.plan)} = synth ${s(l.synth)} (${l.reused} kept) + validate --changed ${s(l.validate)} (${l.checkedFiles} file(s) checked) + plan ${s(l.plan)} (${l.changes} change(s)); ` +
            `cold checkout ${s(round.cold.synth + round.cold.validate + round.cold.plan)} = ${s(round.cold.synth)} + ${s(round.cold.validate)} + ${s(round.cold.plan)}; ` +
            `together (synth --validate --plan, one CLI process) ${round.together.map((t) => s(t)).join(', ')}`,
        );
      }
      const med = (f) => median(rounds.map(f));
      console.log(
        `${String(n).padStart(6)} sites, medians of ${rounds.length}: validate/floor ${med((r) => r.validate.millis / r.floorA.millis).toFixed(2)} (CPU ${med((r) => r.validate.cpu / r.floorA.cpu).toFixed(2)}), ` +
          `plan/floor ${med((r) => r.plan.millis / r.floorAB.millis).toFixed(2)} (CPU ${med((r) => r.plan.cpu / r.floorAB.cpu).toFixed(2)}), ` +
          `peak RSS ${mb(Math.max(...rounds.flatMap((r) => [r.validate.maxRss, r.plan.maxRss])))}, ` +
          `loop ${s(med((r) => r.loop.synth + r.loop.validate + r.loop.plan))} (synth ${s(med((r) => r.loop.synth))}, validate --changed ${s(med((r) => r.loop.validate))}, plan ${s(med((r) => r.loop.plan))}), ` +
          `cold checkout ${s(med((r) => r.cold.synth + r.cold.validate + r.cold.plan))}, ` +
          `together ${s(median(rounds.flatMap((r) => r.together)))}; load ${loadavg()[0].toFixed(1)}\n`,
      );
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  }
}

/**
 * The pull-request loop as one CLI command: `synth --validate --plan` from main's inventory to the
 * pull request's (one MAC changed) and back, each timed as a whole process; returns the wall times.
 */
function together(n, base, round) {
  const bin = join(root, 'bin', 'cdk8s-baremetal');
  const main = join(base, `main-${round}.csv`);
  const pr = join(base, `pr-${round}.csv`);
  writeFileSync(main, toCsv(checkSites(n, 0)));
  writeFileSync(pr, toCsv(checkSites(n, 0, 7)));
  const out = join(base, `cli-${round}`);
  const cache = join(base, `cli-cache-${round}`);
  const run = (csv) => {
    const start = performance.now();
    try {
      execFileSync(
        process.execPath,
        [
          bin,
          'synth',
          '-i',
          csv,
          '-o',
          out,
          '--cache',
          cache,
          '--no-progress',
          '--validate',
          '--plan',
          '-e',
          EXTERNAL[0],
        ],
        {
          stdio: 'ignore',
        },
      );
    } catch (err) {
      // exit 2: the MAC change is rejected by a controller, as it should be
      if (err.status !== 2) throw err;
    }
    return performance.now() - start;
  };
  run(main); // main's pipeline: a full synth and validation that fill the caches
  const times = [run(pr), run(main)];
  rmSync(out, { recursive: true, force: true });
  return times;
}

async function one(mode, n, outdir) {
  const lib = require(join(root, 'build/lib'));
  const sites = generateSites(n, 1);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let objects = 0;
  let bytes = 0;
  let timed = 0;
  let cpu; // CPU seconds (user + system, every thread) of the timed part
  if (['single', 'workers', 'single-yaml', 'workers-yaml', 'single-noreport'].includes(mode)) {
    const result = await lib.synthesizeFleet(sites, {
      outdir,
      workers: mode.startsWith('single') ? 0 : cpus().length,
      writer: mode.endsWith('-yaml') ? 'cdk8s' : 'fast',
      report: mode !== 'single-noreport',
    });
    if (result.failed.length > 0)
      throw new Error(`${result.failed.length} site(s) failed: ${result.failed[0].errors[0]}`);
    objects = result.objects;
    bytes = result.bytes;
    timed = performance.now() - start;
    cpu = cpuSeconds(process.cpuUsage(cpuStart));
  } else if (mode === 'floor') {
    // The same objects, built untimed, then written (timed) with yaml.stringify as cdk8s calls it.
    const { stringify } = require(join(root, 'node_modules/yaml'));
    const { App } = require(join(root, 'node_modules/cdk8s'));
    const options = { keepUndefined: true, lineWidth: 0, version: '1.1' };
    mkdirSync(outdir, { recursive: true });
    cpu = 0;
    for (const site of sites) {
      const docs = lib.buildSite(new App({ outdir }), site).toJson();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const text = docs.map((d) => stringify(d, options)).join('---\n');
      const dir = join(outdir, site.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${site.name}.k8s.yaml`), text);
      timed += performance.now() - t0;
      cpu += cpuSeconds(process.cpuUsage(c0));
      objects += docs.length;
      bytes += Buffer.byteLength(text);
    }
  } else if (mode === 'plain') {
    // Plain cdk8s: every site a chart of one App, app.synth().
    const { App } = require(join(root, 'node_modules/cdk8s'));
    const app = new App({ outdir });
    for (const site of sites) lib.buildSite(app, site);
    app.synth();
    timed = performance.now() - start;
    cpu = cpuSeconds(process.cpuUsage(cpuStart));
  }
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ mode, n, millis: timed, cpu, wall: performance.now() - start, maxRss, objects, bytes }));
}

function cpuSeconds(usage) {
  return (usage.user + usage.system) / 1e6;
}

function measure(mode, n) {
  const outdir = mkdtempSync(join(tmpdir(), `bench-${mode}-`));
  try {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--one', mode, String(n), outdir], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return JSON.parse(out.trim().split('\n').pop());
  } finally {
    rmSync(outdir, { recursive: true, force: true });
    // Let the file system finish the removal before the next measurement starts.
    execFileSync('sync');
  }
}

const mb = (b) => `${(b / 1048576).toFixed(0)} MB`;
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const pct = (ratio) => `${((ratio - 1) * 100).toFixed(0)}%`;
const exponent = (a, b, key) => Math.log(b[key] / a[key]) / Math.log(b.n / a.n);

/** Medians over the rounds of one size; ratios are medians of the per-round ratios (same minute). */
function summarize(n, rounds) {
  const pick = (mode, key) => median(rounds.map((r) => r[mode][key]));
  const ratio = (mode, key = 'millis') => median(rounds.map((r) => r[mode][key] / r.floor[key]));
  const row = { n, rounds: rounds.length };
  for (const mode of ['single', 'workers', 'floor']) {
    row[mode] = {
      millis: pick(mode, 'millis'),
      cpu: pick(mode, 'cpu'),
      maxRss: Math.max(...rounds.map((r) => r[mode].maxRss)),
    };
  }
  row.single.ratio = ratio('single');
  row.single.cpuRatio = ratio('single', 'cpu');
  row.workers.ratio = ratio('workers');
  // The report (diagrams, fleet page, merged pre-flight files): single with it over single without it.
  row.reportRatio = median(rounds.map((r) => r.single.millis / r.noreport.millis));
  row.reportCpuRatio = median(rounds.map((r) => r.single.cpu / r.noreport.cpu));
  row.objects = rounds[0].single.objects;
  row.bytes = rounds[0].single.bytes;
  return row;
}

async function main() {
  if (args[0] === '--one') {
    if (['prepare', 'parse', 'validate', 'plan', 'loop', 'warm'].includes(args[1])) return oneCheck(...args.slice(1));
    return one(args[1], Number(args[2]), args[3]);
  }
  if (!args.includes('--no-site')) {
    benchSite({ root, rounds: Math.max(1, Number(arg('--site-rounds', '5'))), siteDir: arg('--site-dir') });
    if (args.includes('--site-only')) return;
  }
  const sizeArg = arg('--sizes', '1,100,1000,10000');
  const sizes = sizeArg === 'none' ? [] : sizeArg.split(',').map(Number);
  const roundCount = Math.max(1, Number(arg('--rounds', '3')));
  console.log(
    `fleet synthesis benchmark: generated HA sites (3 hosts each), ${cpus().length} core(s), node ${process.version}`,
  );
  console.log(
    'single = our path, synthesis on the main thread (files written by a writer thread); workers = synthesis on one\n' +
      'worker thread per core. Both schema+CEL validated, uniqueness-checked, written with our YAML writer.\n' +
      'floor = the same objects written with yaml.stringify (cdk8s options) on one thread, objects built untimed.\n' +
      `Each size runs ${roundCount} round(s) of single, workers, floor in turn (each a fresh process); ratios are the\n` +
      'median of the per-round ratios, so that a machine whose speed drifts compares like with like.\n',
  );
  const rows = [];
  for (const n of sizes) {
    const rounds = [];
    for (let r = 0; r < roundCount; r++) {
      const round = {
        single: measure('single', n),
        workers: measure('workers', n),
        floor: measure('floor', n),
        noreport: measure('single-noreport', n),
      };
      rounds.push(round);
      console.log(
        `${String(n).padStart(6)} sites, round ${r + 1}: single ${s(round.single.millis)} (${(round.single.millis / round.floor.millis).toFixed(2)}x), ` +
          `workers ${s(round.workers.millis)} (${(round.workers.millis / round.floor.millis).toFixed(2)}x), floor ${s(round.floor.millis)}, ` +
          `single without the report ${s(round.noreport.millis)} (report +${pct(round.single.millis / round.noreport.millis)}, CPU +${pct(round.single.cpu / round.noreport.cpu)})`,
      );
    }
    const row = summarize(n, rounds);
    // The same path printing with cdk8s's Yaml.stringify (the yaml package): the case for our writer.
    if (n >= 1000) row.yamlWorkers = measure('workers-yaml', n);
    rows.push(row);
    console.log(
      `${String(n).padStart(6)} sites ${String(row.objects).padStart(7)} objects ${mb(row.bytes).padStart(7)} | ` +
        `single ${s(row.single.millis).padStart(8)} (${row.single.ratio.toFixed(2)}x floor; CPU ${row.single.cpu.toFixed(1)} s, ${row.single.cpuRatio.toFixed(2)}x; RSS ${mb(row.single.maxRss)}) | ` +
        `workers ${s(row.workers.millis).padStart(8)} (${row.workers.ratio.toFixed(2)}x floor, RSS ${mb(row.workers.maxRss)}) | ` +
        `floor ${s(row.floor.millis).padStart(8)} (CPU ${row.floor.cpu.toFixed(1)} s; RSS ${mb(row.floor.maxRss)})` +
        ` | report adds ${pct(row.reportRatio)} (CPU ${pct(row.reportCpuRatio)})` +
        (row.yamlWorkers
          ? ` | workers, yaml package ${s(row.yamlWorkers.millis)} (${(row.yamlWorkers.millis / row.floor.millis).toFixed(2)}x floor)`
          : '') +
        '\n',
    );
  }
  const a = rows.find((r) => r.n === 1000);
  const b = rows.find((r) => r.n === 10000);
  if (a && b) {
    const exp = (mode, key) => exponent({ n: a.n, ...a[mode] }, { n: b.n, ...b[mode] }, key).toFixed(3);
    console.log(
      `scaling exponent 1,000 -> 10,000 sites (wall): single ${exp('single', 'millis')}, workers ${exp('workers', 'millis')}, floor ${exp('floor', 'millis')}`,
    );
    console.log(
      `scaling exponent 1,000 -> 10,000 sites (CPU seconds, robust to a busy machine): single ${exp('single', 'cpu')}, ` +
        `workers ${exp('workers', 'cpu')}, floor ${exp('floor', 'cpu')}`,
    );
    console.log(
      `targets at 10,000: single/floor ${b.single.ratio.toFixed(2)} (<= 1.2), ` +
        `workers/floor ${b.workers.ratio.toFixed(2)} (< 1), ` +
        `peak RSS ${mb(Math.max(b.single.maxRss, b.workers.maxRss))} (<= 1024 MB); ` +
        `report adds ${pct(b.reportRatio)} (<= 20%); ` +
        `CPU single/floor ${b.single.cpuRatio.toFixed(2)}`,
    );
  }
  const checkSizes = arg('--check-sizes', '1000,10000');
  if (checkSizes !== 'none') checkBenchmark(checkSizes.split(',').map(Number), roundCount);
  const plain = arg('--plain-cdk8s');
  if (plain) {
    console.log('\nplain cdk8s (all sites as charts of one App, app.synth()):');
    for (const n of plain.split(',').map(Number)) {
      const p = measure('plain', n);
      console.log(
        `${String(n).padStart(6)} sites ${s(p.millis).padStart(8)} (CPU ${p.cpu.toFixed(1)} s) RSS ${mb(p.maxRss)}`,
      );
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
