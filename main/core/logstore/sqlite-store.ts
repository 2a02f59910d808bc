/**
 * The app's log store: SQLite (FTS5) in a worker thread. This side only queues and forwards, and
 * bounds what it holds: past queueLimits not yet stored, append takes no more and its
 * callers hold back until `room` (the collector back-fills from the engine), so memory stays flat
 * however fast containers write, and nothing is lost for it. A worker that dies is started again.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { InstanceMark, LogHistogram, LogHit, LogSearch, LogSearchResult, LogStore, LogStoreLimits, LogStoreStats, StoredLine } from './types';
import type { FromWorker, Op, ToWorker, WorkerData } from './protocol';
import { BatchBuilder, LINE_OVERHEAD, transferables, type LineOfSource, type SourceKey } from './line-batch';

/**
 * Lines (and their characters) appended but not yet stored, beyond which append takes no more:
 * the followers hold back and back-fill from the engine, which keeps the lines in its own files.
 * Room is given back at half of each.
 */
export const queueLimits = { lines: 50_000, chars: 16 * 1024 * 1024 };
/** Lines are sent to the worker in batches of at most this many. */
const BATCH = 2000;
/** A problem about dropped lines is shown this long after the last drop. */
const DROP_NOTICE_MS = 60_000;

export interface SqliteLogStoreOptions {
  dir: string;
  limits?: Partial<LogStoreLimits>;
  log?: Pick<Logger, 'warn' | 'error'>;
}

interface Call {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

function workerFile(): { url: URL; execArgv?: string[] } {
  const bundled = new URL('./log-store-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(bundled))) return { url: bundled };
  // Running from the sources (tests, tsx): the worker needs the TypeScript loader too. It inherits
  // this thread's flags (so `node --import tsx` carries over); otherwise tsx is added.
  const url = new URL('./store-worker.ts', import.meta.url);
  return process.execArgv.some((a) => a.includes('tsx')) ? { url } : { url, execArgv: ['--import', 'tsx'] };
}

export class SqliteLogStore implements LogStore {
  private worker: Worker | undefined;
  /** Lines not yet sent: whole batches, then the one filling. */
  private ready: BatchBuilder[] = [];
  private filling = new BatchBuilder();
  private queuedLines = 0;
  private queuedChars = 0;
  /** Sent and not yet reported done, oldest first: [lines, chars] per batch. */
  private sent: [number, number][] = [];
  private sentLines = 0;
  private sentChars = 0;
  private dropped = 0;
  private lastDrop = 0;
  private restarted: string | undefined;
  private calls = new Map<number, Call>();
  private nextCall = 1;
  private sendScheduled = false;
  private waiting: (() => void)[] = [];
  private readonly lostListeners = new Set<() => void>();
  private closing = false;
  private crashes: number[] = [];
  private readonly data: WorkerData;

  constructor(private readonly opts: SqliteLogStoreOptions) {
    this.data = { dir: opts.dir, limits: opts.limits ?? {} };
    this.start();
  }

  private start(): void {
    const { url, execArgv } = workerFile();
    // A small young generation: the worker's garbage (a block's texts, once written) is short-lived,
    // and V8 otherwise grows it to tens of MB under a flood, which is the process's RSS.
    const options = { workerData: this.data, resourceLimits: { maxYoungGenerationSizeMb: 8 } };
    const w = new Worker(url, execArgv ? { ...options, execArgv } : options);
    this.worker = w;
    w.on('message', (m: FromWorker) => this.onMessage(m));
    w.on('error', (e) => this.opts.log?.error({ err: e.message }, 'log store worker failed'));
    w.on('exit', (code) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      if (this.closing) return;
      this.lost(`stopped (exit code ${code})`);
    });
  }

  /** The worker is gone: what it held is lost, calls fail, and a new one starts (later if it keeps dying). */
  private lost(why: string): void {
    const lost = this.sentLines;
    this.sent = [];
    this.sentLines = this.sentChars = 0;
    if (lost > 0) this.drop(lost);
    this.giveRoom();
    if (lost > 0) for (const fn of this.lostListeners) fn();
    for (const c of this.calls.values()) c.reject(new Error(`The log store ${why}.`));
    this.calls.clear();
    this.opts.log?.warn({ lost }, `log store worker ${why}; restarting it`);
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < 60_000);
    this.crashes.push(now);
    this.restarted = `The log store ${why} and was restarted${lost ? `; the ${lost} lines it was writing are read again from where they came from` : ''}.`;
    const delay = this.crashes.length > 3 ? 10_000 : 0;
    setTimeout(() => {
      if (!this.closing && !this.worker) {
        this.start();
        this.sendSoon();
      }
    }, delay).unref();
  }

