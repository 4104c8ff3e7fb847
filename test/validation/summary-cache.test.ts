import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCheck } from '../../lib/validation/check-files';
import { checksFingerprint, SummaryCache } from '../../lib/validation/summary-cache';

const check = (file: string, digest: string): FileCheck => ({
  file,
  digest,
  objects: 1,
  checked: true,
  problems: [{ file, check: 'schema', message: 'm' }],
  places: [{ file, identity: 'i', id: 'ConfigMap/default/a', document: 1 }],
  views: [],
  manifestMaps: [],
  configMaps: [],
});

describe('SummaryCache', () => {
  test('returns an entry by content for any file name, per namespace', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'summary-cache-')), 'nested');
    const cache = SummaryCache.open(dir, 'default');
    cache.set(check('a.yaml', 'd1'));
    expect(cache.save([check('a.yaml', 'd1')])).toBeUndefined();
    const again = SummaryCache.open(dir, 'default');
    expect(again.note).toBeUndefined();
    expect(again.get('d1', 'b.yaml')).toMatchObject({
      file: 'b.yaml',
      problems: [{ file: 'b.yaml' }],
      places: [{ file: 'b.yaml' }],
    });
    expect(SummaryCache.open(dir, 'other').get('d1', 'b.yaml')).toBeUndefined();
  });

  test('keeps only the entries of the files of the last run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-cache-'));
    const cache = SummaryCache.open(dir, 'default');
    cache.set(check('a.yaml', 'd1'));
    cache.set(check('b.yaml', 'd2'));
    cache.save([check('b.yaml', 'd2')]);
    const again = SummaryCache.open(dir, 'default');
    expect(again.get('d1', 'a.yaml')).toBeUndefined();
    expect(again.get('d2', 'a.yaml')).toBeDefined();
  });

  test('the fingerprint is stable within a run', () => {
    expect(checksFingerprint()).toMatch(/^[0-9a-f]{64}$/);
    expect(checksFingerprint()).toBe(checksFingerprint());
  });
});
