/**
 * A block's texts as one compressed blob: a count, the UTF-8 length of each text, then the texts.
 * Lengths rather than a separator because a line may hold any character. Raw deflate: within
 * 2 bytes a line of brotli and zstd on JSON lines, faster to inflate, and in every Node we support.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export function encodeBlock(texts: string[]): Uint8Array {
  const bodies = texts.map((t) => Buffer.from(t, 'utf8'));
  const head = Buffer.allocUnsafe(4 + 4 * bodies.length);
  head.writeUInt32LE(bodies.length, 0);
  bodies.forEach((b, i) => head.writeUInt32LE(b.length, 4 + 4 * i));
  // Level 3: twice as fast as the default 6 on these blocks, for a few bytes a line.
  return deflateRawSync(Buffer.concat([head, ...bodies]), { level: 3 });
}

/**
 * The lines' times and metas (stream and level) of a block, uncompressed: per line the zigzag varint
 * of its time minus the previous one's (the first's minus t0), then its meta byte. 2-4 bytes a line,
 * read without inflating the texts (histograms, time and level filters).
 */
export function encodeLines(times: ArrayLike<number>, metas: ArrayLike<number>, t0: number): Uint8Array {
  const out = Buffer.allocUnsafe(times.length * 11);
  let at = 0;
  let prev = t0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const d = t - prev;
    prev = t;
    // Arithmetic, not bit operations: a delta may pass 2^31 ms (lines back-filled after weeks).
    let z = d >= 0 ? d * 2 : -d * 2 - 1;
    while (z >= 0x80) {
      out[at++] = (z % 0x80) | 0x80;
      z = Math.floor(z / 0x80);
    }
    out[at++] = z;
    out[at++] = metas[i]!;
  }
  return Uint8Array.prototype.slice.call(out, 0, at);
}

export interface BlockLines {
  t: Float64Array;
  meta: Uint8Array;
}

export function decodeLines(data: Uint8Array, n: number, t0: number): BlockLines {
  const t = new Float64Array(n);
  const meta = new Uint8Array(n);
  let at = 0;
  let prev = t0;
  for (let i = 0; i < n; i++) {
    let z = 0;
    let scale = 1;
    for (;;) {
      const b = data[at++]!;
      z += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
    }
    prev += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    t[i] = prev;
    meta[i] = data[at++]!;
  }
  return { t, meta };
}

/** Inflates a block; texts are decoded one by one when asked for (a search reads a few of 256). */
export function decodeBlock(data: Uint8Array): Block {
  // One output chunk holds a block of 256 JSON lines: no concatenation of chunks, less garbage.
  const buf = inflateRawSync(data, { chunkSize: 128 * 1024 });
  const n = buf.readUInt32LE(0);
  const ends = new Uint32Array(n + 1);
  ends[0] = 4 + 4 * n;
  for (let i = 0; i < n; i++) ends[i + 1] = ends[i]! + buf.readUInt32LE(4 + 4 * i);
  const texts: (string | undefined)[] = new Array<string | undefined>(n);
  return {
    n,
    size: buf.length * 2,
    text(i: number): string | undefined {
      if (i < 0 || i >= n) return undefined;
      return (texts[i] ??= buf.toString('utf8', ends[i], ends[i + 1]));
    },
    linesWith(tokens: string[]): number[] | undefined {
      return linesWith(buf, ends, n, tokens);
    },
  };
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Of an ASCII block, the lines whose lower-cased text holds every token: one pass of indexOf over
 * the whole block instead of a query run on each of its lines. For ASCII text, unicode61's tokens
 * are its lower-cased letter and digit runs, so a line holding a token holds it as a substring.
 * Undefined when the block is not all ASCII (folding then is not mere lower-casing).
 */
function linesWith(buf: Buffer, ends: Uint32Array, n: number, tokens: string[]): number[] | undefined {
  const start = ends[0]!;
  const body = buf.toString('latin1', start, ends[n]);
  if (NON_ASCII.test(body)) return undefined;
  const lower = body.toLowerCase();
  const probe = tokens.reduce((a, b) => (b.length > a.length ? b : a), '');
  const out: number[] = [];
  let line = 0;
  for (let at = lower.indexOf(probe); at >= 0 && line < n;) {
    while (line < n && ends[line + 1]! - start <= at) line++;
    if (line >= n) break;
    const from = ends[line]! - start;
    const to = ends[line + 1]! - start;
    if (at + probe.length <= to) {
      const text = lower.slice(from, to);
      if (tokens.every((t) => text.includes(t))) out.push(line);
      at = lower.indexOf(probe, to);
    } else at = lower.indexOf(probe, at + 1);
  }
  return out;
}

/** A block's texts: text(i) is that of its line i. */
export interface Block {
  n: number;
  /** Bytes held at most (the inflated blob, and the texts read from it), for the cache's bound. */
  size: number;
  text(i: number): string | undefined;
  /** The lines that may hold every token, in order; undefined when that cannot be told cheaply. */
  linesWith(tokens: string[]): number[] | undefined;
}

/** Inflated blocks, most recently used last, bounded by their size (~350 of 256 JSON lines). */
export class BlockCache {
  private readonly map = new Map<number, Block>();
  private size = 0;

  constructor(private readonly maxBytes = 24 * 1024 * 1024) {}

  get(id: number, load: () => Uint8Array | undefined): Block | undefined {
    const hit = this.map.get(id);
    if (hit) {
      this.map.delete(id);
      this.map.set(id, hit);
      return hit;
    }
    const data = load();
    if (!data) return undefined;
    const block = decodeBlock(data);
    this.map.set(id, block);
    this.size += block.size;
    for (const [old, v] of this.map) {
      if (this.size <= this.maxBytes || old === id) break;
      this.map.delete(old);
      this.size -= v.size;
    }
    return block;
  }

  forget(id: number): void {
    const v = this.map.get(id);
    if (v) this.size -= v.size;
    this.map.delete(id);
  }

  clear(): void {
    this.map.clear();
    this.size = 0;
  }
}
