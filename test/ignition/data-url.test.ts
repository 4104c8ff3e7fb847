import fc from 'fast-check';
import { gunzipSync } from 'node:zlib';
import { BaremetalValidationError } from '../../lib/errors';
import { fromDataUrl, toDataUrl } from '../../lib/ignition/data-url';
import { RUNS, SEED } from '../arbitraries';

describe('toDataUrl', () => {
  test('keeps short text readable, percent-escaping only what a URL cannot hold', () => {
    // WHEN
    const r = toDataUrl('simple_kmod\n');
    // THEN
    expect(r).toEqual({ source: 'data:,simple_kmod%0A', compression: '' });
  });

  test('writes an empty file as an empty data URL', () => {
    expect(toDataUrl('')).toEqual({ source: 'data:,', compression: '' });
  });

  test('uses base64 for bytes that escaping would triple', () => {
    // GIVEN bytes that are mostly not URL-safe
    const bytes = Uint8Array.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    // WHEN
    const r = toDataUrl(bytes);
    // THEN
    expect(r.compression).toBe('');
    expect(r.source).toBe(`data:;base64,${Buffer.from(bytes).toString('base64')}`);
  });

  test('compresses with gzip only when that is shorter, and the bytes inflate back', () => {
    // GIVEN repetitive text, which gzip shrinks
    const text = 'KMOD_NAMES="simple-kmod simple-procfs-kmod"\n'.repeat(40);
    // WHEN
    const r = toDataUrl(text);
    // THEN
    expect(r.compression).toBe('gzip');
    const gz = Buffer.from(r.source.replace('data:;base64,', ''), 'base64');
    expect(gunzipSync(gz).toString('utf8')).toBe(text);
  });

  test('does not compress contents that gzip would make longer', () => {
    // GIVEN random-looking text of 64 characters
    const text = 'q8Zr2LmX0vB7tPn4Kd1Wf9Hs3Gy6Jc5Ua0Ee2Ri8Oo7Tt1Yw4Qp6Ml3Nb9Vx5Cz2';
    // THEN
    expect(toDataUrl(text)).toEqual({ source: `data:,${text}`, compression: '' });
  });

  test('writes the same gzip bytes every time: mtime 0, no file name', () => {
    const text = 'x'.repeat(1000);
    const a = toDataUrl(text);
    const gz = Buffer.from(a.source.replace('data:;base64,', ''), 'base64');
    // THEN mtime (bytes 4-7) is zero and no FNAME flag is set
    expect([...gz.subarray(0, 8)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    expect(toDataUrl(text)).toEqual(a);
  });
});

describe('fromDataUrl', () => {
  test('reads percent-escaped, base64 and gzip forms', () => {
    expect(Buffer.from(fromDataUrl('data:,a%20b')).toString()).toBe('a b');
    expect(Buffer.from(fromDataUrl('data:text/plain;base64,aGk=')).toString()).toBe('hi');
    const gz = toDataUrl('y'.repeat(500));
    expect(Buffer.from(fromDataUrl(gz.source, gz.compression)).toString()).toBe('y'.repeat(500));
  });

  test('fails when the source is not a data URL', () => {
    expect(() => fromDataUrl('https://example.com/x')).toThrow(/'source' is not a data URL/);
  });

  test('fails when base64 is invalid', () => {
    expect(() => fromDataUrl('data:;base64,@@@')).toThrow(/holds invalid base64/);
  });

  test('fails when a percent escape is invalid', () => {
    expect(() => fromDataUrl('data:,100%')).toThrow(/holds an invalid percent escape/);
  });

  test('fails when compression is gzip but the bytes are not', () => {
    expect(() => fromDataUrl('data:,plain', 'gzip')).toThrow(/is not gzip data though compression is gzip/);
  });

  test('fails when the compression is unknown', () => {
    expect(() => fromDataUrl('data:,plain', 'bzip2')).toThrow(/'compression' is not a compression Ignition knows/);
  });

  describe('properties', () => {
    test('any text or bytes round-trip, and the chosen form is the shortest', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 })), (contents) => {
          const r = toDataUrl(contents);
          const bytes = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : Buffer.from(contents);
          expect(Buffer.from(fromDataUrl(r.source, r.compression)).equals(bytes)).toBe(true);
          expect(r.source.length).toBeLessThanOrEqual(`data:;base64,${bytes.toString('base64')}`.length);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });

    test('anything passed to fromDataUrl reads or throws the library error', () => {
      fc.assert(
        fc.property(fc.anything(), fc.oneof(fc.constantFrom('', 'gzip', undefined), fc.string()), (s, c) => {
          try {
            fromDataUrl(s as string, c as string);
          } catch (e) {
            expect(e).toBeInstanceOf(BaremetalValidationError);
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );
    });
  });
});
