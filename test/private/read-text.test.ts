import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { readText } from '../../lib/private/read-text';
import { RUNS, SEED } from '../arbitraries';

const file = (bytes: Buffer | string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'read-text-')), 'f');
  writeFileSync(path, bytes);
  return path;
};

describe('readText', () => {
  test('reads ASCII and UTF-8 text as readFileSync(utf8) does', () => {
    for (const text of ['', 'plain {"a":1}\n', 'münchen-01 ✓\n', '\u0000\u007f']) {
      expect(readText(file(text))).toBe(text);
    }
  });

  test('GIVEN any bytes (invalid UTF-8 too) THEN the same string as readFileSync(utf8)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const path = file(Buffer.from(bytes));
        expect(readText(path)).toBe(Buffer.from(bytes).toString('utf8'));
      }),
      { numRuns: Math.min(RUNS, 100), seed: SEED },
    );
  });

  test('throws as readFileSync does for a missing file', () => {
    expect(() => readText(join(tmpdir(), 'no-such-dir-x', 'f'))).toThrow(/ENOENT/);
  });
});
