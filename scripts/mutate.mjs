// npm run mutate: mutation testing (Stryker) of the checking core, judged by the test files that
// mirror the mutated source files (lib/net/cidr.ts -> test/net/cidr.test.ts).
//
//   npm run mutate                         the whole core (CORE in stryker.config.mjs)
//   npm run mutate -- lib/net lib/metal3/bmc.ts   some areas or files of the core
//   npm run mutate -- --since main         the core files changed since a git ref (a changed test
//                                          file counts for the source file it mirrors)
//
//   npm run mutate -- --since main --list   only print the files and their test files
//   npm run mutate -- --score              the core's score from the ledger (stryker-scores.tsv)
//   npm run mutate -- --record <report.json>   record a finished run's JSON report in the ledger
//
// After a finished run, the results of its files are recorded in the ledger (see
// scripts/mutation-ledger.mjs); `--ledger <file>` names another ledger.
//
// Any other option goes to `stryker run` as is (`--force` ignores the incremental file,
// `--concurrency 2` on an idle machine).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { LEDGER, readLedger, rowsFromReport, scoreReport, writeLedger } from './mutation-ledger.mjs';
import strykerConfig, { CORE } from '../stryker.config.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

/** Folders and single files of the core, from the globs in CORE. */
const coreDirs = CORE.filter((g) => g.endsWith('/**/*.ts')).map((g) => g.slice(0, -'/**/*.ts'.length));
const coreFiles = CORE.filter((g) => !g.includes('*'));
const inCore = (file) =>
  file.endsWith('.ts') && (coreFiles.includes(file) || coreDirs.some((d) => file.startsWith(`${d}/`)));

function tsFilesUnder(dir) {
  const out = [];
  for (const name of readdirSync(join(root, dir)).sort()) {
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) out.push(...tsFilesUnder(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The source file a changed file stands for: itself, or the source its test file mirrors. */
function sourceOf(file) {
  const m = /^test\/(.+)\.test\.ts$/.exec(file);
  return m ? `lib/${m[1]}.ts` : file;
}

const passThrough = [];
let targets = [];
let since;
let listOnly = false;
let score = false;
let record;
let ledger = resolve(root, LEDGER);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--since') since = args[++i];
  else if (a === '--score') score = true;
  else if (a === '--record') record = args[++i];
  else if (a === '--ledger') ledger = resolve(root, args[++i] ?? '');
  else if (a.startsWith('--since=')) since = a.slice('--since='.length);
  else if (a === '--list') listOnly = true;
  else if (a.startsWith('-')) {
    passThrough.push(a);
    if (i + 1 < args.length && !args[i + 1].startsWith('-') && !args[i + 1].startsWith('lib/')) {
      passThrough.push(args[++i]);
    }
  } else targets.push(relative(root, join(root, a)).replace(/\\/g, '/'));
}

const today = new Date().toISOString().slice(0, 10);

/** Records the files of a finished run's report in the ledger; prints what it recorded. */
function recordReport(reportPath, how, only) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const rows = readLedger(ledger);
  for (const r of rowsFromReport(report, root, today, how)) {
    if (only && !only.includes(r.file)) continue;
    if (!inCore(r.file)) console.warn(`mutate: ${r.file} is outside the checking core; recorded anyway`);
    rows.set(r.file, r);
    const valid = r.killed + r.timeout + r.survived + r.noCoverage;
    console.log(
      `mutate: recorded ${r.file}: ${valid === 0 ? 'n/a' : ((100 * (r.killed + r.timeout)) / valid).toFixed(2)} % (${r.killed} killed, ${r.timeout} timeout, ${r.survived} survived, ${r.noCoverage} no coverage)`,
    );
  }
  writeLedger(ledger, rows);
}

if (score) {
  const core = [...coreDirs.flatMap((d) => tsFilesUnder(d)), ...coreFiles].sort();
  console.log(scoreReport(root, core, readLedger(ledger)).text);
  process.exit(0);
}
if (record !== undefined) {
  if (!record) throw new Error('--record needs a Stryker JSON report, for example reports/mutation/mutation.json');
  recordReport(resolve(root, record), 'stryker');
  process.exit(0);
}

let files;
if (since !== undefined) {
  if (!since) throw new Error('--since needs a git ref, for example --since main');
  // Committed and uncommitted changes against the ref, plus new files git does not track yet.
  // Changes of this branch only: against the merge base, so that commits made on `since` after
  // the branch started do not count.
  const base = execFileSync('git', ['merge-base', since, 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  const changed = [
    ...execFileSync('git', ['diff', '--name-only', base, '--'], { cwd: root, encoding: 'utf8' }).split('\n'),
    ...execFileSync('git', ['ls-files', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\n'),
  ];
  files = [...new Set(changed.filter(Boolean).map(sourceOf))].filter((f) => inCore(f) && existsSync(join(root, f)));
  files.sort();
  if (files.length === 0) {
    console.log(`mutate: no file of the checking core changed since ${since}; nothing to do`);
    process.exit(0);
  }
} else {
  if (targets.length === 0) targets = [...coreDirs, ...coreFiles];
  files = [];
  for (const t of targets) {
    if (!existsSync(join(root, t))) throw new Error(`mutate: ${t} does not exist`);
    files.push(...(statSync(join(root, t)).isDirectory() ? tsFilesUnder(t) : [t]));
  }
  const outside = files.filter((f) => !inCore(f));
  if (outside.length > 0) console.warn(`mutate: outside the checking core, mutated anyway: ${outside.join(', ')}`);
}

const tests = files.map((f) => f.replace(/^lib\//, 'test/').replace(/\.ts$/, '.test.ts'));
const missing = tests.filter((t) => !existsSync(join(root, t)));
if (missing.length > 0) throw new Error(`mutate: no mirroring test file: ${missing.join(', ')}`);

if (listOnly) {
  for (const [i, f] of files.entries()) console.log(`${f}\t${tests[i]}`);
  process.exit(0);
}

// One test (airgap-registry-mirror) runs a compiled example: compile once if build/ lacks it.
if (!existsSync(join(root, 'build', 'examples', 'disconnected-hub', 'main.js'))) {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}

console.log(`mutate: ${files.length} source file(s), judged by ${tests.length} mirroring test file(s)`);
const stryker = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
const result = spawnSync(process.execPath, [stryker, 'run', '--mutate', files.join(','), ...passThrough], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, MUTATE_TESTS: tests.join(',') },
});
if (result.status === 0) {
  // A finished run: its files' results go into the ledger.
  const report = join(root, strykerConfig.jsonReporter?.fileName ?? 'reports/mutation/mutation.json');
  if (existsSync(report)) recordReport(report, 'stryker', files);
}
process.exit(result.status ?? 1);
