/**
 * A small DEFLATE (RFC 1951) encoder and gzip (RFC 1952) wrapper whose output depends only on the
 * input bytes: one block with the fixed Huffman codes, greedy LZ77 matching over a 32 KiB window
 * with a bounded hash chain, gzip header with mtime 0 and OS 255 (unknown, as Go's gzip writes).
 *
 * `node:zlib` is not used for output that lands in golden files: its bytes depend on the zlib
 * build bundled with Node (Chromium's fork, whose match finder differs between versions) and on
 * the platform (the gzip header's OS byte), see nodejs/node#48690. Any gzip reader inflates this.
 */

const WINDOW = 32768;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const HASH_BITS = 15;
const MAX_CHAIN = 128;

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
  8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

/** Writes bits least-significant first, as DEFLATE packs them. */
class BitWriter {
  private readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;

  public bits(value: number, count: number): void {
    for (let i = 0; i < count; i++) {
      this.acc |= ((value >>> i) & 1) << this.n;
      if (++this.n === 8) this.flushByte();
    }
  }

  /** A Huffman code: written most-significant bit first. */
  public code(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) this.bits((value >>> i) & 1, 1);
  }

  public finish(): Uint8Array {
    if (this.n > 0) this.flushByte();
    return Uint8Array.from(this.bytes);
  }

  private flushByte(): void {
    this.bytes.push(this.acc);
    this.acc = 0;
    this.n = 0;
  }
}

/** The fixed literal/length code of symbol `sym` (0–287). */
function writeLitLen(out: BitWriter, sym: number): void {
  if (sym < 144) out.code(0x30 + sym, 8);
  else if (sym < 256) out.code(0x190 + sym - 144, 9);
  else if (sym < 280) out.code(sym - 256, 7);
  else out.code(0xc0 + sym - 280, 8);
}

function writeMatch(out: BitWriter, length: number, distance: number): void {
  let l = LENGTH_BASE.length - 1;
  while (LENGTH_BASE[l] > length) l--;
  writeLitLen(out, 257 + l);
  out.bits(length - LENGTH_BASE[l], LENGTH_EXTRA[l]);
  let d = DIST_BASE.length - 1;
  while (DIST_BASE[d] > distance) d--;
  out.code(d, 5);
  out.bits(distance - DIST_BASE[d], DIST_EXTRA[d]);
}

function hash3(data: Uint8Array, i: number): number {
  return (((data[i] << 10) ^ (data[i + 1] << 5) ^ data[i + 2]) * 2654435761) >>> (32 - HASH_BITS);
}

/** Raw DEFLATE of `data` (no zlib or gzip framing). */
export function deflateRaw(data: Uint8Array): Uint8Array {
  const out = new BitWriter();
  out.bits(1, 1); // BFINAL: the only block
  out.bits(1, 2); // BTYPE 01: fixed Huffman codes
  const head = new Int32Array(1 << HASH_BITS).fill(-1);
  const prev = new Int32Array(WINDOW).fill(-1);
  const insert = (i: number): void => {
    if (i + MIN_MATCH > data.length) return;
    const h = hash3(data, i);
    prev[i % WINDOW] = head[h];
    head[h] = i;
  };
  let i = 0;
  while (i < data.length) {
    let bestLength = 0;
    let bestDistance = 0;
    if (i + MIN_MATCH <= data.length) {
      const limit = Math.min(MAX_MATCH, data.length - i);
      let candidate = head[hash3(data, i)];
      for (let chain = 0; candidate >= 0 && i - candidate <= WINDOW && chain < MAX_CHAIN; chain++) {
        let length = 0;
        while (length < limit && data[candidate + length] === data[i + length]) length++;
        if (length > bestLength) {
          bestLength = length;
          bestDistance = i - candidate;
          if (length === limit) break;
        }
        const next = prev[candidate % WINDOW];
        if (next >= candidate) break; // the slot was reused by a newer position
        candidate = next;
      }
    }
    if (bestLength >= MIN_MATCH) {
      writeMatch(out, bestLength, bestDistance);
      for (let k = 0; k < bestLength; k++) insert(i + k);
      i += bestLength;
    } else {
      writeLitLen(out, data[i]);
      insert(i);
      i++;
    }
  }
  writeLitLen(out, 256); // end of block
  return out.finish();
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3), as gzip's trailer holds it. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** gzip of `data`: the same bytes on every platform and Node version. */
export function gzipDeterministic(data: Uint8Array): Uint8Array {
  const body = deflateRaw(data);
  const out = new Uint8Array(10 + body.length + 8);
  // magic, CM=8 (deflate), FLG=0, MTIME=0, XFL=0, OS=255 (unknown)
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff], 0);
  out.set(body, 10);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(10 + body.length, crc32(data), true);
  view.setUint32(14 + body.length, data.length >>> 0, true);
  return out;
}
