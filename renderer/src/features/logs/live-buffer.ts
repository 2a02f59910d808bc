/**
 * The live view's lines: a bounded ring of plain arrays (what falls out is in the log store), and
 * the view of it that the filters let through, as line numbers. Pure: no React, no DOM. Each
 * line gets a sequence number (`seq`) that never changes while it is held; rows are keyed by it.
 */
import type { LogEntry, LogLevel } from '../../../../main/common/model';
import { isProbeLine } from '../../../../main/common/probes';

export interface LiveLine extends LogEntry {
  /** A line of the view's own (an instance left, lines not shown): always shown, never downloaded. */
  note?: boolean;
  /** The line a jump from Search stored landed on: shown whatever the filters. */
  target?: boolean;
  /** The stored line's id, for lines seeded from the store. */
  id?: number;
}

export interface LiveFilter {
  minLevel: LogLevel | '';
  hideProbes: boolean;
}

const RANK: Record<LogLevel, number> = { trace: 1, debug: 2, info: 3, warn: 4, error: 5, fatal: 6 };
const RANK_MASK = 0x0f;
const PROBE = 0x10;
const ALWAYS = 0x20;

export class LiveBuffer {
  private readonly ring: (LiveLine | undefined)[];
  private readonly flags: Uint8Array;
  /** Seq of the oldest line held, and of the next to come. */
  private first = 0;
  private next = 0;
  /** Seqs of the lines the filter lets through, ascending, from `head` on. */
  private view: number[] = [];
  private head = 0;
  private filter: LiveFilter = { minLevel: '', hideProbes: false };
  /** While held (paused), nothing falls out: lines past the capacity are counted instead of kept. */
  private holding = false;
  /** Probe lines held; lines that fell out since the last clear; view rows that fell out, ever; lines not kept while held. */
  probes = 0;
  evicted = 0;
  viewEvicted = 0;
  skipped = 0;

  constructor(readonly capacity = 50_000) {
    this.ring = new Array<LiveLine | undefined>(capacity);
    this.flags = new Uint8Array(capacity);
  }

  /** Lines held. */
  get size(): number {
    return this.next - this.first;
  }
  /** Seq the next line will get. */
  get nextSeq(): number {
    return this.next;
  }

  line(seq: number): LiveLine | undefined {
    return seq >= this.first && seq < this.next ? this.ring[seq % this.capacity] : undefined;
  }

  push(lines: readonly LiveLine[]): void {
    for (const line of lines) {
      if (this.size === this.capacity) {
        if (this.holding) {
          if (!line.note) this.skipped++;
          continue;
        }
        this.evictOldest();
      }
      const seq = this.next++;
      const f = (line.level ? RANK[line.level] : 0) | (!line.note && isProbeLine(line.text) ? PROBE : 0) | (line.note || line.target ? ALWAYS : 0);
      this.ring[seq % this.capacity] = line;
      this.flags[seq % this.capacity] = f;
      if (f & PROBE) this.probes++;
      if (this.passes(f)) this.view.push(seq);
    }
  }

  private evictOldest(): void {
    const seq = this.first++;
    const slot = seq % this.capacity;
    if (this.flags[slot]! & PROBE) this.probes--;
    if (!this.ring[slot]?.note) this.evicted++;
    this.ring[slot] = undefined;
    if (this.view[this.head] === seq) {
      this.head++;
      this.viewEvicted++;
      if (this.head > 4096 && this.head * 2 > this.view.length) {
        this.view = this.view.slice(this.head);
        this.head = 0;
      }
    }
  }

  /** Hold every line (pause): from now on nothing falls out until `release`. */
  hold(): void {
    this.holding = true;
  }
  /** Stop holding; returns how many lines were not kept meanwhile (the store has them). */
  release(): number {
    this.holding = false;
    const n = this.skipped;
    this.skipped = 0;
    return n;
  }

  private passes(f: number): boolean {
    if (f & ALWAYS) return true;
    if (this.filter.hideProbes && f & PROBE) return false;
    if (this.filter.minLevel) {
      const r = f & RANK_MASK;
      if (!r || r < RANK[this.filter.minLevel]) return false;
    }
    return true;
  }