  private onMessage(m: FromWorker): void {
    if (m.kind === 'done') {
      let n = m.lines;
      this.sentLines -= n;
      while (n > 0 && this.sent.length > 0) {
        const head = this.sent[0]!;
        const take = Math.min(n, head[0]);
        const chars = Math.round((head[1] * take) / head[0]);
        head[0] -= take;
        head[1] -= chars;
        this.sentChars -= chars;
        n -= take;
        if (head[0] === 0) this.sent.shift();
      }
      if (this.sent.length === 0) this.sentLines = this.sentChars = 0;
      this.giveRoom();
    } else if (m.kind === 'reply') {
      const c = this.calls.get(m.id);
      this.calls.delete(m.id);
      if (m.error !== undefined) c?.reject(new Error(m.error));
      else c?.resolve(m.value);
    } else {
      this.opts.log?.error({ err: m.error }, 'log store could not open its database');
    }
  }

  private drop(n: number): void {
    this.dropped += n;
    this.lastDrop = Date.now();
  }

  append(lines: StoredLine[]): number {
    return this.take(lines, (l) => this.filling.add(l));
  }

  appendFrom(source: SourceKey, lines: LineOfSource[]): number {
    return this.take(lines, (l) => this.filling.addFrom(source, l));
  }

  private take<L extends LineOfSource>(lines: L[], add: (l: L) => void): number {
    if (this.closing) return 0;
    let taken = 0;
    for (const l of lines) {
      const chars = l.text.length + LINE_OVERHEAD;
      if (this.queuedLines + this.sentLines >= queueLimits.lines || this.queuedChars + this.sentChars + chars > queueLimits.chars) break;
      taken++;
      add(l);
      this.queuedLines++;
      this.queuedChars += chars;
      if (this.filling.length >= BATCH) {
        this.ready.push(this.filling);
        this.filling = new BatchBuilder();
      }
    }
    this.sendSoon();
    return taken;
  }

  onLost(fn: () => void): () => void {
    this.lostListeners.add(fn);
    return () => this.lostListeners.delete(fn);
  }

  room(): Promise<void> {
    if (this.hasRoom()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private hasRoom(): boolean {
    return this.closing || (this.queuedLines + this.sentLines < queueLimits.lines / 2 && this.queuedChars + this.sentChars < queueLimits.chars / 2);
  }

  private giveRoom(): void {
    if (this.waiting.length === 0 || !this.hasRoom()) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w();
  }

  private sendSoon(): void {
    if (this.sendScheduled) return;
    this.sendScheduled = true;
    setImmediate(() => {
      this.sendScheduled = false;
      this.send();
    });
  }

  private send(): void {
    const w = this.worker;
    if (!w) return;
    if (this.filling.length > 0) {
      this.ready.push(this.filling);
      this.filling = new BatchBuilder();
    }
    for (const b of this.ready) {
      this.queuedLines -= b.length;
      this.queuedChars -= b.chars;
      this.sent.push([b.length, b.chars]);
      this.sentLines += b.length;
      this.sentChars += b.chars;
      const batch = b.build();
      w.postMessage({ kind: 'append', batch } satisfies ToWorker, transferables(batch));
    }
    this.ready = [];
  }

  private call<T>(op: Op, ...args: unknown[]): Promise<T> {
    this.send();
    const w = this.worker;
    if (!w) return Promise.reject(new Error('The log store is restarting; try again in a moment.'));
    const id = this.nextCall++;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.postMessage({ kind: 'call', id, op, args } satisfies ToWorker);
    });
  }

  async flush(): Promise<void> {
    await this.call('flush');
  }

  /** Flushes, then indexes every block now rather than when appends pause: for benches and tests of the steady state. */
  async settle(): Promise<void> {
    await this.call('settle');
  }

  search(s: LogSearch): Promise<LogSearchResult> {
    return this.call('search', s);
  }

  histogram(s: Omit<LogSearch, 'order' | 'limit' | 'after'> & { from: number; to: number; buckets: number }): Promise<LogHistogram> {
    return this.call('histogram', s);
  }

  around(id: number, before: number, after: number): Promise<LogHit[]> {
    return this.call('around', id, before, after);
  }

  mark(env: string, instanceId: string): Promise<InstanceMark | undefined> {
    return this.call('mark', env, instanceId);
  }

  async stats(): Promise<LogStoreStats> {
    const st = await this.call<LogStoreStats>('stats');
    const problems = [st.problem];
    if (this.restarted && Date.now() - (this.crashes.at(-1) ?? 0) < DROP_NOTICE_MS) problems.push(this.restarted);
    const problem = problems.filter(Boolean).join(' ');
    return problem ? { ...st, problem } : st;
  }

  /** Lines lost since the store started (a worker that died with them), for the record. */
  get droppedLines(): number {
    return this.dropped;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    try {
      await this.call('close');
    } finally {
      this.closing = true;
      this.giveRoom();
      await this.worker?.terminate();
      this.worker = undefined;
    }
  }
}
