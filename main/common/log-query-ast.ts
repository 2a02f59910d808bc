/**
 * The parsed form of a log search (the language is documented in docs/log-search.md; parsed by
 * log-query.ts). A query is the AND of its terms; `negate` terms exclude. Pure data: it crosses
 * the API, a worker's message port, and is used in the renderer to highlight hits.
 */
import type { LogLevel } from './model';

export type LogTerm =
  /** A word: matches where the line holds it as a whole word, any case (`timeout`). */
  | { kind: 'word'; value: string; negate: boolean }
  /** Words in this order, next to each other, any case (`"connection refused"`). */
  | { kind: 'phrase'; value: string; negate: boolean }
  /** Opt-in regular expression (`/5\d\d/`, `/timeout/i`), tested against the whole line. */
  | { kind: 'regex'; source: string; flags: string; negate: boolean }
  /**
   * `name:value`. `service`, `instance` and `stream` match those of the line (service by name or id,
   * instance by name); any other name is a field of a JSON line (`requestId:abc`, `status:500`,
   * `req.method:GET` for nested ones), compared as text, any case, whole value.
   */
  | { kind: 'field'; field: string; value: string; negate: boolean }
  /** `level:warn`: warn and above (trace < debug < info < warn < error < fatal). */
  | { kind: 'level'; min: LogLevel; negate: boolean };

export interface LogQueryAst {
  terms: LogTerm[];
}

/** What a malformed query says: what is wrong, and where (0-based offset in the query text). */
export interface LogQueryProblem {
  message: string;
  at: number;
}
