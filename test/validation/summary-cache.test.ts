import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

  test('an edited entry found in a run is dropped from the file on save, so the next run has no note', () => {
    // GIVEN a cache with one edited entry, found by a run that changes nothing else
    const dir = mkdtempSync(join(tmpdir(), 'summary-cache-'));
    const cache = SummaryCache.open(dir, 'default');
    const a = { ...check('a.yaml', 'd1'), problems: [{ file: 'a.yaml', check: 'schema', message: 'first' }] };
    cache.set(a);
    cache.set(check('b.yaml', 'd2'));
    cache.save([a, check('b.yaml', 'd2')]);
    const file = join(dir, SUMMARY_CACHE_FILE);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"first"', '"fir5t"'));
    const run = SummaryCache.open(dir, 'default');
    expect(run.get('d1', 'a.yaml')).toBeUndefined();
    expect(run.get('d2', 'b.yaml')).toBeDefined();
    // WHEN it saves
    expect(run.save([a, check('b.yaml', 'd2')])).toBeUndefined();
    // THEN the next run reads no edited entry: d1 is gone, d2 kept, and no note
    const next = SummaryCache.open(dir, 'default');
    expect(next.get('d1', 'a.yaml')).toBeUndefined();
    expect(next.get('d2', 'b.yaml')).toMatchObject({ file: 'b.yaml' });
    expect(next.note).toBeUndefined();
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

describe('SummaryCache in detail', () => {
  const fresh = () => mkdtempSync(join(tmpdir(), 'summary-cache-'));

  test('a cache of another format or fingerprint, or whose header is not JSON, is ignored with its own note', () => {
    const dir = fresh();
    const cache = SummaryCache.open(dir, 'default');
    cache.set(check('a.yaml', 'd1'));
    cache.save([check('a.yaml', 'd1')]);
    const file = join(dir, SUMMARY_CACHE_FILE);
    const text = readFileSync(file, 'utf8');
    for (const header of [/"format":\d+/, /"fingerprint":"[0-9a-f]+"/]) {
      writeFileSync(
        file,
        text.replace(header, (m) => m.replace(/\d/, (d) => String((Number(d) + 1) % 10))),
      );
      const again = SummaryCache.open(dir, 'default');
      expect(again.note).toBe(
        `note: the validate cache in ${dir} was written by another version of the checks; ignored`,
      );
      expect(again.get('d1', 'a.yaml')).toBeUndefined();
    }
    for (const damaged of ['{not json\n', 'null\n', '']) {
      writeFileSync(file, damaged);
      const again = SummaryCache.open(dir, 'default');
      expect(again.get('d1', 'a.yaml')).toBeUndefined();
      expect(again.note).toBe(
        damaged === 'null\n'
          ? `note: the validate cache in ${dir} was written by another version of the checks; ignored`
          : `note: the validate cache in ${dir} is not valid JSON; ignored`,
      );
    }
  });

  test('a header whose table size is not a whole number of bytes within the file, or a header alone, is damage', () => {
    const dir = fresh();
    const cache = SummaryCache.open(dir, 'default');
    cache.set(check('a.yaml', 'd1'));
    cache.save([check('a.yaml', 'd1')]);
    const file = join(dir, SUMMARY_CACHE_FILE);
    const text = readFileSync(file, 'utf8');
    const eol = text.indexOf('\n');
    for (const damaged of [
      text.replace(/"table":\d+/, '"table":-1'),
      text.replace(/"table":(\d+)/, '"table":$1.5'),
      text.replace(/"table":\d+/, '"table":null'),
      text.slice(0, eol),
      text.replace(/\t(\d+)\n/, '\t-1\n'),
      text.replace(/\t(\d+)\n/, '\tx\n'),
      text.replace(/\t(\d+)\n/, (_m, n) => `\t${Number(n) + 1000}\n`),
    ]) {
      writeFileSync(file, damaged);
      const again = SummaryCache.open(dir, 'default');
      expect([damaged.length, again.note]).toEqual([
        damaged.length,
        `note: the validate cache in ${dir} does not match its checksum (edited or cut short); ignored`,
      ]);
      expect(again.scope('d1')).toBeUndefined();
    }
  });

  test('an empty cache is written and read back empty', () => {
    const dir = fresh();
    const cache = SummaryCache.open(dir, 'default');
    cache.set(check('a.yaml', 'd1'));
    cache.save([]);
    const again = SummaryCache.open(dir, 'default');
    expect(again.note).toBeUndefined();
    expect(again.scope('d1')).toBeUndefined();
    expect(readFileSync(join(dir, SUMMARY_CACHE_FILE), 'utf8').split('\n')).toHaveLength(2);
  });

  test('a checked entry is kept; an unchecked one is replaced only by a checked one', () => {
    const dir = fresh();
    const cache = SummaryCache.open(dir, 'default');
    const unchecked = { ...check('a.yaml', 'd1'), checked: false, problems: [] };
    cache.set(unchecked);
    expect(cache.get('d1', 'a.yaml')).toMatchObject({ checked: false, problems: [] });
    cache.set(check('a.yaml', 'd1'));
    expect(cache.get('d1', 'a.yaml')).toMatchObject({ checked: true, problems: [{ message: 'm' }] });
    cache.set(unchecked);
    cache.set({ ...check('a.yaml', 'd1'), problems: [{ file: 'a.yaml', check: 'schema', message: 'other' }] });
    expect(cache.get('d1', 'a.yaml')).toMatchObject({ checked: true, problems: [{ message: 'm' }] });
    // A file that could not be read (no digest) is not kept
    cache.set({ ...check('b.yaml', ''), problems: [{ file: 'b.yaml', check: 'read', message: 'gone' }] });
    expect(cache.get('', 'b.yaml')).toBeUndefined();
    expect(cache.scope('')).toBeUndefined();
  });

  test('places gives the problems and places of an entry as of the file asked for, with its digest', () => {
    const dir = fresh();
    const cache = SummaryCache.open(dir, 'default');
    cache.set({ ...check('a.yaml', 'd1'), views: [{ kind: 'X' }] });
    cache.save([check('a.yaml', 'd1')]);
    const again = SummaryCache.open(dir, 'default');
    expect(again.places('d1', 'b.yaml')).toEqual({
      file: 'b.yaml',
      digest: 'd1',
      problems: [{ file: 'b.yaml', check: 'schema', message: 'm' }],
      places: [{ file: 'b.yaml', identity: 'i', id: 'ConfigMap/default/a', document: 1 }],
    });
    expect(again.get('d1', 'c.yaml')).toEqual({
      ...check('c.yaml', 'd1'),
      views: [{ kind: 'X' }],
    });
    expect(again.places('d2', 'b.yaml')).toBeUndefined();
  });

  test('the entries of other namespaces are kept on save; those of this namespace only when used', () => {
    const dir = fresh();
    const other = SummaryCache.open(dir, 'other');
    other.set(check('a.yaml', 'd1'));
    other.save([check('a.yaml', 'd1')]);
    const mine = SummaryCache.open(dir, 'default');
    mine.set(check('a.yaml', 'd1'));
    mine.set(check('b.yaml', 'd2'));
    mine.save([check('b.yaml', 'd2')]);
    expect(SummaryCache.open(dir, 'other').get('d1', 'a.yaml')).toBeDefined();
    expect(SummaryCache.open(dir, 'default').get('d1', 'a.yaml')).toBeUndefined();
    expect(SummaryCache.open(dir, 'default').get('d2', 'a.yaml')).toBeDefined();
  });

  test('an unchanged cache is not written again; a changed one is replaced whole', () => {
    const dir = fresh();
    const cache = SummaryCache.open(dir, 'default');
    cache.set(check('a.yaml', 'd1'));
    cache.save([check('a.yaml', 'd1')]);
    const file = join(dir, SUMMARY_CACHE_FILE);
    const inode = statSync(file).ino;
    const again = SummaryCache.open(dir, 'default');
    expect(again.get('d1', 'a.yaml')).toBeDefined();
    expect(again.save([check('a.yaml', 'd1')])).toBeUndefined();
    expect(statSync(file).ino).toBe(inode);
    // AND dropping an entry rewrites it
    const third = SummaryCache.open(dir, 'default');
    expect(third.save([])).toBeUndefined();
    expect(statSync(file).ino).not.toBe(inode);
    expect(SummaryCache.open(dir, 'default').get('d1', 'a.yaml')).toBeUndefined();
  });

  test('a cache that cannot be written gives a note naming the folder and the reason', () => {
    const parent = fresh();
    const dir = join(parent, 'file');
    writeFileSync(dir, 'not a folder');
    const cache = SummaryCache.open(dir, 'default');
    expect(cache.note).toBeUndefined();
    cache.set(check('a.yaml', 'd1'));
    expect(cache.save([check('a.yaml', 'd1')])).toBe(
      `note: the validate cache could not be written to ${dir} (EEXIST)`,
    );
  });

  test('entries read after the file changed under the run are not trusted, nor saved again', () => {
    const dir = fresh();
    const cache = SummaryCache.open(dir, 'default');
    const checks = Array.from({ length: 300 }, (_, i) => check(`f${i}.yaml`, `d${i}`));
    for (const c of checks) cache.set(c);
    cache.save(checks);
    const file = join(dir, SUMMARY_CACHE_FILE);
    const again = SummaryCache.open(dir, 'default');
    // Another run rewrites the cache (longer now) after this one read its table
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n`);
    const found = checks.filter((c) => again.get(c.digest, 'x.yaml') !== undefined);
    // Read one by one, the first 256 still match their checksums; the whole file read after them has another size
    expect(found).toHaveLength(256);
    expect(again.get('d299', 'x.yaml')).toBeUndefined();
  });

  test('an entry read alone is checked: one cut short is not used, nor saved again', () => {
    const dir = fresh();
    const cache = SummaryCache.open(dir, 'default');
    cache.set(check('a.yaml', 'd1'));
    cache.save([check('a.yaml', 'd1')]);
    const file = join(dir, SUMMARY_CACHE_FILE);
    const cut = () => writeFileSync(file, readFileSync(file).subarray(0, -20));
    const reader = SummaryCache.open(dir, 'default');
    const saver = SummaryCache.open(dir, 'default');
    cut();
    expect(reader.get('d1', 'a.yaml')).toBeUndefined();
    expect(reader.note).toMatch(/an entry of the validate cache in .* does not match its checksum/);
    // A save drops what it cannot read back as it was, rather than writing it
    expect(saver.save([check('a.yaml', 'd1')])).toBeUndefined();
    const third = SummaryCache.open(dir, 'default');
    expect(third.note).toBeUndefined();
    expect(third.scope('d1')).toBeUndefined();
  });
});

describe('checksFingerprint', () => {
  /** A fresh module whose package root is `root`. */
  const fingerprintAt = (root: string): string => {
    let fp = '';
    jest.isolateModules(() => {
      jest.doMock('../../lib/private/package-root', () => ({ packageRoot: () => root }));
      fp = (
        require('../../lib/validation/summary-cache') as typeof import('../../lib/validation/summary-cache')
      ).checksFingerprint();
    });
    return fp;
  };

  test('changes with the package version and with any schema file, nested ones included', () => {
    const root = mkdtempSync(join(tmpdir(), 'fingerprint-'));
    mkdirSync(join(root, 'schemas', 'nested'), { recursive: true });
    writeFileSync(join(root, 'package.json'), '{"version":"1.0.0"}');
    writeFileSync(join(root, 'schemas', 'a.json'), '{}');
    writeFileSync(join(root, 'schemas', 'nested', 'b.json'), '{}');
    const first = fingerprintAt(root);
    expect(fingerprintAt(root)).toBe(first);
    writeFileSync(join(root, 'package.json'), '{"version":"1.0.1"}');
    const second = fingerprintAt(root);
    expect(second).not.toBe(first);
    writeFileSync(join(root, 'schemas', 'nested', 'b.json'), '{"x":1}');
    const third = fingerprintAt(root);
    expect(third).not.toBe(second);
    // a file outside schemas/ does not count
    writeFileSync(join(root, 'notes.txt'), 'x');
    expect(fingerprintAt(root)).toBe(third);
    writeFileSync(join(root, 'schemas', 'c.json'), '');
    expect(fingerprintAt(root)).not.toBe(third);
    expect(first).not.toBe(checksFingerprint());
  });
});

describe('SummaryCache with text that is not ASCII', () => {
  test('an entry whose messages hold multi-byte characters is read back whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-cache-'));
    const cache = SummaryCache.open(dir, 'default');
    const c = { ...check('a.yaml', 'd1'), problems: [{ file: 'a.yaml', check: 'schema', message: 'größer → 𝔁' }] };
    cache.set(c);
    cache.set(check('b.yaml', 'd2'));
    cache.save([c, check('b.yaml', 'd2')]);
    const again = SummaryCache.open(dir, 'default');
    expect(again.note).toBeUndefined();
    expect(again.get('d1', 'a.yaml')?.problems[0].message).toBe('größer → 𝔁');
    expect(again.get('d2', 'b.yaml')).toBeDefined();
  });
});

describe('SummaryCache and file handles', () => {
  const fds = () => readdirSync('/proc/self/fd').length;
  (existsSync('/proc/self/fd') ? test : test.skip)('reading entries one by one closes each file it opens', () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-cache-'));
    const cache = SummaryCache.open(dir, 'default');
    const checks = Array.from({ length: 40 }, (_, i) => check(`f${i}.yaml`, `d${i}`));
    for (const c of checks) cache.set(c);
    cache.save(checks);
    const before = fds();
    const again = SummaryCache.open(dir, 'default');
    for (const c of checks) expect(again.get(c.digest, 'x.yaml')).toBeDefined();
    expect(fds()).toBe(before);
  });
});

describe('SummaryCache table lines', () => {
  /** Rewrites the table of the cache in `dir` with `edit` applied to each line's length, with a matching header. */
  const rewriteLengths = (dir: string, edit: (lengths: number[]) => number[]) => {
    const file = join(dir, SUMMARY_CACHE_FILE);
    const bytes = readFileSync(file);
    const eol = bytes.indexOf(10);
    const head = JSON.parse(bytes.subarray(0, eol).toString('utf8')) as { table: number; sha256: string };
    const lines = bytes
      .subarray(eol + 1, eol + 1 + head.table)
      .toString('utf8')
      .split('\n')
      .filter(Boolean);
    const lengths = edit(lines.map((l) => Number(l.split('\t')[3])));
    const table = Buffer.from(lines.map((l, i) => `${l.split('\t').slice(0, 3).join('\t')}\t${lengths[i]}\n`).join(''));
    const newHead = { ...head, table: table.length, sha256: createHash('sha256').update(table).digest('hex') };
    writeFileSync(
      file,
      Buffer.concat([Buffer.from(`${JSON.stringify(newHead)}\n`), table, bytes.subarray(eol + 1 + head.table)]),
    );
  };
  const twoEntries = () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-cache-'));
    const cache = SummaryCache.open(dir, 'default');
    cache.set(check('a.yaml', 'd1'));
    cache.set(check('b.yaml', 'd2'));
    cache.save([check('a.yaml', 'd1'), check('b.yaml', 'd2')]);
    return dir;
  };

  test('a table whose checksum matches but that gives an entry a negative length is damage', () => {
    const dir = twoEntries();
    rewriteLengths(dir, ([a, b]) => [-1, a + b + 1]);
    expect(SummaryCache.open(dir, 'default').note).toBe(
      `note: the validate cache in ${dir} does not match its checksum (edited or cut short); ignored`,
    );
  });

  test('an entry of length 0 is read as an edited entry, not as a damaged cache', () => {
    const dir = twoEntries();
    rewriteLengths(dir, ([a, b]) => [0, a + b]);
    const again = SummaryCache.open(dir, 'default');
    expect(again.note).toBeUndefined();
    expect(again.get('d1', 'a.yaml')).toBeUndefined();
    expect(again.note).toMatch(/an entry of the validate cache in .* does not match its checksum \(edited\); ignored/);
  });
});

describe('SummaryCache write errors', () => {
  test('an error without a code is still named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-cache-'));
    const cache = SummaryCache.open(dir, 'default');
    cache.set(check('a.yaml', 'd1'));
    const fs = require('node:fs') as typeof import('node:fs');
    const spy = jest.spyOn(fs, 'renameSync').mockImplementation(() => {
      throw new Error('no code');
    });
    try {
      expect(cache.save([check('a.yaml', 'd1')])).toBe(
        `note: the validate cache could not be written to ${dir} (error)`,
      );
    } finally {
      spy.mockRestore();
    }
  });
});
