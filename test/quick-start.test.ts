import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INIT_KINDS } from '../lib/cli/init-command';

/**
 * The README's Quick start, end to end, as a user runs it: the packed library installed from its
 * tarball into an empty project, `npx cdk8s-baremetal init` for every kind, then `npm run synth`
 * and `npm run validate` in each site. Packages come from the local npm cache (--prefer-offline),
 * the registry only for what the cache lacks. One site (ha-metallb) is installed by init itself;
 * the others are initialised with --no-install and share its node_modules (the same files an
 * install would put there), which keeps the test at one site install.
 */
jest.setTimeout(600_000);

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * The environment of a user's shell: none of the npm_* variables of the `npm test` running us, and
 * no `CI` (a user records the site's first snapshot on their own machine; under CI=true jest
 * refuses to write a new snapshot, as it should in the site's pipeline).
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_|^INIT_CWD$|^NODE_ENV$|^JEST_|^CI$/.test(k)) env[k] = v;
  }
  return {
    ...env,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

interface Run {
  readonly status: number | null;
  readonly output: string;
}

function run(cwd: string, command: string, args: string[]): Run {
  const r = spawnSync(command, args, { cwd, env: userEnv(), encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

/** A Node.js stack frame (`    at fn (file:1:2)`). */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

let work: string;
let user: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'quick-start-'));
  user = join(work, 'user');
  mkdirSync(user);
  writeFileSync(join(user, 'package.json'), JSON.stringify({ name: 'user', version: '0.0.0', private: true }));
}, 600_000);

