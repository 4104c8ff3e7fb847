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
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { benchSite } from './bench-site.mjs';
import { generateSites } from './fleet-sites.mjs';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};

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
  if (args[0] === '--one') return one(args[1], Number(args[2]), args[3]);
  if (!args.includes('--no-site')) {
    benchSite({ root, rounds: Math.max(1, Number(arg('--site-rounds', '5'))), siteDir: arg('--site-dir') });
    if (args.includes('--site-only')) return;
  }
  const sizes = arg('--sizes', '1,100,1000,10000').split(',').map(Number);
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
