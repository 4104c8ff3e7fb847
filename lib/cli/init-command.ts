import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { BaremetalValidationError } from '../errors';
import { show } from '../private/errors';
import { packageRoot } from '../private/package-root';

/** The site kinds `init` scaffolds, one folder each under templates/. */
export const INIT_KINDS = ['single-node', 'ha-metallb', 'fleet', 'hosted-cluster-agent', 'assisted'] as const;

/** One of {@link INIT_KINDS}. */
export type InitKind = (typeof INIT_KINDS)[number];

/** Options of `cdk8s-baremetal init`. */
export interface InitOptions {
  /** Which site project to write. */
  readonly kind: InitKind;
  /**
   * Write into a folder that already holds other files (never over them: see `overwrite`).
   * @default false - refuse a non-empty folder
   */
  readonly force?: boolean;
  /**
   * Replace files of the same name as the scaffold's, naming each one replaced. Implies `force`.
   * @default false - refuse when a file the scaffold writes exists
   */
  readonly overwrite?: boolean;
  /**
   * Run `npm install` in the new project.
   * @default true
   */
  readonly install?: boolean;
  /**
   * The dependency spec of cdk8s-baremetal in the new package.json (a version range, a tarball
   * path, a git URL).
   * @default - the spec of the nearest package.json above the working folder that depends on
   * cdk8s-baremetal (a relative `file:` spec rebased on the new folder), else `^<this version>`
   */
  readonly library?: string;
}

/** What `init` did. */
export interface InitResult {
  /** The project folder, absolute. */
  readonly dir: string;
  /** Files written, relative to `dir`, in writing order. */
  readonly written: readonly string[];
  /** Files that existed and were replaced (only with `overwrite`). */
  readonly replaced: readonly string[];
}

interface KindTemplate {
  readonly summary: string;
  readonly files: readonly string[];
  readonly external: readonly string[];
}

interface LibraryManifest {
  readonly version: string;
  readonly devDependencies: Record<string, string>;
  readonly peerDependencies: Record<string, string>;
}

/** Template file names that npm would drop or that would act in this repository, and their real names. */
const RENAMES: Record<string, string> = {
  gitignore: '.gitignore',
  'gitlab-ci.yml': '.gitlab-ci.yml',
  'github/workflows/site.yml': '.github/workflows/site.yml',
};

/** Scaffold files shared by every kind, under templates/common/. */
const COMMON_FILES = [
  'README.md',
  'tsconfig.json',
  'main.test.ts',
  'gitignore',
  'scripts/plan.mjs',
  'github/workflows/site.yml',
  'gitlab-ci.yml',
];

/** Every file the scaffold of `kind` writes, relative to the project folder, with its content. */
export function scaffoldFiles(kind: InitKind, projectName: string, library: string): Map<string, string> {
  const templates = join(packageRoot(), 'templates');
  const kinds = JSON.parse(readFileSync(join(templates, 'kinds.json'), 'utf8')) as Record<InitKind, KindTemplate>;
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as LibraryManifest;
  const template = kinds[kind];
  const files = new Map<string, string>();
  const fill = (text: string) =>
    text
      .replace(/\{\{name\}\}/g, projectName)
      .replace(/\{\{kind\}\}/g, kind)
      .replace(/\{\{summary\}\}/g, template.summary)
      .replace(/\{\{files\}\}/g, template.files.join('`, `'));
  files.set('package.json', `${JSON.stringify(sitePackageJson(projectName, template, manifest, library), null, 2)}\n`);
  files.set('cdk8s.yaml', cdk8sYaml(template, manifest.version));
  for (const file of template.files) files.set(file, readFileSync(join(templates, kind, file), 'utf8'));
  for (const file of COMMON_FILES)
    files.set(RENAMES[file] ?? file, fill(readFileSync(join(templates, 'common', file), 'utf8')));
  return files;
}

/**
 * The scaffold's `synth`: esbuild compiles main.ts (and the local files it imports; packages stay
 * external) into main.js next to it in a few hundredths of a second, then Node.js runs it. Measured
 * against tsx, ts-node and tsc in docs/site-project.md: tsx's loader costs 1.5-2 s on every run, a
 * type-checking runner 5-8 s. Types are checked by `validate` and `test`.
 */
const SYNTH =
  'esbuild main.ts --bundle --packages=external --platform=node --format=cjs --outfile=main.js --log-level=warning && node main.js';

