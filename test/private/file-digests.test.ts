import * as fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, utimesSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { absolute, FILE_DIGESTS, FileDigests, relativeTo } from '../../lib/private/file-digests';
import { RUNS, SEED } from '../arbitraries';

const tmp = () => mkdtempSync(join(tmpdir(), 'file-digests-'));
const sha = (t: string) => createHash('sha256').update(t).digest('hex');

describe('FileDigests', () => {
  test('GIVEN a file hashed and saved THEN the next run takes its digest without reading it', () => {
    const dir = tmp();
    const cache = tmp();
    const file = join(dir, 'a.yaml');
    writeFileSync(file, 'a: 1\n');
    const first = FileDigests.open(cache);
    expect(first.digest(file)).toMatchObject({ digest: sha('a: 1\n'), size: 5, bytes: Buffer.from('a: 1\n') });
    expect(first.save()).toBeUndefined();
    const next = FileDigests.open(cache);
    expect(next.digest(file)).toEqual({ digest: sha('a: 1\n'), size: 5 });
    expect(next.reads).toBe(0);
  });

  test('GIVEN a file rewritten with the same size and its modification time set back THEN it is read again (its change time moved)', () => {
    const dir = tmp();
    const cache = tmp();
    const file = join(dir, 'a.yaml');
    writeFileSync(file, 'a: 1\n');
    const first = FileDigests.open(cache);
    first.digest(file);
    first.save();
    const { atime, mtime } = statSync(file);
    writeFileSync(file, 'a: 2\n');
    utimesSync(file, atime, mtime);
    const next = FileDigests.open(cache);
    expect(next.digest(file)?.digest).toBe(sha('a: 2\n'));
    expect(next.reads).toBe(1);
  });

  test('GIVEN a file replaced by another (a rename over it) THEN it is read again', () => {
    const dir = tmp();
    const cache = tmp();
    const file = join(dir, 'a.yaml');
    writeFileSync(file, 'a: 1\n');
    const first = FileDigests.open(cache);
    first.digest(file);
    first.save();
    writeFileSync(join(dir, 'b'), 'b: 1\n');
    renameSync(join(dir, 'b'), file);
    expect(FileDigests.open(cache).digest(file)?.digest).toBe(sha('b: 1\n'));
  });

  test('GIVEN a folder listed THEN its names come from the index until an entry is added', () => {
    const dir = tmp();
    const cache = tmp();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'x'), '');
    const first = FileDigests.open(cache);
    expect(first.listing(dir)).toEqual(['sub/', 'x']);
    first.save();
    expect(FileDigests.open(cache).listing(dir)).toEqual(['sub/', 'x']);
    writeFileSync(join(dir, 'y'), '');
    expect(FileDigests.open(cache).listing(dir)).toEqual(['sub/', 'x', 'y']);
    expect(FileDigests.open(cache).listing(join(dir, 'x'))).toBeUndefined();
  });

  test('GIVEN a recorded file THEN it is known; files no longer seen under a covered folder are dropped on save', () => {
    const dir = tmp();
    const cache = tmp();
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    writeFileSync(a, 'x');
    writeFileSync(b, 'y');
    const first = FileDigests.open(cache);
    first.record(a, 'recorded');
    first.digest(b);
    first.save();
    const second = FileDigests.open(cache);
    expect(second.digest(a)?.digest).toBe('recorded');
    second.cover(dir);
    second.save();
    const lines = readFileSync(join(cache, FILE_DIGESTS), 'utf8').split('\n').slice(1, -1);
    expect(lines.map((l) => l.split('\t')[0])).toEqual([a]);
  });

  test('GIVEN no folder, a missing file or a corrupt index THEN nothing is trusted and nothing fails', () => {
    const none = FileDigests.open(undefined);
    expect(none.digest(join(tmp(), 'missing'))).toBeUndefined();
    expect(none.save()).toBeUndefined();
    const cache = tmp();
    writeFileSync(join(cache, FILE_DIGESTS), '{broken');
    const file = join(tmp(), 'f');
    writeFileSync(file, 'z');
    const index = FileDigests.open(cache);
    expect(index.digest(file)?.digest).toBe(sha('z'));
    expect(index.reads).toBe(1);
  });
});

describe('absolute', () => {
  test('is resolve() for every path, absolute or not, normal or not', () => {
    const part = fc.constantFrom('', '.', '..', '...', 'a', '.a', 'a.', '..b', 'b..', 'site-1', 'x.yaml');
    fc.assert(
      fc.property(fc.boolean(), fc.array(part, { maxLength: 6 }), (abs, parts) => {
        const path = `${abs ? '/' : ''}${parts.join('/')}`;
        expect(absolute(path)).toBe(resolve(path));
      }),
      { numRuns: Math.max(RUNS, 500), seed: SEED },
    );
  });
});

describe('relativeTo', () => {
  test('is the path under the root for the files a walk finds', () => {
    expect(relativeTo('dist', join('dist', 'a', 'b.yaml'))).toBe(join('a', 'b.yaml'));
    expect(relativeTo('/x/dist', '/x/dist/a.yaml')).toBe('a.yaml');
  });

  test('is what relative makes for any other path', () => {
    const cases: [string, string][] = [
      ['dist', 'dist'],
      ['dist', 'distant/a.yaml'],
      ['dist/', 'dist/a.yaml'],
      ['./dist', 'dist/a.yaml'],
      ['/', '/a.yaml'],
      ['dist', 'other/a.yaml'],
      ['a/../dist', 'dist/a.yaml'],
    ];
    for (const [root, file] of cases)
      expect([root, file, relativeTo(root, file)]).toEqual([root, file, relative(root, file)]);
  });
});