describe('Quick start', () => {
  let tarball: string;

  test('npm pack makes a tarball', () => {
    // `npm test` has built already: the pack skips `prepare` (which runs the same build)
    const r = run(root, 'npm', ['pack', '--ignore-scripts', '--pack-destination', work]);
    expect(r.status).toBe(0);
    tarball = `${pkg.name}-${pkg.version}.tgz`;
    expect(existsSync(join(work, tarball))).toBe(true);
  });

  test('the tarball installs into an empty project', () => {
    const r = run(user, 'npm', ['install', `../${tarball}`]);
    expect([r.status, r.output]).toEqual([0, expect.any(String)]);
    expect(existsSync(join(user, 'node_modules', 'cdk8s-baremetal', pkg.main))).toBe(true);
  });

  test('npx cdk8s-baremetal init s --kind ha-metallb writes the site and installs it', () => {
    const r = run(user, 'npx', ['cdk8s-baremetal', 'init', 's', '--kind', 'ha-metallb']);
    expect([r.status, r.output]).toEqual([0, expect.stringContaining('Next: cd s && npm run synth')]);
    expect(r.output).not.toMatch(STACK_FRAME);
    const site = JSON.parse(readFileSync(join(user, 's', 'package.json'), 'utf8'));
    expect(site.dependencies['cdk8s-baremetal']).toBe(`file:../../${tarball}`);
    expect(existsSync(join(user, 's', 'node_modules', '.bin', 'cdk8s'))).toBe(true);
    expect(existsSync(join(user, 's', 'package-lock.json'))).toBe(true);
    // The install scripts the site needs are allowed in its package.json: npm 11.16+ lists the
    // others after every install (npm ci in CI) and npm 12 skips them.
    const scripts = run(join(user, 's'), 'npm', ['install-scripts', 'ls']);
    if (!/Unknown command/i.test(scripts.output)) {
      expect([scripts.status, scripts.output]).toEqual([
        0,
        expect.stringContaining('No packages with unreviewed install scripts'),
      ]);
    }
  });

  test.each(INIT_KINDS.filter((k) => k !== 'ha-metallb'))('npx cdk8s-baremetal init %s --no-install', (kind) => {
    const r = run(user, 'npx', ['cdk8s-baremetal', 'init', kind, '--kind', kind, '--no-install']);
    expect([r.status, r.output]).toEqual([0, expect.stringContaining(`Next: cd ${kind} && npm run synth`)]);
    symlinkSync(join(user, 's', 'node_modules'), join(user, kind, 'node_modules'), 'dir');
  });

  const sites = INIT_KINDS.map((kind) => [kind, kind === 'ha-metallb' ? 's' : kind] as const);

  test.each(sites)('%s: npm run synth exits 0 and writes dist/', (_kind, dir) => {
    const r = run(join(user, dir), 'npm', ['run', 'synth']);
    expect([r.status, r.output]).toEqual([0, expect.any(String)]);
    expect(r.output).not.toMatch(STACK_FRAME);
    const written = readdirSync(join(user, dir, 'dist'));
    expect(written.length).toBeGreaterThan(0);
    expect(written.every((f) => f.endsWith('.k8s.yaml'))).toBe(true);
  });

  test.each(sites)('%s: npm run validate exits 0: types, cdk8s synth and the plugin', (_kind, dir) => {
    const r = run(join(user, dir), 'npm', ['run', 'validate']);
    expect([r.status, r.output]).toEqual([0, expect.stringContaining('Validations ended succesfully')]);
    expect(r.output).toMatch(/cdk8s-baremetal: \d+ object\(s\) checked, 0 problem\(s\)/);
    expect(r.output).not.toMatch(STACK_FRAME);
    expect(r.output).not.toMatch(/new version|http error/i);
  });

  test('ha-metallb: npm run plan with nothing committed lists every object as new, exit 0', () => {
    const r = run(join(user, 's'), 'npm', ['run', 'plan']);
    expect([r.status, r.output]).toEqual([
      0,
      expect.stringContaining('no committed dist/ at HEAD; every object is new'),
    ]);
    expect(r.output).toMatch(/add\s+BareMetalHost\/site-01\/site-01-node1/);
  });

  test('a fleet pull request: npx cdk8s-baremetal synth --validate --plan over the previous output, which keeps the files synth did not write', () => {
    const fleet = join(work, 'fleet');
    mkdirSync(fleet);
    const csv = (mac: string) =>
      [
        'site,kind,rke2_version,image_url,host,boot_mac,bmc_address,host_address',
        'edge-a,single-node,v1.32.4+rke2r1,http://img/os.raw,edge-a-n1,02:00:00:00:00:01,10.0.0.1,10.1.0.1/24',
        `edge-b,single-node,v1.32.4+rke2r1,http://img/os.raw,edge-b-n1,${mac},10.0.0.2,10.1.1.1/24`,
      ].join('\n');
    writeFileSync(join(fleet, 'sites.csv'), csv('02:00:00:00:00:02'));
    const synth = () =>
      run(fleet, join(user, 'node_modules', '.bin', 'cdk8s-baremetal'), [
        'synth',
        '-i',
        'sites.csv',
        '-o',
        'dist',
        '--cache',
        '.cache',
        '--no-progress',
        '--validate',
        '--plan',
        '-e',
        'Secret/*-bmc',
      ]);
    const first = synth();
    expect([first.status, first.output]).toEqual([
      0,
      expect.stringMatching(
        /^validate: \d+ object\(s\) checked \(\d+ of \d+ file\(s\) changed or touched\), 0 problem\(s\)$/m,
      ),
    ]);
    writeFileSync(join(fleet, 'dist', 'README.md'), 'ours\n');
    writeFileSync(join(fleet, 'sites.csv'), csv('02:00:00:00:00:0f'));
    const pr = synth();
    expect(pr.status).toBe(2);
    expect(pr.output).toMatch(
      /!! change BareMetalHost\/site-edge-b\/edge-b-n1\n\s+spec.bootMACAddress: "02:00:00:00:00:02" -> "02:00:00:00:00:0f"/,
    );
    expect(pr.output).toContain('1 unchanged (kept in place)');
    expect(pr.output).not.toMatch(STACK_FRAME);
    expect(readFileSync(join(fleet, 'dist', 'README.md'), 'utf8')).toBe('ours\n');
    // No backup or staging folder is left next to the output or in it.
    expect(readdirSync(fleet).sort()).toEqual(['.cache', 'dist', 'sites.csv']);
    expect(readdirSync(join(fleet, 'dist')).filter((e) => e.includes('.synth-'))).toEqual([]);
  });

  test('ha-metallb: npm test records the snapshot of the chart', () => {
    const r = run(join(user, 's'), 'npm', ['test']);
    expect([r.status, r.output]).toEqual([0, expect.stringMatching(/1 snapshot written/)]);
    expect(existsSync(join(user, 's', '__snapshots__', 'main.test.ts.snap'))).toBe(true);
  });
});
