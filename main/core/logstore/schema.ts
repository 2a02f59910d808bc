/**
 * The log database's layout. Lines are kept in blocks (one row per up to 256 lines of one
 * instance): their texts compressed in `data`, their times, streams and levels in `lines` (a few
 * bytes each, read without inflating the texts), and the block's words in one FTS5 row. The index
 * therefore answers "which blocks may hold this", and each candidate block is checked line by line:
 * a line costs its share of a block, not a row, an index entry and postings of its own.
 * Everything a line repeats (env, service, instance) is in `sources`, once.
 */
import type { LogLevel } from '../../common/model';

/** PRAGMA user_version of this layout; a store written by another is moved aside, not misread. */
export const LAYOUT_VERSION = 2;

/** A line's id is its block's id times this, plus its place in the block. */
export const LINES_PER_BLOCK = 256;

export const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS sources (
     id INTEGER PRIMARY KEY,
     env TEXT NOT NULL, service TEXT NOT NULL, instance TEXT NOT NULL, instance_id TEXT NOT NULL,
     UNIQUE (env, instance_id, service, instance))`,
  // `levels`: bit r set when a line of level rank r is in the block, so level filters skip blocks in SQL.
  `CREATE TABLE IF NOT EXISTS blocks (
     id INTEGER PRIMARY KEY, source INTEGER NOT NULL, n INTEGER NOT NULL,
     t0 INTEGER NOT NULL, t1 INTEGER NOT NULL, levels INTEGER NOT NULL, lines BLOB NOT NULL, data BLOB NOT NULL)`,
  'CREATE INDEX IF NOT EXISTS blocks_t0 ON blocks (t0)',
  'CREATE INDEX IF NOT EXISTS blocks_t1 ON blocks (t1)',
  'CREATE INDEX IF NOT EXISTS blocks_source_t0 ON blocks (source, t0)',
  'CREATE INDEX IF NOT EXISTS blocks_source_t1 ON blocks (source, t1)',
  // `indexed`: every block up to this id is in fts (or pruned); newer ones are read whole by searches.
  'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)',
  // One row per block (rowid = block id). Contentless: the texts are in the block already;
  // detail=none keeps a posting to a byte or two, and a word a block repeats is posted once.
  "CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, content='', contentless_delete=1, detail=none)",
];

const LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** 0 for no level, then 1 (trace) .. 6 (fatal), so that `>=` is "this level and above". */
export function levelRank(level: LogLevel | undefined): number {
  return level ? LEVELS.indexOf(level) + 1 : 0;
}

export function rankLevel(rank: number): LogLevel | undefined {
  return rank > 0 ? LEVELS[rank - 1] : undefined;
}

/** The `levels` bits of blocks holding a line of rank `min` or above. */
export function levelsFrom(min: number): number {
  return 0x7f & ~((1 << min) - 1);
}

/** A line's stream and level in one byte. */
export function packMeta(stream: 'stdout' | 'stderr', level: LogLevel | undefined): number {
  return (stream === 'stderr' ? 8 : 0) + levelRank(level);
}

export function unpackMeta(meta: number): { stream: 'stdout' | 'stderr'; level?: LogLevel } {
  const level = rankLevel(meta & 7);
  const stream = meta & 8 ? 'stderr' : 'stdout';
  return level ? { stream, level } : { stream };
}

export const blockOf = (id: number): number => Math.floor(id / LINES_PER_BLOCK);
export const indexOf = (id: number): number => id % LINES_PER_BLOCK;
export const lineId = (block: number, i: number): number => block * LINES_PER_BLOCK + i;