  setFilter(filter: LiveFilter): void {
    this.filter = { ...filter };
    this.view = [];
    this.head = 0;
    for (let seq = this.first; seq < this.next; seq++) if (this.passes(this.flags[seq % this.capacity]!)) this.view.push(seq);
  }

  /** Rows of the view. */
  get viewLength(): number {
    return this.view.length - this.head;
  }
  /** The seq of the i-th row of the view. */
  viewSeq(i: number): number {
    return this.view[this.head + i]!;
  }
  /** The row of a seq (or, if that line is not in the view, of the first after it); viewLength if none. */
  viewIndexAtOrAfter(seq: number): number {
    let lo = this.head;
    let hi = this.view.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.view[mid]! < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.head;
  }
  /** The row of a seq, or -1 when the view does not show it. */
  viewIndexOf(seq: number): number {
    const i = this.viewIndexAtOrAfter(seq);
    return i < this.viewLength && this.viewSeq(i) === seq ? i : -1;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.first = this.next;
    this.view = [];
    this.head = 0;
    this.probes = 0;
    this.evicted = 0;
    this.skipped = 0;
  }
}

/**
 * Find in the live list: every occurrence (case-insensitive) in the rows of the view up to a
 * limit, found a slice at a time so a long buffer never blocks a frame, and kept as lines arrive
 * and fall out. `textOf` is the row's text as shown.
 */
export class LiveFind {
  /** seq and occurrence index of each match, in order. */
  seqs: number[] = [];
  ks: number[] = [];
  /** The next seq to search. */
  private scanned = 0;
  private readonly pattern: RegExp | undefined;
  static readonly MAX = 10_000;

  constructor(
    query: string,
    private readonly textOf: (line: LiveLine) => string,
  ) {
    this.pattern = finder(query);
  }

  get total(): number {
    return this.seqs.length;
  }
  get capped(): boolean {
    return this.seqs.length >= LiveFind.MAX;
  }

  /** Search up to `budget` more rows of the view, below `limit` (a seq: the paused view ends there). Returns whether it caught up. */
  update(buffer: LiveBuffer, limit: number, budget = 5000): boolean {
    // Matches in lines that fell out go too.
    let drop = 0;
    while (drop < this.seqs.length && !buffer.line(this.seqs[drop]!)) drop++;
    if (drop) {
      this.seqs.splice(0, drop);
      this.ks.splice(0, drop);
    }
    const pattern = this.pattern;
    if (!pattern) return true;
    let i = buffer.viewIndexAtOrAfter(this.scanned);
    const end = buffer.viewLength;
    for (; i < end && budget > 0; i++, budget--) {
      const seq = buffer.viewSeq(i);
      if (seq >= limit) break;
      this.scanned = seq + 1;
      if (this.capped) continue;
      const text = this.textOf(buffer.line(seq)!);
      pattern.lastIndex = 0;
      for (let k = 0; !this.capped && pattern.exec(text); k++) {
        this.seqs.push(seq);
        this.ks.push(k);
      }
    }
    return i >= end || buffer.viewSeq(i) >= limit;
  }

  /** The index of the match (seq, k), or of the first after it. */
  indexAtOrAfter(seq: number, k: number): number {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.seqs[mid]!;
      if (s < seq || (s === seq && this.ks[mid]! < k)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Find's pattern: the query as plain text, case-insensitive; none for the empty query. */
export function finder(query: string): RegExp | undefined {
  return query ? new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi') : undefined;
}

/** [start, end) of each occurrence of the query in `text`, as Find counts them. */
export function occurrences(text: string, query: string): [number, number][] {
  const pattern = finder(query);
  if (!pattern) return [];
  const out: [number, number][] = [];
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** A stable key for the seam between stored and live lines: the same line from either side gets the same key. */
export function seamKey(instance: string, t: number, text: string): string {
  return `${instance}\u0000${t}\u0000${text}`;
}
