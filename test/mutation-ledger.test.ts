// The mutation-score ledger (scripts/mutation-ledger.mjs) through `npm run mutate`'s own
// commands, as a developer runs them: --record a finished run's report, --score the core.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const mutate = join(root, 'scripts', 'mutate.mjs');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [mutate, ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A Stryker JSON report of one file with the given statuses. */
function report(file: string, source: string, statuses: string[]): object {
  return {
    schemaVersion: '2',
    thresholds: { high: 90, low: 80 },
    files: {
      [file]: { language: 'typescript', source, mutants: statuses.map((status, i) => ({ id: `${i}`, status })) },
    },
  };
}

describe('npm run mutate -- --record / --score (the ledger)', () => {
  let dir: string;
  let ledger: string;
  const dnsSource = readFileSync(join(root, 'lib/net/dns.ts'), 'utf8');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    ledger = join(dir, 'scores.tsv');
  });

  test('a recorded report counts killed and timeout over the four counted statuses; errors are not counted', () => {
    const r = join(dir, 'report.json');
    const statuses = [
      'Killed',
      'Killed',
      'Killed',
      'Timeout',
      'Survived',
      'NoCoverage',
      'CompileError',
      'RuntimeError',
    ];
    writeFileSync(r, JSON.stringify(report('lib/net/dns.ts', dnsSource, statuses)));
    const rec = run('--record', r, '--ledger', ledger);
    expect(rec.status).toBe(0);
    expect(rec.stdout).toContain('recorded lib/net/dns.ts: 66.67 % (3 killed, 1 timeout, 1 survived, 1 no coverage)');
    const row = readFileSync(ledger, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('lib/net/dns.ts\t'))!;
    // The blob id is git's own for the file's bytes.
    const blob = execFileSync('git', ['hash-object', '--stdin'], { input: dnsSource, encoding: 'utf8' }).trim();
    expect(row.split('\t').slice(0, 6)).toEqual(['lib/net/dns.ts', blob, '3', '1', '1', '1']);

    const score = run('--score', '--ledger', ledger);
    expect(score.status).toBe(0);
    expect(score.stdout).toMatch(/^lib\/net\/dns\.ts +66\.67 % +3 +1 +1 +1 +6 +\d+ +current \(/m);
    expect(score.stdout).toMatch(
      /^measured: 66\.67 % \(3 killed, 1 timeout, 1 survived, 1 no coverage; 6 valid mutants\) over 1 of \d+ files/m,
    );
    expect(score.stdout).toMatch(/^current \(unchanged since measured\): 66\.67 % .* over 1 of/m);
    // Every other core file is listed as not measured.
    expect(score.stdout).toMatch(/^not measured: .*lib\/net\/cidr\.ts/m);
    expect(score.stdout).not.toMatch(/^not measured: .*lib\/net\/dns\.ts/m);
  });

  test('a file edited since its measurement counts in "measured" but not in "current", and is named', () => {
    const r = join(dir, 'report.json');
    writeFileSync(r, JSON.stringify(report('lib/net/dns.ts', `${dnsSource}// edited\n`, ['Killed', 'Survived'])));
    expect(run('--record', r, '--ledger', ledger).status).toBe(0);
    const score = run('--score', '--ledger', ledger).stdout;
    expect(score).toMatch(/^lib\/net\/dns\.ts +50\.00 % .* changed since measured \(/m);
    expect(score).toMatch(/^measured: 50\.00 % .* over 1 of/m);
    expect(score).toMatch(/^current \(unchanged since measured\): n\/a \(0 killed.* over 0 of/m);
    expect(score).toMatch(/^changed since measured: lib\/net\/dns\.ts$/m);
  });

  test('a later record of a file replaces its row; rows of other files stay', () => {
    const r = join(dir, 'report.json');
    writeFileSync(r, JSON.stringify(report('lib/net/dns.ts', dnsSource, ['Survived'])));
    run('--record', r, '--ledger', ledger);
    const mac = readFileSync(join(root, 'lib/net/mac-address.ts'), 'utf8');
    writeFileSync(r, JSON.stringify(report(join(root, 'lib/net/mac-address.ts'), mac, ['Killed'])));
    run('--record', r, '--ledger', ledger);
    writeFileSync(r, JSON.stringify(report('lib/net/dns.ts', dnsSource, ['Killed', 'Killed'])));
    run('--record', r, '--ledger', ledger);
    const rows = readFileSync(ledger, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('lib/'));
    // Sorted by file; an absolute path in the report is recorded relative to the repository.
    expect(rows.map((l) => l.split('\t').slice(0, 1).concat(l.split('\t').slice(2, 6)))).toEqual([
      ['lib/net/dns.ts', '2', '0', '0', '0'],
      ['lib/net/mac-address.ts', '1', '0', '0', '0'],
    ]);
  });

  test('a file that is not a Stryker report, and a damaged ledger row, are refused by name', () => {
    const r = join(dir, 'report.json');
    writeFileSync(r, JSON.stringify({ thresholds: {} }));
    const bad = run('--record', r, '--ledger', ledger);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('not a Stryker JSON report (no "files")');
    writeFileSync(ledger, 'lib/net/dns.ts\tnot-a-blob\t1\t0\t0\t0\t2026-12-03\tstryker\n');
    const damaged = run('--score', '--ledger', ledger);
    expect(damaged.status).not.toBe(0);
    expect(damaged.stderr).toContain('scores.tsv:1: not a ledger row');
  });

  test('the committed ledger reads, and every row names a file of the checking core', () => {
    const out = run('--score');
    expect(out.status).toBe(0);
    const rows = readFileSync(join(root, 'stryker-scores.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('lib/'))
      .map((l) => l.split('\t')[0]);
    expect(rows.length).toBeGreaterThan(0);
    for (const f of rows) expect(out.stdout).toMatch(new RegExp(`^${f.replace(/\./g, '\\.')} +\\d`, 'm'));
  });
});
