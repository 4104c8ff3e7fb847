import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  INIT_KINDS,
  initProject,
  isRegistrySpec,
  librarySpec,
  runInit,
  scaffoldFiles,
} from '../../lib/cli/init-command';
import { main } from '../../lib/cli/main';
import { checkManifests } from '../../lib/validation/check-manifests';

// The templates import the library by its package name, as a user's project does.
jest.mock('cdk8s-baremetal', () => jest.requireActual('../../lib'), { virtual: true });

/** Every file under `dir`, relative, sorted. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tree(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();
}

const scratch = () => mkdtempSync(join(tmpdir(), 'init-'));

describe('cdk8s-baremetal init', () => {
  beforeEach(() => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  test.each(INIT_KINDS)('writes a complete %s project into a new folder', (kind) => {
    // GIVEN a folder that does not exist yet
    const dir = join(scratch(), 'my-site');
    // WHEN init runs without installing
    const result = initProject(dir, { kind, install: false });
    // THEN the project has the site's files, the shared ones and CI, and nothing half-written
    const files = tree(dir);
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'cdk8s.yaml',
        'tsconfig.json',
        'main.ts',
        'main.test.ts',
        '.gitignore',
        'README.md',
        'scripts/plan.mjs',
        '.github/workflows/site.yml',
        '.gitlab-ci.yml',
      ]),
    );
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect([...result.written].sort()).toEqual(files);
    expect(result.replaced).toEqual([]);
  });

  test('the site package.json pins the toolchain and passes --no-check-upgrade to every cdk8s call', () => {
    const pkg = JSON.parse(scaffoldFiles('ha-metallb', 'my-site', '^0.1.0').get('package.json')!);
    const ours = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: 'my-site',
      private: true,
      dependencies: {
        'cdk8s-baremetal': '^0.1.0',
        cdk8s: ours.peerDependencies.cdk8s,
        constructs: ours.peerDependencies.constructs,
      },
      devDependencies: { typescript: expect.stringMatching(/^~5\.9\./), esbuild: ours.devDependencies.esbuild },
    });
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['cdk8s-cli', 'jest', 'ts-jest']));
    expect(Object.keys(pkg.scripts).sort()).toEqual(['plan', 'synth', 'test', 'validate']);
    const cdk8sCalls = Object.values(pkg.scripts as Record<string, string>).flatMap((s) =>
      s.split('&&').filter((c) => /\bcdk8s\s/.test(c)),
    );
    expect(cdk8sCalls.length).toBeGreaterThan(0);
    expect(cdk8sCalls.filter((c) => !c.includes('--no-check-upgrade'))).toEqual([]);
  });

  test('the site package.json allows the install scripts it needs: esbuild by name, the library by its spec only from outside the registry', () => {
    const allow = (library: string) =>
      JSON.parse(scaffoldFiles('single-node', 's', library).get('package.json')!).allowScripts as Record<
        string,
        boolean
      >;
    // A registry library runs no install script: only esbuild's postinstall is allowed.
    expect(allow('^0.1.0')).toEqual({ esbuild: true });
    // From a tarball, a folder or git, npm counts the library's `prepare` as an install script and
    // matches the dependency by its source, not its name.
    for (const library of ['file:../cdk8s-baremetal-0.1.0.tgz', 'git+https://example.invalid/x.git', 'owner/repo']) {
      expect(allow(library)).toEqual({ esbuild: true, [library]: true });
    }
  });

  test.each([
    ['^0.1.0', true],
    ['0.1.0', true],
    ['latest', true],
    ['>=0.1.0 <0.2.0', true],
    ['npm:cdk8s-baremetal@0.1.0', true],
    ['file:../x.tgz', false],
    ['./cdk8s-baremetal', false],
    ['cdk8s-baremetal-0.1.0.tgz', false],
    ['x.tar.gz', false],
    ['https://example.invalid/x.tgz', false],
    ['git+ssh://git@example.invalid/x.git', false],
    ['github:owner/repo', false],
    ['owner/repo#main', false],
    ['link:../lib', false],
  ])('isRegistrySpec(%j) is %s', (spec, registry) => {
    expect(isRegistrySpec(spec)).toBe(registry);
  });

  test.each(INIT_KINDS)('the %s cdk8s.yaml names the plugin by local path and the app by the synth runner', (kind) => {
    const files = scaffoldFiles(kind, 'my-site', '^0.1.0');
    const config = parse(files.get('cdk8s.yaml')!);
    const pkg = JSON.parse(files.get('package.json')!);
    expect(config.app).toBe('npm run --silent synth');
    expect(pkg.scripts.synth).toMatch(/^esbuild main\.ts .*--outfile=main\.js .*&& node main\.js$/);
    expect(config.validations).toEqual([
      expect.objectContaining({
        package: './node_modules/cdk8s-baremetal',
        class: 'BaremetalValidation',
        properties: { external: expect.arrayContaining([expect.stringMatching(/^Secret\//)]) },
      }),
    ]);
  });

  test.each(INIT_KINDS)('the %s template synthesizes and passes every check with its external list', (kind) => {
    // GIVEN the template's main.ts, importing this library as a user's project does
    const files = scaffoldFiles(kind, 'my-site', '^0.1.0');
    const external: string[] = parse(files.get('cdk8s.yaml')!).validations[0].properties.external;
    const { build } = require(join(__dirname, '..', '..', 'templates', kind, 'main.ts'));
    // WHEN it is synthesized
    const app = Testing.app();
    const charts: Chart[] = [build(app)].flat();
    const objects = charts.flatMap((c) => c.toJson()).map((object) => ({ file: `${kind}.k8s.yaml`, object }));
    // THEN every check passes with exactly the Secrets the scaffold declares external
    expect(objects.length).toBeGreaterThan(5);
    expect(checkManifests(objects, { external })).toEqual([]);
    for (const secret of external) {
      const problems = checkManifests(objects, { external: external.filter((e) => e !== secret) });
      expect([secret, problems.length > 0]).toEqual([secret, true]);
    }
  });

  test('fails when the folder is not empty, naming what is there', () => {
    // GIVEN a folder with a file of the user's
    const dir = scratch();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    // THEN init refuses, and writes nothing
    expect(() => initProject(dir, { kind: 'single-node', install: false })).toThrow(
      /^\[init\] 'dir' is not empty \(got .*notes\.txt\); name a new folder, or pass --force/,
    );
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  test('a folder holding only .git counts as empty', () => {
    const dir = scratch();
    mkdirSync(join(dir, '.git'));
    expect(initProject(dir, { kind: 'single-node', install: false }).written).toContain('main.ts');
  });

  test('with --force writes next to other files', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    initProject(dir, { kind: 'fleet', force: true, install: false });
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(dir, 'sites.yaml'))).toBe(true);
  });

  test('fails with --force when a file it writes exists, and replaces nothing', () => {
    // GIVEN the user's own main.ts
    const dir = scratch();
    writeFileSync(join(dir, 'main.ts'), '// mine');
    // THEN --force refuses to replace it, names it, and writes no other file
    expect(() => initProject(dir, { kind: 'single-node', force: true, install: false })).toThrow(
      /^\[init\] 'dir' already has files that init writes \(got main\.ts in .*\); move them away, or pass --overwrite/,
    );
    expect(readdirSync(dir)).toEqual(['main.ts']);
    expect(readFileSync(join(dir, 'main.ts'), 'utf8')).toBe('// mine');
  });

  test('with --overwrite replaces the files it writes and says which', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'main.ts'), '// mine');
    const log = jest.spyOn(console, 'log');
    expect(runInit(dir, { kind: 'single-node', overwrite: true, install: false })).toBe(0);
    expect(readFileSync(join(dir, 'main.ts'), 'utf8')).toContain('SingleNodeCluster');
    expect(log.mock.calls.map((c) => c[0])).toEqual(
      expect.arrayContaining([expect.stringMatching(/^replaced .*main\.ts$/)]),
    );
  });

  test('fails when the target is a file', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'site'), '');
    expect(() => initProject(join(dir, 'site'), { kind: 'single-node', install: false })).toThrow(
      /^\[init\] 'dir' is a file, not a folder \(got .*site\); name a new folder/,
    );
  });

  test('fails on a kind it does not know', () => {
    expect(() => initProject(scratch(), { kind: 'tiny' as never, install: false })).toThrow(
      /^\[init\] '--kind' is not a site kind \(got "tiny"\); pick one of single-node, ha-metallb/,
    );
  });

  test('the command line prints a usage error, not a stack trace, for a missing --kind', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['node', 'cdk8s-baremetal', 'init', join(scratch(), 'x')])).not.toBe(0);
    const text = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(text).toContain("required option '--kind <kind>' not specified");
    expect(text).not.toMatch(/\n\s+at /);
  });

  test('the command line prints the refusal as one line and exits 1', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const error = jest.spyOn(console, 'error');
    expect(await main(['node', 'cdk8s-baremetal', 'init', dir, '--kind', 'single-node', '--no-install'])).toBe(1);
    expect(error.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/^\[init\] 'dir' is not empty/)]);
  });
});

describe('librarySpec', () => {
  test('rebases the file: spec of the project init ran from on the new folder', () => {
    // GIVEN a project that installed the library from a tarball next to it
    const root = scratch();
    writeFileSync(
      join(root, 'package.json'),
      JSON.stringify({ dependencies: { 'cdk8s-baremetal': 'file:cdk8s-baremetal-0.1.0.tgz' } }),
    );
    // THEN a site in a subfolder depends on the same tarball
    expect(librarySpec(join(root, 'sites', 'berlin'), root, '0.1.0')).toBe('file:../../cdk8s-baremetal-0.1.0.tgz');
  });

  test('keeps a registry or git spec as it is', () => {
    const root = scratch();
    writeFileSync(
      join(root, 'package.json'),
      JSON.stringify({ devDependencies: { 'cdk8s-baremetal': 'git+https://example.invalid/x.git' } }),
    );
    expect(librarySpec(join(root, 's'), root, '0.1.0')).toBe('git+https://example.invalid/x.git');
  });

  test('is ^<version> when no project above depends on the library', () => {
    expect(librarySpec(join(scratch(), 's'), scratch(), '0.1.0')).toBe('^0.1.0');
  });
});
