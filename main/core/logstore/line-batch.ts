/**
 * Lines on their way to the store's worker, in columns: what a line repeats (env, service,
 * instance) once per batch, times and metas in typed arrays that are handed over rather than
 * copied, texts as a plain string array. A message of 2,000 line objects cost the main thread
 * more to clone than the worker took to store them.
 */
import type { StoredLine } from '../../common/log-store-model';
import { packMeta } from './schema';

export interface SourceKey {
  env: string;
  service: string;
  instance: string;
  instanceId: string;
}

/** What a line has of its own, beside its source. */
export type LineOfSource = Pick<StoredLine, 't' | 'stream' | 'level' | 'text'>;

export interface LineBatch {
  sources: SourceKey[];
  /** Per line: its index in `sources`. */
  source: Uint32Array;
  t: Float64Array;
  /** Per line: stream and level, as schema.ts packs them. */
  meta: Uint8Array;
  text: string[];
}

/** What a queued line is reckoned to hold beyond its text, for the queue's bound. */
export const LINE_OVERHEAD = 32;

export class BatchBuilder {
  private sources: SourceKey[] = [];
  private index = new Map<string, number>();
  private source: number[] = [];
  private t: number[] = [];
  private meta: number[] = [];
  private text: string[] = [];
  chars = 0;

  get length(): number {
    return this.text.length;
  }

  private last: StoredLine | undefined;
  private lastIndex = 0;

  /** A line of a source the caller keeps one object for (a follower): the source is matched by identity. */
  addFrom(src: SourceKey, l: LineOfSource): void {
    let i = src === this.lastSrc ? this.lastSrcIndex : undefined;
    if (i === undefined) {
      i = this.indexOf(src);
      this.lastSrc = src;
      this.lastSrcIndex = i;
    }
    this.push(i, l);
  }

  private lastSrc: SourceKey | undefined;
  private lastSrcIndex = 0;

  private indexOf(l: SourceKey): number {
    const key = `${l.env}\u0000${l.instanceId}\u0000${l.service}\u0000${l.instance}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.sources.length;
      this.sources.push({ env: l.env, service: l.service, instance: l.instance, instanceId: l.instanceId });
      this.index.set(key, i);
    }
    return i;
  }

  private push(i: number, l: LineOfSource): void {
    this.source.push(i);
    this.t.push(l.t);
    this.meta.push(packMeta(l.stream, l.level));
    this.text.push(l.text);
    this.chars += l.text.length + LINE_OVERHEAD;
  }

  add(l: StoredLine): void {
    let i: number | undefined;
    // A follower's lines share one source: compared field by field, no key built per line.
    const p = this.last;
    if (p && p.env === l.env && p.instanceId === l.instanceId && p.service === l.service && p.instance === l.instance) i = this.lastIndex;
    else {
      i = this.indexOf(l);
      this.last = l;
      this.lastIndex = i;
    }
    this.push(i, l);
  }

  build(): LineBatch {
    return { sources: this.sources, source: Uint32Array.from(this.source), t: Float64Array.from(this.t), meta: Uint8Array.from(this.meta), text: this.text };
  }
}

export function batchOf(lines: StoredLine[]): LineBatch {
  const b = new BatchBuilder();
  for (const l of lines) b.add(l);
  return b.build();
}

/** The buffers a batch can hand over to the worker instead of copying. */
export const transferables = (b: LineBatch): ArrayBuffer[] => [b.source.buffer, b.t.buffer, b.meta.buffer] as ArrayBuffer[];
