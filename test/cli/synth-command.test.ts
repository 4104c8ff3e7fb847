import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { progressReporter, runSynth } from '../../lib/cli/synth-command';

const root = join(__dirname, '..', '..');
const EXAMPLE = join(root, 'examples', 'fleet-inventory');
const tmp = () => mkdtempSync(join(tmpdir(), 'synth-cli-'));

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
    expect(out).toMatch(/^3 site\(s\), 3 written to .*, 30 object\(s\), \d+ bytes, \d+\.\d s$/);
    expect(err).toContain('synth: 3/3 sites\n');
    expect(readdirSync(output)).toEqual(expect.arrayContaining(['berlin-01', 'munich-01', 'hamburg-01', '_gitops']));
  });

  test('GIVEN a bad site among good ones THEN the good ones are written, the bad one is listed with its errors; exit 1', async () => {
    const output = tmp();
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
    const { code, out } = await captured(() => runSynth({ inventory: [csv], output, workers: 0, progress: false }));
    expect(code).toBe(1);
    expect(out).toContain('2 site(s), 1 written to');
    expect(out).toMatch(
      /FAILED bad:\n {2}.*sites.csv:3: \[bad\/Cluster\] 'vip' is outside the machine network 10.2.0.0\/24/,
    );
    expect(out).toContain('1 site(s) failed');
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
    expect(readdirSync(output)).toHaveLength(1004); // sites, _gitops, _report, _preflight and the marker
  }, 120_000);

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
