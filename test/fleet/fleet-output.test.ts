import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import {
  describeFsError,
  FLEET_JOURNAL,
  FLEET_MARKER,
  FleetOutputError,
  inspectOutput,
  parseManifest,
  renderManifest,
  swapHooks,
} from '../../lib/fleet/fleet-output';
import { FLEET_CACHE, synthesizeFleet } from '../../lib/fleet/fleet-synth';
import { loadInventory } from '../../lib/fleet/inventory';

const EXAMPLES = join(__dirname, '..', '..', 'examples', 'fleet-inventory');
const SITES = loadInventory([join(EXAMPLES, 'sites.yaml')]);
const tmp = () => mkdtempSync(join(tmpdir(), 'fleet-output-'));

/** Every file and folder under `dir` (relative path to contents; folders end in /), `.git` left out. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.name === '.git') continue;
      if (e.isDirectory()) {
        out[`${relative(dir, p)}/`] = '';
        walk(p);
      } else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** Entries next to `outdir` and inside it that a run left behind (staging and backup folders). */
function leftovers(outdir: string): string[] {
  const pattern = /\.synth-\d+-[0-9a-z]+(\.old)?$/;
  return [
    ...readdirSync(dirname(outdir)).filter((e) => pattern.test(e)),
    ...(existsSync(outdir) ? readdirSync(outdir).filter((e) => pattern.test(e) || e === FLEET_JOURNAL) : []),
  ];
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe('output ownership', () => {
  test('GIVEN an output at the root of a git repository with a README and docs WHEN synthesized again THEN .git and the foreign files stay and Git sees no change to the output', async () => {
    const repo = join(tmp(), 'fleet-repo');
    await synthesizeFleet(SITES, { outdir: repo, workers: 0, report: false });
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'first synth');
    writeFileSync(join(repo, 'README.md'), '# Fleet\n');
    mkdirSync(join(repo, 'docs'));
    writeFileSync(join(repo, 'docs', 'runbook.md'), 'steps\n');
    const before = tree(repo);

    const result = await synthesizeFleet(SITES, { outdir: repo, workers: 0, report: false });

    expect(result.output).toMatchObject({ written: true, previous: 'replaced', kept: ['.git', 'README.md', 'docs'] });
    expect(tree(repo)).toEqual(before);
    expect(git(repo, 'status', '--porcelain')).toBe('?? README.md\n?? docs/\n');
    expect(git(repo, 'log', '--oneline')).toMatch(/first synth/);
    expect(leftovers(repo)).toEqual([]);
  });

  test('GIVEN an output at the root of a repository THEN the GitOps examples name the top-level folders', async () => {
    const repo = join(tmp(), 'r');
    const cwd = process.cwd();
    mkdirSync(repo);
    process.chdir(repo);
    try {
      await synthesizeFleet(SITES, { outdir: '.', workers: 0, report: false });
    } finally {
      process.chdir(cwd);
    }
    const appset = readFileSync(join(repo, '_gitops', 'applicationset.yaml'), 'utf8');
    expect(appset).toContain('- path: "*"');
    expect(appset).toContain('- path: _gitops');
  });

  test('GIVEN a folder synth did not write where a site goes THEN it refuses before writing anything', async () => {
    const outdir = tmp();
    mkdirSync(join(outdir, 'munich-01'));
    writeFileSync(join(outdir, 'munich-01', 'notes.txt'), 'mine');
    await expect(synthesizeFleet(SITES, { outdir, workers: 0, report: false })).rejects.toThrow(
      /^\[synthesizeFleet\] 'outdir' holds "munich-01", which synth did not write, where the output goes \(got ".*"\); move it away or rename the site: synth never replaces what it did not write$/,
    );
    expect(tree(outdir)).toEqual({ 'munich-01/': '', 'munich-01/notes.txt': 'mine' });
    expect(leftovers(outdir)).toEqual([]);
  });

  test('GIVEN a site removed from the inventory THEN only its folder goes, foreign files stay', async () => {
    const outdir = tmp();
    writeFileSync(join(outdir, 'README.md'), 'kept');
    await synthesizeFleet(SITES, { outdir, workers: 0, report: false });
    const result = await synthesizeFleet(SITES.slice(0, 1), { outdir, workers: 0, full: true, report: false });
    expect(readdirSync(outdir).sort()).toEqual([FLEET_MARKER, FLEET_CACHE, 'README.md', '_gitops', 'berlin-01']);
    expect(result.output.swap).toEqual({
      added: [],
      replaced: [FLEET_CACHE, '_gitops', 'berlin-01'],
      removed: ['hamburg-01', 'munich-01'],
      carried: [],
    });
    expect(parseManifest(readFileSync(join(outdir, FLEET_MARKER), 'utf8'))?.entries).toEqual([
      FLEET_CACHE,
      '_gitops',
      'berlin-01',
    ]);
  });

  test('GIVEN an output of an older version (a marker without a list) THEN its site folders are replaced and other files kept', async () => {
    const outdir = tmp();
    await synthesizeFleet(SITES, { outdir, workers: 0, report: false });
    writeFileSync(join(outdir, FLEET_MARKER), 'Written by cdk8s-baremetal synth; emptied on every run.\n');
    mkdirSync(join(outdir, 'old-site'));
    writeFileSync(join(outdir, 'old-site', 'kustomization.yaml'), '');
    writeFileSync(join(outdir, 'old-site', 'fleet.yaml'), '');
    writeFileSync(join(outdir, 'notes.md'), 'kept');
    const result = await synthesizeFleet(SITES, { outdir, workers: 0, report: false });
    expect(result.output.swap?.removed).toEqual(['old-site']);
    expect(readdirSync(outdir).sort()).toEqual([
      FLEET_MARKER,
      FLEET_CACHE,
      '_gitops',
      'berlin-01',
      'hamburg-01',
      'munich-01',
      'notes.md',
    ]);
  });

  test('GIVEN a marker that is not a manifest (a merge conflict) THEN it refuses and says what to do', async () => {
    const outdir = tmp();
    writeFileSync(join(outdir, FLEET_MARKER), '<<<<<<< HEAD\n');
    await expect(synthesizeFleet(SITES, { outdir, workers: 0, report: false })).rejects.toThrow(
      /has a \.cdk8s-baremetal-fleet that is not a manifest of this tool .*restore it from Git \(a merge conflict\?\)/,
    );
  });

  test('GIVEN a manifest that lists a path outside the folder THEN it is not a manifest', () => {
    expect(parseManifest('{"version":1,"entries":["../etc"]}')).toBeUndefined();
    expect(parseManifest('{"version":1,"entries":["a"]}')).toEqual({ entries: ['a'], bytes: 0, files: 0 });
  });

  test('the manifest is stable: sorted, one entry a line', () => {
    const text = renderManifest({ entries: ['b', '_gitops', 'a'], bytes: 10, files: 3 });
    expect(text).toContain('"entries": [\n    "_gitops",\n    "a",\n    "b"\n  ]');
    expect(parseManifest(text)).toEqual({ entries: ['_gitops', 'a', 'b'], bytes: 10, files: 3 });
  });
});