function sitePackageJson(name: string, template: KindTemplate, lib: LibraryManifest, library: string): object {
  const dev = lib.devDependencies;
  return {
    name,
    version: '0.0.0',
    private: true,
    description: `A bare-metal site: ${template.summary}`,
    scripts: {
      synth: SYNTH,
      validate: 'tsc --noEmit && cdk8s synth --no-check-upgrade',
      plan: 'npm run --silent synth && node scripts/plan.mjs',
      test: 'jest',
    },
    dependencies: {
      'cdk8s-baremetal': library,
      cdk8s: lib.peerDependencies.cdk8s,
      constructs: lib.peerDependencies.constructs,
    },
    devDependencies: {
      '@types/jest': dev['@types/jest'],
      '@types/node': dev['@types/node'],
      'cdk8s-cli': dev['cdk8s-cli'],
      jest: dev.jest,
      'ts-jest': dev['ts-jest'],
      esbuild: dev.esbuild,
      typescript: dev.typescript,
    },
    allowScripts: allowScripts(library),
    jest: {
      testEnvironment: 'node',
      testMatch: ['**/*.test.ts'],
      // The CEL evaluator cdk8s-baremetal uses ships as ES modules only: Node.js loads it natively,
      // jest (CommonJS) needs it transpiled like the TypeScript.
      transform: {
        '^.+\\.ts$': 'ts-jest',
        '^.+/@marcbachmann/cel-js/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' } }],
      },
      transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
    },
  };
}

/**
 * The install scripts the new project allows (npm 11.16+ lists the dependencies whose install
 * scripts are not allowed after every install, and npm 12 skips them). esbuild's postinstall,
 * which checks its platform binary, by name: its version is pinned in devDependencies, and a
 * pinned key (`esbuild@0.28.2`) is refused where the lockfile omits registry URLs
 * (`omit-lockfile-registry-resolved`). The library from a git URL, a folder or a tarball, by its
 * spec (npm matches such a dependency by where it comes from, never by name): its `prepare` is
 * the build a git install needs.
 */
function allowScripts(library: string): Record<string, boolean> {
  const allowed: Record<string, boolean> = { esbuild: true };
  if (!isRegistrySpec(library)) allowed[library.trim()] = true;
  return allowed;
}

/**
 * True for a dependency spec npm resolves in the registry (a version, range or tag, or an `npm:`
 * alias); false for a path, tarball, URL or git spec (`file:`, `./x`, `x.tgz`, `git+https:`,
 * `github:owner/repo`, `owner/repo`).
 */
export function isRegistrySpec(spec: string): boolean {
  if (spec.startsWith('npm:')) return true;
  return !/^(file|link|git|git\+[a-z]+|github|gitlab|bitbucket|gist|https?):|[/\\]|\.t(ar\.)?gz$/i.test(spec.trim());
}

function cdk8sYaml(template: KindTemplate, version: string): string {
  return [
    '# cdk8s project file. `npm run validate` runs `cdk8s synth --no-check-upgrade`: the app below, then the',
    '# cdk8s-baremetal validation plugin over the written manifests (references, secrets, MetalLB).',
    'language: typescript',
    'app: npm run --silent synth',
    'output: dist',
    'validations:',
    '  # Named by local path: by package name, cdk8s-cli would install it from the npm registry.',
    '  - package: ./node_modules/cdk8s-baremetal',
    `    version: ${version}`,
    '    class: BaremetalValidation',
    '    properties:',
    '      # Objects on the management cluster that these manifests reference but do not define:',
    '      # the Secrets your secret manager creates. Keep this list in step with main.ts.',
    '      external:',
    ...template.external.map((e) => `        - ${e}`),
    '',
  ].join('\n');
}

/**
 * The cdk8s-baremetal dependency of a new project in `dir`: the spec of the nearest package.json
 * above `from` that depends on it (a relative `file:` spec rebased on `dir`), else `^<version>`.
 */
export function librarySpec(dir: string, from: string, version: string): string {
  for (let at = resolve(from); ; at = dirname(at)) {
    const manifest = join(at, 'package.json');
    if (at !== dir && existsSync(manifest)) {
      try {
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, Record<string, string> | undefined>;
        const spec = pkg.dependencies?.['cdk8s-baremetal'] ?? pkg.devDependencies?.['cdk8s-baremetal'];
        if (spec) {
          if (!spec.startsWith('file:')) return spec;
          const target = spec.slice('file:'.length);
          const rebased = relative(dir, isAbsolute(target) ? target : resolve(at, target))
            .split('\\')
            .join('/');
          return `file:${rebased.startsWith('.') ? rebased : `./${rebased}`}`;
        }
      } catch {
        // an unreadable package.json says nothing about the library; keep walking up
      }
    }
    if (dirname(at) === at) return `^${version}`;
  }
}

