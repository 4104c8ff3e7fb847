import { gunzipSync } from 'node:zlib';
import { gzipSync } from 'fflate';
import { At, fail } from '../private/errors';

/** File contents as an Ignition resource: a `data:` URL, gzip-compressed when that is shorter. */
export interface DataUrlResource {
  /** The `data:` URL: `data:,<percent-escaped>` or `data:;base64,<base64>`. */
  readonly source: string;
  /**
   * `'gzip'` when the URL holds gzip-compressed bytes, else `''`. The empty value is written on
   * purpose, as Butane does: it keeps a file from inheriting `gzip` when Ignition merges configs.
   */
  readonly compression: '' | 'gzip';
}

/** Bytes left as they are in the percent-escaped form: unreserved characters and a few safe ones. */
const PLAIN = /^[A-Za-z0-9\-._~!$'()*,;:@/]$/;
const PLAIN_BYTES: readonly boolean[] = Array.from({ length: 256 }, (_, b) => PLAIN.test(String.fromCharCode(b)));

/**
 * Encodes `contents` (text is UTF-8) as the shortest of the three forms Butane chooses between:
 * percent-escaped text, base64, and gzip + base64. Ties go to the uncompressed and then to the
 * readable form.
 *
 * Compression uses fflate (pure JavaScript, pinned by the lockfile), not `node:zlib`: the bytes
 * `node:zlib` writes depend on the zlib fork bundled with each Node release and on the platform
 * (the header's OS byte), and a MachineConfig whose bytes change is a new rendered config, which
 * the Machine Config Operator rolls out by draining and rebooting every node of the pool. With
 * fflate (level 9, mtime 0) the same input gives the same `data:` URL on every Node version and
 * platform. `node:zlib` still reads it back (`fromDataUrl`).
 */
export function toDataUrl(contents: string | Uint8Array): DataUrlResource {
  const bytes = typeof contents === 'string' ? new TextEncoder().encode(contents) : contents;
  let escaped = 'data:,';
  for (const b of bytes) {
    escaped += PLAIN_BYTES[b] ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  const base64 = `data:;base64,${Buffer.from(bytes).toString('base64')}`;
  let best: DataUrlResource = { source: escaped, compression: '' };
  if (base64.length < best.source.length) best = { source: base64, compression: '' };
  // Short contents never gain from gzip's 18 bytes of framing; skip the work.
  if (bytes.length > 32) {
    const gzipped = `data:;base64,${Buffer.from(gzipSync(bytes, { level: 9, mtime: 0 })).toString('base64')}`;
    if (gzipped.length < best.source.length) best = { source: gzipped, compression: 'gzip' };
  }
  return best;
}

/**
 * The bytes a `data:` URL resource holds (inflated when `compression` is `gzip`). Refuses other
 * URL schemes and malformed URLs with the library's error at `where`.
 */
export function fromDataUrl(
  source: string,
  compression: string | undefined = '',
  where: At = { path: 'fromDataUrl', prop: 'source' },
): Uint8Array {
  const m = /^data:([^,]*),(.*)$/s.exec(typeof source === 'string' ? source : '');
  if (!m) fail(where, 'is not a data URL', source, 'pass a URL of the form data:[<type>][;base64],<data>');
  const base64 = /;base64$/i.test(m[1]);
  let bytes: Uint8Array;
  if (base64) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(m[2])) fail(where, 'holds invalid base64', source, 'encode the data as base64');
    bytes = Buffer.from(m[2], 'base64');
  } else {
    try {
      bytes = Buffer.from(decodeURIComponentBytes(m[2]));
    } catch {
      fail(where, 'holds an invalid percent escape', source, "escape '%' as %25");
    }
  }
  if (compression === 'gzip') {
    try {
      return gunzipSync(bytes);
    } catch {
      fail(where, 'is not gzip data though compression is gzip', source, 'compress the bytes with gzip or drop it');
    }
  }
  if (compression !== '' && compression !== undefined) {
    fail({ ...where, prop: 'compression' }, 'is not a compression Ignition knows', compression, "use 'gzip' or ''");
  }
  return bytes;
}

/** Percent-decoding to bytes (unlike decodeURIComponent, which insists on UTF-8). */
function decodeURIComponentBytes(text: string): number[] {
  const out: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x25) {
      const hex = raw.subarray(i + 1, i + 3).toString('latin1');
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Error('bad escape');
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(raw[i]);
    }
  }
  return out;
}