describe('inspectOutput (checks before anything is written)', () => {
  test.each([
    ['an empty path', () => '', /'outdir' is empty \(got ""\); name an output folder such as dist/],
    [
      'a file',
      () => {
        const f = join(tmp(), 'afile');
        writeFileSync(f, 'x');
        return f;
      },
      /'outdir' is a file, not a folder \(got ".*afile"\); pick a folder path/,
    ],
    [
      'a path through a file',
      () => {
        const f = join(tmp(), 'afile');
        writeFileSync(f, 'x');
        return join(f, 'sub', 'deeper');
      },
      /'outdir' runs through ".*afile", which is a file \(got ".*afile\/sub\/deeper"\); pick a folder path/,
    ],
    [
      'a dangling symbolic link',
      () => {
        const l = join(tmp(), 'link');
        symlinkSync(join(tmp(), 'gone'), l);
        return l;
      },
      /'outdir' is a symbolic link to nothing, not a folder \(got ".*link"\)/,
    ],
  ])('refuses %s with a sentence, not an errno', (_what, make, message) => {
    const outdir = make();
    let error: unknown;
    try {
      inspectOutput(outdir, []);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FleetOutputError);
    expect((error as Error).message).toMatch(message);
  });

  test('GIVEN a missing folder THEN it is reported as new, and nothing is created', () => {
    const outdir = join(tmp(), 'a', 'b');
    expect(inspectOutput(outdir, ['x'])).toMatchObject({ exists: false, owned: [], foreign: [] });
    expect(existsSync(join(outdir, '..'))).toBe(false);
  });

  test('GIVEN an output through a symbolic link THEN it is written through the link', async () => {
    const real = join(tmp(), 'real');
    mkdirSync(real);
    const link = join(tmp(), 'link');
    symlinkSync(real, link);
    await synthesizeFleet(SITES, { outdir: link, workers: 0, report: false });
    expect(readdirSync(real)).toContain('berlin-01');
  });

  test('GIVEN staging folders of runs that no longer exist THEN the next run removes them', async () => {
    const outdir = join(tmp(), 'out');
    await synthesizeFleet(SITES, { outdir, workers: 0, report: false });
    const stale = join(dirname(outdir), `.${basename(outdir)}.synth-999999999-abc123`);
    mkdirSync(join(stale, 'berlin-01'), { recursive: true });
    const result = await synthesizeFleet(SITES, { outdir, workers: 0, report: false });
    expect(result.output.notes).toEqual([`removed ${stale}, left by an interrupted run`]);
    expect(leftovers(outdir)).toEqual([]);
  });
});

