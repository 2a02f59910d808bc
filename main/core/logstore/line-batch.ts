/**
 * Lines on their way to the store's worker, in columns: what a line repeats (env, service,
 * instance) once per batch, times and metas in typed arrays that are handed over rather than
 * copied, texts as a plain string array. A message of 2,000 line objects cost the main thread
 * more to clone than the worker took to store them.
 */
import type { StoredLine } from './types';
import { packMeta } from './schema';

export interface SourceKey {
  env: string;
  service: string;
  instance: string;
  instanceId: string;
}

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

  add(l: StoredLine): void {
    const key = `${l.env}\u0000${l.instanceId}\u0000${l.service}\u0000${l.instance}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.sources.length;
      this.sources.push({ env: l.env, service: l.service, instance: l.instance, instanceId: l.instanceId });
      this.index.set(key, i);
    }
    this.source.push(i);
    this.t.push(l.t);
    this.meta.push(packMeta(l.stream, l.level));
    this.text.push(l.text);
    this.chars += l.text.length + LINE_OVERHEAD;
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
