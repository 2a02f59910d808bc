/**
 * What the log store keeps and answers, as data: shared by the store (main/core/logstore), the
 * API and the renderer. The store's own contract is main/core/logstore/types.ts.
 */
import type { LogLevel } from './model';
import type { LogQueryAst } from './log-query-ast';

/** One line as it is stored. Text is what the container wrote (cut lines carry their marker): untrusted. */
export interface StoredLine {
  env: string;
  /** Service id (as Service.id). */
  service: string;
  /** Instance name (as shown), and id (container id or pod uid). */
  instance: string;
  instanceId: string;
  stream: 'stdout' | 'stderr';
  /** The engine's timestamp, ms since epoch. */
  t: number;
  level?: LogLevel;
  text: string;
}

/** A stored line found again: its id orders lines stored at the same ms. */
export interface LogHit extends StoredLine {
  id: number;
}

export interface LogSearch {
  /** Parsed by main/common/log-query.ts; the empty query (no terms) matches every line. */
  query: LogQueryAst;
  /** ms since epoch, inclusive; absent: unbounded. */
  from?: number;
  to?: number;
  /** Only these environments / services / instance names (all when absent). */
  envs?: string[];
  services?: string[];
  /** `newest` first (the default) or `oldest` first. */
  order?: 'newest' | 'oldest';
  /** At most this many hits (default 500, at most 10,000). */
  limit?: number;
  /** Continue after this hit id (the last of the previous page, in the same order). */
  after?: number;
}

export interface LogSearchResult {
  hits: LogHit[];
  /** Whether more hits exist past the last one returned. */
  more: boolean;
  /** Lines examined, and how long the search took (ms), for the record and the bench. */
  scanned: number;
  tookMs: number;
}

export interface LogHistogram {
  from: number;
  /** Bucket width, ms. */
  step: number;
  /** Matching lines per bucket, from `from` on. */
  counts: number[];
}

export interface LogStoreStats {
  lines: number;
  /** Bytes on disk (database and its write-ahead log). */
  bytes: number;
  oldest?: number;
  newest?: number;
  /** Set while lines are not being stored (disk full, store moved aside): what happened and what to do. */
  problem?: string;
}
