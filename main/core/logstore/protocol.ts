/** Messages between SqliteLogStore (main thread) and the worker that owns the database. */
import type { LineBatch } from './line-batch';
import type { LogStoreLimits } from './types';

export interface WorkerData {
  dir: string;
  limits: Partial<LogStoreLimits>;
}

export type Op = 'flush' | 'settle' | 'search' | 'histogram' | 'around' | 'mark' | 'stats' | 'close';

export type ToWorker = { kind: 'append'; batch: LineBatch } | { kind: 'call'; id: number; op: Op; args: unknown[] };

export type FromWorker =
  /** This many lines appended are done with: stored, or dropped (and the worker's problem says why). */
  { kind: 'done'; lines: number } | { kind: 'reply'; id: number; value?: unknown; error?: string } | { kind: 'fatal'; error: string };
