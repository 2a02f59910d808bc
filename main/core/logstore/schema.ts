/**
 * The log database's layout. Texts live compressed in `blocks` (one row per ~256 lines of one
 * instance): a line costs its `lines` row, its index entry and its FTS postings, not its text.
 * Everything a line repeats (env, service, instance) is in `sources`, once; a line points to its
 * source through `meta`, which also packs stream and level so that level and scope filters are
 * answered from the (t, meta, block) index without reading rows.
 */
import type { LogLevel } from '../../common/model';

export const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS sources (
     id INTEGER PRIMARY KEY,
     env TEXT NOT NULL, service TEXT NOT NULL, instance TEXT NOT NULL, instance_id TEXT NOT NULL,
     UNIQUE (env, instance_id, service, instance))`,
  // `first` is the id of the block's first line: its lines have the ids first .. first + n - 1.
  `CREATE TABLE IF NOT EXISTS blocks (
     id INTEGER PRIMARY KEY, source INTEGER NOT NULL, first INTEGER NOT NULL, n INTEGER NOT NULL,
     t0 INTEGER NOT NULL, t1 INTEGER NOT NULL, data BLOB NOT NULL)`,
  'CREATE INDEX IF NOT EXISTS blocks_t1 ON blocks (t1)',
  'CREATE INDEX IF NOT EXISTS blocks_source_t0 ON blocks (source, t0)',
  'CREATE INDEX IF NOT EXISTS blocks_source_t1 ON blocks (source, t1)',
  // The index in the block is id - blocks.first, so it is not stored.
  'CREATE TABLE IF NOT EXISTS lines (id INTEGER PRIMARY KEY, t INTEGER NOT NULL, block INTEGER NOT NULL, meta INTEGER NOT NULL)',
  // Covering for every time-ordered scan: a candidate's block is known without reading its row.
  'CREATE INDEX IF NOT EXISTS lines_t ON lines (t, meta, block)',
  // Contentless: the text is in the block already; detail=none keeps postings to a byte or two.
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

export function packMeta(source: number, stream: 'stdout' | 'stderr', level: LogLevel | undefined): number {
  return source * 16 + (stream === 'stderr' ? 8 : 0) + levelRank(level);
}

export function unpackMeta(meta: number): { source: number; stream: 'stdout' | 'stderr'; level?: LogLevel } {
  const level = rankLevel(meta & 7);
  const stream = meta & 8 ? 'stderr' : 'stdout';
  return level ? { source: Math.floor(meta / 16), stream, level } : { source: Math.floor(meta / 16), stream };
}
