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
  return deflateRawSync(Buffer.concat([head, ...bodies]), { level: 6 });
}

export function decodeBlock(data: Uint8Array): string[] {
  const buf = inflateRawSync(data);
  const n = buf.readUInt32LE(0);
  const texts: string[] = new Array<string>(n);
  let at = 4 + 4 * n;
  for (let i = 0; i < n; i++) {
    const len = buf.readUInt32LE(4 + 4 * i);
    texts[i] = buf.toString('utf8', at, at + len);
    at += len;
  }
  return texts;
}

/** A block's texts, and the id of its first line. */
export interface Block {
  texts: string[];
  first: number;
}

/** Decompressed blocks, most recently used last, bounded by their texts' size. */
export class BlockCache {
  private readonly map = new Map<number, { block: Block; size: number }>();
  private size = 0;

  constructor(private readonly maxChars = 8_000_000) {}

  get(id: number, load: () => { data: Uint8Array; first: number } | undefined): Block | undefined {
    const hit = this.map.get(id);
    if (hit) {
      this.map.delete(id);
      this.map.set(id, hit);
      return hit.block;
    }
    const row = load();
    if (!row) return undefined;
    const block = { texts: decodeBlock(row.data), first: Number(row.first) };
    const size = block.texts.reduce((s, t) => s + t.length, 64);
    this.map.set(id, { block, size });
    this.size += size;
    for (const [old, v] of this.map) {
      if (this.size <= this.maxChars || old === id) break;
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
