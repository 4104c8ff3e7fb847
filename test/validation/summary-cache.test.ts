import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCheck } from '../../lib/validation/check-files';
import { checksFingerprint, SUMMARY_CACHE_FILE, SummaryCache } from '../../lib/validation/summary-cache';

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

  test('keeps a scope per entry, read without the rest of the entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-cache-'));
    const cache = SummaryCache.open(dir, 'default');
    const c = {
      ...check('a.yaml', 'd1'),
      places: [{ file: 'a.yaml', identity: '\u0000Secret\u0000site\u0000s', id: 'x', document: 1 }],
    };
    cache.set(c);
    cache.save([c]);
    expect(SummaryCache.open(dir, 'default').scope('d1')).toEqual({
      namespaces: ['site'],
      cluster: [],
      wide: false,
      broken: false,
      objects: 1,
    });
    expect(SummaryCache.open(dir, 'default').scope('d2')).toBeUndefined();
  });

  test('an entry whose body was edited is ignored with a note; the others are used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-cache-'));
    const cache = SummaryCache.open(dir, 'default');
    const a = { ...check('a.yaml', 'd1'), problems: [{ file: 'a.yaml', check: 'schema', message: 'first' }] };
    cache.set(a);
    cache.set(check('b.yaml', 'd2'));
    cache.save([a, check('b.yaml', 'd2')]);
    const file = join(dir, SUMMARY_CACHE_FILE);
    // Same length, so that only the entry's checksum can tell
    writeFileSync(file, readFileSync(file, 'utf8').replace('"first"', '"fir5t"'));
    const again = SummaryCache.open(dir, 'default');
    expect(again.note).toBeUndefined();
    expect(again.get('d1', 'a.yaml')).toBeUndefined();
    expect(again.note).toMatch(/an entry of the validate cache in .* does not match its checksum \(edited\); ignored/);
    expect(again.places('d1', 'a.yaml')).toBeUndefined();
    expect(again.get('d2', 'b.yaml')).toMatchObject({ file: 'b.yaml', objects: 1 });
  });

  test('a cache cut short, or whose table was edited, is ignored whole with a note', () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-cache-'));
    const cache = SummaryCache.open(dir, 'default');
    cache.set(check('a.yaml', 'd1'));
    cache.save([check('a.yaml', 'd1')]);
    const file = join(dir, SUMMARY_CACHE_FILE);
    const text = readFileSync(file, 'utf8');
    for (const damaged of [
      text.slice(0, -5),
      `${text}x`,
      text.replace('"objects":1', '"objects":2'),
      text.replace(/"table":\d+/, '"table":"x"'),
      text.replace(/"table":\d+/, '"table":99999'),
    ]) {
      writeFileSync(file, damaged);
      const again = SummaryCache.open(dir, 'default');
      expect(again.note).toMatch(/does not match its checksum \(edited or cut short\); ignored/);
      expect(again.get('d1', 'a.yaml')).toBeUndefined();
    }
    writeFileSync(file, text);
    expect(SummaryCache.open(dir, 'default').get('d1', 'a.yaml')).toBeDefined();
  });

  test('reads entries one by one, then the whole file once many are needed; each is checked either way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-cache-'));
    const cache = SummaryCache.open(dir, 'default');
    const checks = Array.from({ length: 300 }, (_, i) => ({
      ...check(`f${i}.yaml`, `d${i}`),
      problems: [{ file: `f${i}.yaml`, check: 'schema', message: `m${String(i).padStart(3, '0')}` }],
    }));
    for (const c of checks) cache.set(c);
    cache.save(checks);
    const file = join(dir, SUMMARY_CACHE_FILE);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"m010"', '"x010"').replace('"m290"', '"x290"'));
    const again = SummaryCache.open(dir, 'default');
    const found = checks.map((c, i) => again.get(c.digest, `g${i}.yaml`)?.problems[0].message);
    expect(found.filter((m) => m === undefined)).toHaveLength(2);
    expect([found[10], found[290], found[11], found[289]]).toEqual([undefined, undefined, 'm011', 'm289']);
    // AND a save keeps the entries that are still good
    again.save(checks);
    const third = SummaryCache.open(dir, 'default');
    expect(third.note).toBeUndefined();
    expect(checks.filter((c) => third.get(c.digest, 'x.yaml') !== undefined)).toHaveLength(298);
  });

  test('the fingerprint is stable within a run', () => {
    expect(checksFingerprint()).toMatch(/^[0-9a-f]{64}$/);
    expect(checksFingerprint()).toBe(checksFingerprint());
  });
});