describe('swap', () => {
  afterEach(() => {
    swapHooks.afterRename = undefined;
  });

  test('GIVEN a run killed midway through the swap (journal left) THEN the next run completes it first', async () => {
    const outdir = join(tmp(), 'out');
    await synthesizeFleet(SITES, { outdir, workers: 0, report: false });
    writeFileSync(join(outdir, 'README.md'), 'kept');
    swapHooks.afterRename = (n) => {
      if (n === 4) throw Object.assign(new Error('killed'), { simulatedCrash: true });
    };
    await expect(synthesizeFleet(SITES.slice(0, 2), { outdir, workers: 0, full: true, report: false })).rejects.toThrow(
      'killed',
    );
    swapHooks.afterRename = undefined;
    expect(existsSync(join(outdir, FLEET_JOURNAL))).toBe(true);
    expect(readdirSync(outdir)).not.toContain('berlin-01'); // moved aside, not yet replaced

    const next = await synthesizeFleet(SITES.slice(0, 2), { outdir, workers: 0, report: false });
    expect(next.output.notes).toEqual([
      expect.stringMatching(/^completed the replacement of the output that run \d+ started and could not finish$/),
    ]);
    expect(readdirSync(outdir).sort()).toEqual([
      FLEET_MARKER,
      FLEET_CACHE,
      'README.md',
      '_gitops',
      'berlin-01',
      'munich-01',
    ]);
    expect(leftovers(outdir)).toEqual([]);
  });

  test('GIVEN a rename that fails once during the swap THEN the swap is completed from the journal at once', async () => {
    const outdir = join(tmp(), 'out');
    await synthesizeFleet(SITES, { outdir, workers: 0, report: false });
    swapHooks.afterRename = (n) => {
      if (n === 2) throw Object.assign(new Error('EIO'), { code: 'EIO' });
    };
    const result = await synthesizeFleet(SITES.slice(1), { outdir, workers: 0, report: false });
    expect(result.output.written).toBe(true);
    expect(readdirSync(outdir).sort()).toEqual([FLEET_MARKER, FLEET_CACHE, '_gitops', 'hamburg-01', 'munich-01']);
    expect(leftovers(outdir)).toEqual([]);
  });
});

describe('describeFsError', () => {
  test.each([
    ['ENOSPC', /cannot write "\/o\/x": no space left on the device \(ENOSPC\); free some space/],
    ['ENOTDIR', /a part of the path is a file, not a folder \(ENOTDIR\)/],
    ['ENOENT', /a folder on the path does not exist \(ENOENT\); create it/],
    ['EACCES', /permission denied \(EACCES\); make the folder writable/],
    ['EROFS', /read-only \(EROFS\)/],
  ])('%s names the path and what to do', (code, message) => {
    expect(describeFsError(Object.assign(new Error(code), { code }), '/o/x')).toMatch(message);
  });
});
