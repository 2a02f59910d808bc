/** Messages between SqliteLogStore (main thread) and the worker that owns the database. */
import type { LogStoreLimits, StoredLine } from './types';

export interface WorkerData {
  dir: string;
  limits: Partial<LogStoreLimits>;
}

export type Op = 'flush' | 'search' | 'histogram' | 'around' | 'mark' | 'stats' | 'close';

export type ToWorker = { kind: 'append'; lines: StoredLine[] } | { kind: 'call'; id: number; op: Op; args: unknown[] };

export type FromWorker =
  /** This many lines appended are done with: stored, or dropped (and the worker's problem says why). */
  { kind: 'done'; lines: number } | { kind: 'reply'; id: number; value?: unknown; error?: string } | { kind: 'fatal'; error: string };
