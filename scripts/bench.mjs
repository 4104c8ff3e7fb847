// npm run bench: fleet synthesis of 1, 100, 1,000 and 10,000 generated HA sites against the
// floor of the same run (the same objects written with the yaml package, cdk8s's options, one
// thread). Each measurement runs in a child process of its own, so that its peak RSS is its own.
//
//   node scripts/bench.mjs [--sizes 1,100,1000,10000] [--plain-cdk8s 100,300] [--keep DIR]
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
  if (mode === 'single' || mode === 'workers' || mode === 'single-yaml' || mode === 'workers-yaml') {
    const result = await lib.synthesizeFleet(sites, {
      outdir,
      workers: mode.startsWith('single') ? 0 : cpus().length,
      writer: mode.endsWith('-yaml') ? 'cdk8s' : 'fast',
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
  }
}

const mb = (b) => `${(b / 1048576).toFixed(0)} MB`;
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const exponent = (a, b) => Math.log(b.millis / a.millis) / Math.log(b.n / a.n);

async function main() {
  if (args[0] === '--one') return one(args[1], Number(args[2]), args[3]);
  const sizes = arg('--sizes', '1,100,1000,10000').split(',').map(Number);
  console.log(
    `fleet synthesis benchmark: generated HA sites (3 hosts each), ${cpus().length} core(s), node ${process.version}`,
  );
  console.log(
    'single = our path on the main thread; workers = our path on one worker thread per core\n(schema+CEL validated, uniqueness-checked, written with our writer; "yaml package" = printed by cdk8s Yaml.stringify);',
  );
  console.log(
    'floor = the same objects written with yaml.stringify (cdk8s options), one thread, objects built untimed\n',
  );
  const rows = [];
  for (const n of sizes) {
    const single = measure('single', n);
    const workers = measure('workers', n);
    const floor = measure('floor', n);
    // The same path printing with cdk8s's Yaml.stringify (the yaml package): the case for our writer.
    const yamlWorkers = n >= 1000 ? measure('workers-yaml', n) : undefined;
    rows.push({ n, single, workers, floor, yamlWorkers });
    console.log(
      `${String(n).padStart(6)} sites ${String(single.objects).padStart(7)} objects ${mb(single.bytes).padStart(7)} | ` +
        `single ${s(single.millis).padStart(8)} (${(single.millis / floor.millis).toFixed(2)}x floor; CPU ${single.cpu.toFixed(1)} s, ${(single.cpu / floor.cpu).toFixed(2)}x; RSS ${mb(single.maxRss)}) | ` +
        `workers ${s(workers.millis).padStart(8)} (${(workers.millis / floor.millis).toFixed(2)}x floor, RSS ${mb(workers.maxRss)}) | ` +
        `floor ${s(floor.millis).padStart(8)} (CPU ${floor.cpu.toFixed(1)} s; RSS ${mb(floor.maxRss)})` +
        (yamlWorkers
          ? ` | workers, yaml package ${s(yamlWorkers.millis)} (${(yamlWorkers.millis / floor.millis).toFixed(2)}x floor)`
          : ''),
    );
  }
  const a = rows.find((r) => r.n === 1000);
  const b = rows.find((r) => r.n === 10000);
  if (a && b) {
    console.log(
      `\nscaling exponent 1,000 -> 10,000 sites (wall): single ${exponent(a.single, b.single).toFixed(3)}, ` +
        `workers ${exponent(a.workers, b.workers).toFixed(3)}, floor ${exponent(a.floor, b.floor).toFixed(3)}`,
    );
    const cpuExp = (x, y) => Math.log(y.cpu / x.cpu) / Math.log(y.n / x.n);
    console.log(
      `scaling exponent 1,000 -> 10,000 sites (CPU seconds, robust to a busy machine): single ${cpuExp(a.single, b.single).toFixed(3)}, ` +
        `workers ${cpuExp(a.workers, b.workers).toFixed(3)}, floor ${cpuExp(a.floor, b.floor).toFixed(3)}`,
    );
    console.log(
      `targets at 10,000: single/floor ${(b.single.millis / b.floor.millis).toFixed(2)} (<= 1.2), ` +
        `workers/floor ${(b.workers.millis / b.floor.millis).toFixed(2)} (< 1), ` +
        `peak RSS ${mb(Math.max(b.single.maxRss, b.workers.maxRss))} (<= 1024 MB); ` +
        `CPU single/floor ${(b.single.cpu / b.floor.cpu).toFixed(2)}`,
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
