/**
 * The log store's contract: what is kept of every line of every followed instance, and how it is
 * searched. One implementation today (SQLite with FTS5 through node:sqlite, in a worker thread:
 * sqlite-store.ts); the interface is what a remote backend (Loki, OpenSearch) would implement too.
 * Everything here is plain data, so it crosses a worker's message port as it is.
 */
import type { LogHistogram, LogHit, LogSearch, LogSearchResult, LogStoreStats, StoredLine } from '../../common/log-store-model';
import type { LineOfSource, SourceKey } from './line-batch';

export type { LogHistogram, LogHit, LogSearch, LogSearchResult, LogStoreStats, StoredLine };
export type { LineOfSource, SourceKey } from './line-batch';

/** The last stored lines of an instance: where a back-fill starts, and what at that ms it must not store twice. */
export interface InstanceMark {
  t: number;
  /** Texts of the lines stored at exactly `t`, each as often as it was stored. */
  atT: string[];
}

export interface LogStoreLimits {
  /** Default 1 GiB. */
  maxBytes: number;
  /** Default 7 days. */
  maxAgeMs: number;
}

export interface LogStore {
  /**
   * Queues lines for storing (written in batches, off the event loop); never throws. Takes them
   * in order while its queue has room and returns how many it took: the caller holds back the
   * rest (a follower stops and later back-fills from the engine) until `room` resolves.
   */
  append(lines: StoredLine[]): number;
  /** The same for lines of one source, given once (a follower's: no object per line to build). */
  appendFrom(source: SourceKey, lines: LineOfSource[]): number;
  /** Resolves once the queue has room again (at once if it has). */
  room(): Promise<void>;
  /**
   * Calls `fn` when lines it had taken were lost before being stored (its worker died): the
   * collector then follows every instance again from its last stored line. Returns the unsubscribe.
   */
  onLost(fn: () => void): () => void;
  /** Resolves once every line appended so far is stored (or dropped with a problem). */
  flush(): Promise<void>;
  search(s: LogSearch): Promise<LogSearchResult>;
  /** Matching lines over [from, to) in `buckets` buckets. */
  histogram(s: Omit<LogSearch, 'order' | 'limit' | 'after'> & { from: number; to: number; buckets: number }): Promise<LogHistogram>;
  /** Up to `before` lines before and `after` lines after a hit, of the same instance, in time order (the hit included). */
  around(id: number, before: number, after: number): Promise<LogHit[]>;
  /** Where the back-fill of an instance starts; undefined when nothing of it is stored. */
  mark(env: string, instanceId: string): Promise<InstanceMark | undefined>;
  stats(): Promise<LogStoreStats>;
  close(): Promise<void>;
}