/** A package name from a folder name: lowercase, runs of other characters as '-'. */
function projectNameOf(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[-._]+$/g, '');
  return name || 'site';
}

function fail(prop: string, problem: string, got: unknown, fix: string): never {
  throw new BaremetalValidationError('init', prop, problem, typeof got === 'string' ? got : show(got), fix);
}

/** Writes the site project of `options.kind` into `dir`; never writes over a file unless `overwrite`. */
export function initProject(dirArg: string, options: InitOptions, cwd = process.cwd()): InitResult {
  if (!(INIT_KINDS as readonly string[]).includes(options.kind)) {
    fail('--kind', 'is not a site kind', show(options.kind), `pick one of ${INIT_KINDS.join(', ')}`);
  }
  const dir = resolve(cwd, dirArg);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    fail('dir', 'is a file, not a folder', dir, 'name a new folder, e.g. my-site');
  }
  const present = existsSync(dir) ? readdirSync(dir).filter((e) => e !== '.git') : [];
  const force = options.force || options.overwrite;
  if (present.length > 0 && !force) {
    fail(
      'dir',
      'is not empty',
      `${dir} holding ${listed(present)}`,
      'name a new folder, or pass --force to add the site files next to what is there (existing files are never replaced without --overwrite)',
    );
  }
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as LibraryManifest;
  const library = options.library ?? librarySpec(dir, cwd, manifest.version);
  const files = scaffoldFiles(options.kind, projectNameOf(dir), library);
  const clashes = [...files.keys()].filter((f) => existsSync(join(dir, f)));
  if (clashes.length > 0 && !options.overwrite) {
    fail(
      'dir',
      'already has files that init writes',
      `${listed(clashes)} in ${dir}`,
      'move them away, or pass --overwrite to replace them',
    );
  }
  // Each file is written to a temporary name and renamed, so no file is ever left half-written.
  const written: string[] = [];
  for (const [file, content] of files) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.init-${process.pid}.tmp`;
    writeFileSync(temporary, content);
    renameSync(temporary, path);
    written.push(file);
  }
  return { dir, written, replaced: clashes };
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

/** `cdk8s-baremetal init [dir] --kind <kind>`: prints what it wrote; returns the exit code. */
export function runInit(dirArg: string, options: InitOptions): number {
  const result = initProject(dirArg, options);
  const shown = relative(process.cwd(), result.dir) || '.';
  for (const file of result.written) {
    console.log(`${result.replaced.includes(file) ? 'replaced' : 'created '} ${join(shown, file)}`);
  }
  if (options.install !== false) {
    console.log(`\nnpm install (in ${shown})`);
    const npm = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['install', '--no-audit', '--no-fund'], {
      cwd: result.dir,
      stdio: 'inherit',
    });
    if (npm.status !== 0) {
      console.error(
        `[init] 'npm install' failed in ${shown} (got exit ${npm.status ?? npm.signal ?? npm.error?.message}); ` +
          'the site files are written: run npm install there once the registry is reachable',
      );
      return 1;
    }
  }
  console.log(`\nNext: cd ${shown} && npm run synth    (then npm run validate, npm run plan, npm test)`);
  return 0;
}

/** Adds the `init` subcommand to `program`. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a ready site project: main.ts for the kind, cdk8s.yaml, scripts synth/validate/plan/test, CI')
    .argument('[dir]', 'folder of the new project (created when missing)', '.')
    .addOption(new Option('--kind <kind>', 'which site to start from').choices([...INIT_KINDS]).makeOptionMandatory())
    .option('--force', 'write into a folder that holds other files (never over them)')
    .option('--overwrite', 'replace files of the same name, naming each one (implies --force)')
    .option('--no-install', 'do not run npm install in the new project')
    .option('--library <spec>', 'cdk8s-baremetal dependency of the new package.json (version, tarball, git URL)')
    .action((dir: string, options: InitOptions) => {
      process.exitCode = runInit(dir, options);
    });
}
