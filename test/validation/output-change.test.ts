import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputChangeView, PREVIOUS_SUFFIX } from '../../lib/validation/output-change';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * An output after a run: `kept/` (known digests), `changed/` (new version in the output, old in
 * the backup), `added/` (new), `removed/` (only in the backup), `_gitops/` (not known: hashed).
 */
function anOutput(backupInside = false) {
  const base = mkdtempSync(join(tmpdir(), 'output-change-'));
  const outdir = join(base, 'dist');
  const backup = backupInside ? join(outdir, '.dist.synth-1-x.old') : join(base, '.dist.synth-1-x.old');
  const put = (path: string, text: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  };
  put(join(outdir, 'kept', 'kept.k8s.yaml'), 'kept');
  put(join(outdir, 'changed', 'changed.k8s.yaml'), 'new');
  put(join(outdir, 'added', 'added.k8s.yaml'), 'added');
  put(join(outdir, '_gitops', 'apps.yaml'), 'gitops');
  put(join(backup, 'changed', 'changed.k8s.yaml'), 'old');
  put(join(backup, 'removed', 'removed.k8s.yaml'), 'removed');
  put(join(backup, '_gitops', 'apps.yaml'), 'gitops');
  const files = new Map([
    // A wrong digest on purpose: a known file is never read.
    ['kept/kept.k8s.yaml', { size: 4, digest: 'known-kept' }],
    ['changed/changed.k8s.yaml', { size: 3, digest: sha('new') }],
    ['added/added.k8s.yaml', { size: 5, digest: sha('added') }],
  ]);
  const view = new OutputChangeView(outdir, { backup, added: ['added'], files });
  return { outdir, backup, view, prev: `${outdir}${PREVIOUS_SUFFIX}` };
}

describe('OutputChangeView', () => {
  test('names the previous output <outdir>@previous', () => {
    const { view, outdir } = anOutput();
    expect(view.previousRoot).toBe(`${outdir}@previous`);
  });

  test('names the previous output after the output as given: a relative path stays relative', () => {
    const { outdir } = anOutput();
    const cwd = process.cwd();
    process.chdir(join(outdir, '..'));
    try {
      const view = new OutputChangeView('dist/', { added: [], files: new Map() });
      expect(view.previousRoot).toBe('dist@previous');
      expect(view.outdir).toBe(outdir);
      expect(view.listing('dist@previous')).toEqual(['_gitops/', 'added/', 'changed/', 'kept/']);
    } finally {
      process.chdir(cwd);
    }
  });

  test('answers the digests the run knows without reading the file, hashes the others', () => {
    const { view, outdir } = anOutput();
    expect(view.digest(join(outdir, 'kept', 'kept.k8s.yaml'))).toEqual({ size: 4, digest: 'known-kept' });
    expect(view.digest(join(outdir, '_gitops', 'apps.yaml'))).toMatchObject({ digest: sha('gitops'), size: 6 });
    expect(view.digest(join(outdir, 'nothing.yaml'))).toBeUndefined();
  });

  test('the previous version of a replaced or removed entry comes from the backup, with its bytes', () => {
    const { view, prev } = anOutput();
    const changed = view.digest(join(prev, 'changed', 'changed.k8s.yaml'));
    expect(changed).toMatchObject({ digest: sha('old'), size: 3 });
    expect(changed?.bytes?.toString()).toBe('old');
    expect(view.digest(join(prev, 'removed', 'removed.k8s.yaml'))?.bytes?.toString()).toBe('removed');
    expect(view.digest(join(prev, 'removed', 'gone.yaml'))).toBeUndefined();
  });

  test('an entry the run kept in place is the same file before and after; an added one did not exist', () => {
    const { view, prev } = anOutput();
    expect(view.digest(join(prev, 'kept', 'kept.k8s.yaml'))).toEqual({ size: 4, digest: 'known-kept' });
    expect(view.digest(join(prev, 'added', 'added.k8s.yaml'))).toBeUndefined();
    expect(view.listing(join(prev, 'added'))).toBeUndefined();
    expect(view.digest(prev)).toBeUndefined();
  });

  test('lists the previous output as the output without the added entries, with the moved ones', () => {
    const { view, prev, outdir } = anOutput();
    expect(view.listing(outdir)).toEqual(['_gitops/', 'added/', 'changed/', 'kept/']);
    expect(view.listing(prev)).toEqual(['_gitops/', 'changed/', 'kept/', 'removed/']);
    expect(view.listing(join(prev, 'removed'))).toEqual(['removed.k8s.yaml']);
    expect(view.listing(join(prev, 'kept'))).toEqual(['kept.k8s.yaml']);
  });

  test("a known folder's listing is its known files (not read)", () => {
    const { view, outdir } = anOutput();
    writeFileSync(join(outdir, 'kept', 'stray.yaml'), 'x');
    expect(view.listing(join(outdir, 'kept'))).toEqual(['kept.k8s.yaml']);
    // A folder of unknown files is read.
    expect(view.listing(join(outdir, '_gitops'))).toEqual(['apps.yaml']);
  });

  test('a backup folder inside the output is not part of either tree', () => {
    const { view, outdir, prev } = anOutput(true);
    expect(view.listing(outdir)).toEqual(['_gitops/', 'added/', 'changed/', 'kept/']);
    expect(view.listing(prev)).toEqual(['_gitops/', 'changed/', 'kept/', 'removed/']);
  });

  test('without a backup (a new output) the previous output is empty', () => {
    const base = mkdtempSync(join(tmpdir(), 'output-change-'));
    const outdir = join(base, 'dist');
    mkdirSync(join(outdir, 'a'), { recursive: true });
    writeFileSync(join(outdir, 'a', 'a.yaml'), 'a');
    const view = new OutputChangeView(outdir, { added: ['a'], files: new Map() });
    expect(view.listing(view.previousRoot)).toEqual([]);
    expect(view.digest(join(view.previousRoot, 'a', 'a.yaml'))).toBeUndefined();
  });

  test('keeps nothing between runs', () => {
    const { view } = anOutput();
    view.cover();
    expect(view.save()).toBeUndefined();
  });
});
