// One scaffolded site, cold, as a user runs it (the Quick start's bar: `npm run synth` <= 3 s on
// the 2-core machine). The packed library is installed from its tarball into a temporary project
// and `cdk8s-baremetal init --kind ha-metallb` writes and installs the site (from the npm cache
// when it can), once; then each round times, in turn, each a fresh process:
//
//   npm run synth            what the user types (npm, esbuild main.ts -> main.js, node main.js)
//   esbuild + node main.js   the same without npm
//   node main.js             the site compiled beforehand: the floor
//   cdk8s synth              the app through cdk8s-cli with the validation plugin (npm run validate
//                            without its type check)
//
// "Cold": a fresh process and an empty TMPDIR every run; esbuild recompiles main.js every time.
// Files stay in the OS page cache (dropping it would slow every other process on the machine).
//
//   node scripts/bench.mjs --site-only [--site-rounds 5] [--site-dir <an initialised site>]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** The environment of a user's shell: none of the npm_* variables of the `npm run bench` running us. */
function userEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_|^INIT_CWD$/.test(k)));
  return { ...env, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', ...extra };
}

function run(cwd, command, args, env = userEnv()) {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** Installs the packed library into a temporary project and initialises one site there; returns its folder. */
function makeSite(root, work, kind) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  run(root, 'npm', ['pack', '--ignore-scripts', '--pack-destination', work]);
  const user = join(work, 'user');
  mkdirSync(user);
  writeFileSync(join(user, 'package.json'), JSON.stringify({ name: 'user', version: '0.0.0', private: true }));
  run(user, 'npm', ['install', `../${pkg.name}-${pkg.version}.tgz`]);
  run(user, 'npx', ['cdk8s-baremetal', 'init', 'site', '--kind', kind]);
  return join(user, 'site');
}

/** GNU time, for the CPU seconds of a run and its children (robust to a busy machine), when installed. */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Wall milliseconds and CPU seconds (user + system, or NaN without GNU time) of one cold run in `site`. */
function timed(site, command, args) {
  const tmp = mkdtempSync(join(tmpdir(), 'bench-site-run-'));
  try {
    rmSync(join(site, 'dist'), { recursive: true, force: true });
    const cpuFile = join(tmp, 'cpu');
    const [cmd, argv] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S', '-o', cpuFile, command, ...args]] : [command, args];
    const start = performance.now();
    run(site, cmd, argv, userEnv({ TMPDIR: tmp, PATH: `${join(site, 'node_modules', '.bin')}:${process.env.PATH}` }));
    const millis = performance.now() - start;
    const cpu = GNU_TIME
      ? readFileSync(cpuFile, 'utf8')
          .trim()
          .split(/\s+/)
          .map(Number)
          .reduce((a, b) => a + b, 0)
      : NaN;
    return { millis, cpu };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** Runs the site benchmark and prints its table; returns the medians by mode. */
export function benchSite({ root, rounds = 5, kind = 'ha-metallb', siteDir }) {
  const work = mkdtempSync(join(tmpdir(), 'bench-site-'));
  try {
    let site = siteDir;
    if (!site) {
      const start = performance.now();
      site = makeSite(root, work, kind);
      console.log(
        `site benchmark: ${kind} site packed, installed and initialised in ${sec(performance.now() - start)}`,
      );
    }
    // The floor: the same main.ts compiled once (by the synth script itself), untimed.
    const js = join(site, '.bench-js');
    run(site, 'npm', ['run', 'synth']);
    mkdirSync(js, { recursive: true });
    writeFileSync(join(js, 'main.js'), readFileSync(join(site, 'main.js')));
    const pkg = JSON.parse(readFileSync(join(site, 'package.json'), 'utf8'));
    const modes = {
      'npm run synth': ['npm', ['run', 'synth']],
      'esbuild + node main.js': ['sh', ['-c', pkg.scripts.synth]],
      'node main.js (compiled)': [process.execPath, [join(js, 'main.js')]],
      'cdk8s synth (+ plugin)': [
        process.execPath,
        [join(site, 'node_modules', '.bin', 'cdk8s'), 'synth', '--no-check-upgrade'],
      ],
    };
    const times = Object.fromEntries(Object.keys(modes).map((m) => [m, []]));
    for (let r = 0; r < rounds; r++) {
      for (const [mode, [command, args]] of Object.entries(modes)) times[mode].push(timed(site, command, args));
    }
    rmSync(js, { recursive: true, force: true });
    const floor = median(times['node main.js (compiled)'].map((t) => t.millis));
    console.log(
      `one ${kind} site, cold, ${rounds} round(s) (each a fresh process), ${cpus().length} core(s), ` +
        `load average ${loadavg()[0].toFixed(1)}:\n` +
        '  wall median [min-max], ratio to node main.js; CPU seconds (user + system, children included), median',
    );
    const medians = {};
    for (const [mode, runs] of Object.entries(times)) {
      const xs = runs.map((t) => t.millis);
      medians[mode] = median(xs);
      console.log(
        `  ${mode.padEnd(28)} ${sec(medians[mode]).padStart(8)}  [${sec(Math.min(...xs))}-${sec(Math.max(...xs))}]  ` +
          `${(medians[mode] / floor).toFixed(2)}x  CPU ${median(runs.map((t) => t.cpu)).toFixed(2)} s`,
      );
    }
    const synth = medians['npm run synth'];
    console.log(`  bar: npm run synth <= 3 s: ${synth <= 3000 ? 'met' : 'NOT met'} (median ${sec(synth)})\n`);
    return medians;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
