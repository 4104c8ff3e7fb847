// The ledger of mutation scores (stryker-scores.tsv): one row per source file of the checking
// core, its last measurement. `npm run mutate` records each run's results in it; `npm run mutate
// -- --score` prints the core's score from it, with every file that is not measured, or changed
// since it was measured. A row names the source it was measured on by its git blob id, so a later
// edit of the file shows up without git (the id is computed from the bytes).
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';

export const LEDGER = 'stryker-scores.tsv';
const COLUMNS = ['file', 'source', 'killed', 'timeout', 'survived', 'no_coverage', 'measured', 'how'];
const HEADER = `# Mutation scores of the checking core: one row per source file, its last measurement.
# Rows are written by \`npm run mutate\` after each run (or \`npm run mutate -- --record <report.json>\`);
# \`npm run mutate -- --score\` prints the core's score. source = git blob id of the file as measured
# (a file edited since shows as changed); killed + timeout over the four counts is the score
# (compile and runtime errors are not counted, as in Stryker's report).
`;

/** The git blob id of a file's text (`git hash-object`), without git. */
export function blobId(text) {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** Rows of the ledger by file; an unreadable row is an error naming its line. */
export function readLedger(path) {
  const rows = new Map();
  if (!existsSync(path)) return rows;
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line === '' || line.startsWith('#') || line.startsWith('file\t')) return;
    const f = line.split('\t');
    const counts = f.slice(2, 6).map(Number);
    if (
      f.length !== COLUMNS.length ||
      !/^[0-9a-f]{40}$/.test(f[1]) ||
      counts.some((n) => !Number.isInteger(n) || n < 0)
    ) {
      throw new Error(`${path}:${i + 1}: not a ledger row (${COLUMNS.join(', ')}, tab-separated)`);
    }
    const [killed, timeout, survived, noCoverage] = counts;
    rows.set(f[0], { file: f[0], source: f[1], killed, timeout, survived, noCoverage, measured: f[6], how: f[7] });
  });
  return rows;
}

/** Writes the ledger, rows sorted by file (atomically: a temporary file renamed over it). */
export function writeLedger(path, rows) {
  const body = [...rows.values()]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    .map((r) =>
      [r.file, r.source, r.killed, r.timeout, r.survived, r.noCoverage, r.measured, r.how.replace(/[\t\n]/g, ' ')].join(
        '\t',
      ),
    );
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${HEADER}${COLUMNS.join('\t')}\n${body.map((l) => `${l}\n`).join('')}`);
  renameSync(tmp, path);
}

/**
 * Rows from a Stryker JSON report (mutation-testing-report-schema): per file, the blob id of the
 * source it mutated and the counts of killed, timeout, survived and no-coverage mutants.
 */
export function rowsFromReport(report, root, measured, how) {
  if (!report || typeof report !== 'object' || !report.files || typeof report.files !== 'object') {
    throw new Error('not a Stryker JSON report (no "files"); give reports/mutation/mutation.json of a finished run');
  }
  const rows = [];
  for (const [name, entry] of Object.entries(report.files)) {
    const file = (isAbsolute(name) ? relative(root, name) : name).replace(/\\/g, '/');
    const count = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 };
    for (const m of entry.mutants ?? []) if (m.status in count) count[m.status]++;
    if (typeof entry.source !== 'string') throw new Error(`the report has no source for ${file}`);
    rows.push({
      file,
      source: blobId(entry.source),
      killed: count.Killed,
      timeout: count.Timeout,
      survived: count.Survived,
      noCoverage: count.NoCoverage,
      measured,
      how,
    });
  }
  return rows;
}

const valid = (r) => r.killed + r.timeout + r.survived + r.noCoverage;
const pct = (k, v) => (v === 0 ? 'n/a' : `${((100 * k) / v).toFixed(2)} %`);
const lineCount = (text) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/**
 * The core's score from the ledger: a line per core file (score, counts, status: current, changed
 * since measured, not measured) and the totals, over every measured file and over the current
 * ones. Returns the text and the totals.
 */
export function scoreReport(root, coreFiles, rows) {
  const out = [];
  const total = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, files: 0, lines: 0 };
  const current = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, files: 0, lines: 0 };
  let coreLines = 0;
  const changed = [];
  const width = Math.max(...coreFiles.map((f) => f.length));
  out.push(`${'file'.padEnd(width)}  ${'score'.padStart(8)}  killed timeout survived no-cov  valid  lines  status`);
  for (const file of coreFiles) {
    const text = readFileSync(join(root, file), 'utf8');
    const lines = lineCount(text);
    coreLines += lines;
    const r = rows.get(file);
    if (!r) {
      out.push(
        `${file.padEnd(width)}  ${'-'.padStart(8)}  ${''.padStart(37)}  ${String(lines).padStart(5)}  not measured`,
      );
      continue;
    }
    const fresh = r.source === blobId(text);
    if (!fresh) changed.push(file);
    for (const t of fresh ? [total, current] : [total]) {
      t.killed += r.killed;
      t.timeout += r.timeout;
      t.survived += r.survived;
      t.noCoverage += r.noCoverage;
      t.files++;
      t.lines += lines;
    }
    out.push(
      `${file.padEnd(width)}  ${pct(r.killed + r.timeout, valid(r)).padStart(8)}  ${String(r.killed).padStart(6)} ${String(
        r.timeout,
      ).padStart(7)} ${String(r.survived).padStart(8)} ${String(r.noCoverage).padStart(6)} ${String(valid(r)).padStart(
        6,
      )}  ${String(lines).padStart(5)}  ${fresh ? 'current' : 'changed since measured'} (${r.measured}, ${r.how})`,
    );
  }
  const line = (label, t) =>
    `${label}: ${pct(t.killed + t.timeout, valid(t))} (${t.killed} killed, ${t.timeout} timeout, ${t.survived} survived, ${
      t.noCoverage
    } no coverage; ${valid(t)} valid mutants) over ${t.files} of ${coreFiles.length} files, ${t.lines} of ${coreLines} lines (${pct(
      t.lines,
      coreLines,
    ).replace(/\.\d\d /, ' ')})`;
  out.push('', line('measured', total), line('current (unchanged since measured)', current));
  const missing = coreFiles.filter((f) => !rows.has(f));
  if (changed.length > 0) out.push(`changed since measured: ${changed.join(' ')}`);
  if (missing.length > 0) out.push(`not measured: ${missing.join(' ')}`);
  return { text: out.join('\n'), total, current, coreLines, changed, missing };
}
