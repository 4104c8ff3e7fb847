import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What `npm pack` ships: exactly what a user's project needs at run time (compiled library, its
 * types and source maps with their sources inlined, the generated imports, the schemas, the CLI and
 * the `init` templates), nothing from the repository's tests, examples or build state.
 * `npm test` has built already, so the pack here skips the `prepare` script.
 */
const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

interface PackEntry {
  readonly path: string;
  readonly size: number;
}

let files: string[] = [];
beforeAll(() => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  files = (JSON.parse(out)[0].files as PackEntry[]).map((f) => f.path).sort();
});

describe('npm pack', () => {
  test('ships the entry points, the CLI, the schemas and the init templates', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'bin/cdk8s-baremetal',
        'build/lib/index.js',
        'build/lib/index.d.ts',
        'build/lib/index.js.map',
        'build/lib/cli/main.js',
        'build/lib/validation/plugin.js',
        'schemas/index.json',
      ]),
    );
    expect(files.some((f) => f.startsWith('build/imports/') && f.endsWith('.js'))).toBe(true);
    for (const kind of ['single-node', 'ha-metallb', 'fleet', 'hosted-cluster-agent', 'assisted']) {
      expect(files).toContain(`templates/${kind}/main.ts`);
    }
    expect(files).toEqual(expect.arrayContaining(['templates/kinds.json', 'templates/common/gitignore']));
    expect(files).toContain(pkg.main);
    expect(files).toContain(pkg.types);
  });

  test('ships nothing from tests, examples, sources or build state', () => {
    const allowed = /^(package\.json|README\.md|LICENSE|bin\/|build\/lib\/|build\/imports\/|schemas\/|templates\/)/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files.filter((f) => /\.tsbuildinfo$|(^|\/)test\/|^build\/(test|examples)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /^(build\/)?(lib|imports)\/.*\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  });

  test('every shipped source map carries its sources, which are not shipped', () => {
    const maps = files.filter((f) => f.startsWith('build/lib/') && f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(50);
    const withoutSources = maps.filter((m) => {
      const map = JSON.parse(readFileSync(join(root, m), 'utf8'));
      return !Array.isArray(map.sourcesContent) || map.sourcesContent.length !== map.sources.length;
    });
    expect(withoutSources).toEqual([]);
  });

  test('the bin script loads a shipped file', () => {
    const bin = readFileSync(join(root, 'bin/cdk8s-baremetal'), 'utf8');
    const target = /require\('\.\.\/(.+?)'\)/.exec(bin)![1];
    expect(files).toContain(`${target}.js`);
  });
});

describe('package.json', () => {
  test('builds on pack and on install from a git URL', () => {
    expect(pkg.scripts.prepare).toBe('npm run build');
  });

  test('cdk8s and constructs are peers whose floor is the version the suite runs with', () => {
    for (const name of ['cdk8s', 'constructs']) {
      const installed = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
      expect(pkg.peerDependencies[name]).toBe(`^${installed}`);
      expect(pkg.devDependencies[name]).toBe(pkg.peerDependencies[name]);
      expect(pkg.dependencies[name]).toBeUndefined();
    }
  });

  test('cdk8s-plus-29 is a runtime dependency whose own peers our peers satisfy', () => {
    expect(pkg.dependencies['cdk8s-plus-29']).toBeDefined();
    const plus = JSON.parse(readFileSync(join(root, 'node_modules', 'cdk8s-plus-29', 'package.json'), 'utf8'));
    expect(Object.keys(plus.peerDependencies).sort()).toEqual(['cdk8s', 'constructs']);
  });

  test('engines asks for at least the newest Node.js floor of the runtime dependencies', () => {
    const floor = (range: string) => (/(\d+)(?:\.(\d+))?/.exec(range) ?? []).slice(1, 3).map((n) => Number(n ?? 0));
    const ours = floor(pkg.engines.node);
    for (const name of Object.keys(pkg.dependencies)) {
      const engines = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).engines;
      if (!engines?.node) continue;
      const theirs = floor(engines.node);
      expect([name, ours[0] > theirs[0] || (ours[0] === theirs[0] && ours[1] >= theirs[1])]).toEqual([name, true]);
    }
  });
});
