/**
 * Searches over the log database. FTS5 names the blocks that may hold a query's words; blocks
 * are then read in the order asked for (newest or oldest first), and each of their lines is checked
 * against the exact query, because a block's words are not a line's and FTS tokens only
 * approximate words, phrases and fields. Times, streams and levels are read from a block's `lines`
 * column, so a line's text is inflated only when a term needs it or it is a hit.
 */
import { ftsMatch, matchesLine } from '../../common/log-query';
import { requiredTokens } from '../../common/log-query-fts';
import type { LogQueryAst } from '../../common/log-query-ast';
import type { InstanceMark, LogHistogram, LogHit, LogSearch, LogSearchResult, LogStoreStats } from './types';
import { decodeLines, type BlockLines } from './blocks';
import { blockOf, indexOf, levelRank, levelsFrom, lineId, unpackMeta } from './schema';
import type { LogDatabase } from './store-db';

interface BlockRow {
  id: number;
  source: number;
  n: number;
  t0: number;
  t1: number;
  /** Read with the row where it is sure to be needed; else when a reader first needs it. */
  lines?: Uint8Array;
}

/**
 * `fewBlocks`: matching blocks up to this many are fetched by id and sorted; more, and blocks are
 * walked in order, window by window. Tests lower it to take the second way over small stores.
 */
export const tuning = { fewBlocks: 2048 };
/** Beyond this many verified lines, a histogram estimates the rest from the share that matched. */
const HISTOGRAM_VERIFY_CAP = 200_000;

const COLUMNS = 'b.id, b.source, b.n, b.t0, b.t1';
const FULL = `${COLUMNS}, b.lines`;

interface Filter {
  sql: string[];
  args: (number | string)[];
  /** No line can match (a scope naming nothing stored). */
  none: boolean;
  /** Level, scope and time are the whole query: no line needs its text checked. */
  exact: boolean;
  minRank: number;
  from: number;
  to: number;
}

function filterOf(d: LogDatabase, s: Omit<LogSearch, 'order' | 'limit' | 'after'>): Filter {
  const f: Filter = { sql: [], args: [], none: false, exact: true, minRank: 0, from: s.from ?? -Infinity, to: s.to ?? Infinity };
  const add = (sql: string, ...args: (number | string)[]): void => {
    f.sql.push(sql);
    f.args.push(...args);
  };
  // Both ends of both columns: whichever index the order walks gets a range, not half the table.
  if (s.from !== undefined) add('b.t1 >= ? AND b.t0 >= ?', s.from, s.from - d.maxSpan);
  if (s.to !== undefined) add('b.t0 <= ? AND b.t1 <= ?', s.to, s.to + d.maxSpan);
  for (const term of s.query.terms) {
    if (term.kind === 'level' && !term.negate) f.minRank = Math.max(f.minRank, levelRank(term.min));
    else f.exact = false;
  }
  if (f.minRank > 0) add('(b.levels & ?) != 0', levelsFrom(f.minRank));
  if (s.envs || s.services) {
    const ids: number[] = [];
    for (const src of d.sources()) {
      if (s.envs && !s.envs.includes(src.env)) continue;
      if (s.services && !s.services.includes(src.service)) continue;
      ids.push(src.id);
    }
    if (ids.length === 0) f.none = true;
    else f.sql.push(`b.source IN (${ids.join(',')})`);
  }
  return f;
}

const where = (parts: string[]): string => (parts.length ? `WHERE ${parts.join(' AND ')}` : '');

const rowOf = (r: Record<string, unknown>): BlockRow => ({
  id: Number(r.id),
  source: Number(r.source),
  n: Number(r.n),
  t0: Number(r.t0),
  t1: Number(r.t1),
  ...(r.lines ? { lines: r.lines as Uint8Array } : {}),
});

/** The FTS expression, or undefined when FTS5 cannot take it (then every block in range is read). */
function matchOf(d: LogDatabase, ast: LogQueryAst): string | undefined {
  const m = ftsMatch(ast);
  if (m === undefined) return undefined;
  try {
    d.db.prepare('SELECT rowid FROM fts WHERE fts MATCH ? LIMIT 1').get(m);
    return m;
  } catch {
    return undefined;
  }
}

/**
 * The blocks that may hold a match, newest first (by their last line) or oldest first (by their
 * first): every block holding a line of the query's window, its level and its words.
 */
function* candidates(d: LogDatabase, f: Filter, query: LogQueryAst, desc: boolean): Generator<BlockRow> {
  const order = desc ? 'ORDER BY b.t1 DESC' : 'ORDER BY b.t0 ASC';
  const match = matchOf(d, query);
  if (match === undefined) {
    for (const r of d.db.prepare(`SELECT ${COLUMNS} FROM blocks b ${where(f.sql)} ${order}`).iterate(...f.args)) yield rowOf(r);
    return;
  }
  // Blocks past d.indexedUpTo are not in the index yet (a flood is being written): each is a candidate.
  const indexed = d.indexedUpTo;
  const ids: number[] = [];
  for (const r of d.db.prepare('SELECT rowid AS id FROM fts WHERE fts MATCH ? LIMIT ?').iterate(match, tuning.fewBlocks + 1)) ids.push(Number(r.id));
  if (ids.length <= tuning.fewBlocks) {
    const rows = d.db
      .prepare(`SELECT ${COLUMNS} FROM blocks b ${where(['(b.id IN (SELECT value FROM json_each(?)) OR b.id > ?)', ...f.sql])}`)
      .all(JSON.stringify(ids), indexed, ...f.args)
      .map(rowOf);
    rows.sort(desc ? (a, b) => b.t1 - a.t1 : (a, b) => a.t0 - b.t0);
    yield* rows;
    return;
  }
  // Many: blocks are walked in order, a window at a time, and the index asked only about the ids
  // of that window (ids follow arrival, so a window's are close together), each window twice the last.
  const inWindow = d.db.prepare('SELECT rowid AS id FROM fts WHERE fts MATCH ? AND rowid BETWEEN ? AND ?');
  let window: BlockRow[] = [];
  let size = 32;
  const flush = function* (): Generator<BlockRow> {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of window) {
      lo = Math.min(lo, r.id);
      hi = Math.max(hi, r.id);
    }
    const set = new Set<number>();
    if (lo <= indexed) for (const r of inWindow.iterate(match, lo, Math.min(hi, indexed))) set.add(Number(r.id));
    for (const r of window) if (r.id > indexed || set.has(r.id)) yield r;
    window = [];
    size = Math.min(size * 2, 4096);
  };
  for (const r of d.db.prepare(`SELECT ${COLUMNS} FROM blocks b ${where(f.sql)} ${order}`).iterate(...f.args)) {
    window.push(rowOf(r));
    if (window.length >= size) yield* flush();
  }
  if (window.length) yield* flush();
}

/** Reads one block's lines as hits, on demand. */
class BlockReader {
  readonly lines: BlockLines;
  constructor(
    private readonly d: LogDatabase,
    readonly row: BlockRow,
  ) {
    const data = row.lines ?? (d.db.prepare('SELECT lines FROM blocks WHERE id = ?').get(row.id)?.lines as Uint8Array | undefined) ?? new Uint8Array(0);
    this.lines = decodeLines(data, data.length ? row.n : 0, row.t0);
  }

  /** The lines worth checking against a query holding these tokens: those that hold them all (ASCII blocks), else every line. */
  worth(tokens: string[]): Iterable<number> {
    const only = tokens.length > 0 ? this.d.block(this.row.id)?.linesWith(tokens) : undefined;
    return only ?? Array.from({ length: this.row.n }, (_, i) => i);
  }

  /** Whether line i matches the query (its text, level, stream and source checked). */
  matches(ast: LogQueryAst, i: number): boolean {
    const src = this.d.source(this.row.source);
    const text = this.d.block(this.row.id)?.text(i);
    if (!src || text === undefined) return false;
    const m = unpackMeta(this.lines.meta[i]!);
    return matchesLine(ast, { text, level: m.level, service: src.service, instance: src.instance, stream: m.stream });
  }

  hit(i: number): LogHit | undefined {
    const src = this.d.source(this.row.source);
    const text = this.d.block(this.row.id)?.text(i);
    if (!src || text === undefined) return undefined;
    const m = unpackMeta(this.lines.meta[i]!);
    const hit: LogHit = {
      id: lineId(this.row.id, i),
      env: src.env,
      service: src.service,
      instance: src.instance,
      instanceId: src.instanceId,
      stream: m.stream,
      t: this.lines.t[i]!,
      text,
    };
    if (m.level) hit.level = m.level;
    return hit;
  }
}

function blockRow(d: LogDatabase, id: number): BlockRow | undefined {
  const r = d.db.prepare(`SELECT ${FULL} FROM blocks b WHERE b.id = ?`).get(id);
  return r ? rowOf(r) : undefined;
}

/** The time of a stored line, or undefined once it is pruned. */
function timeOf(d: LogDatabase, id: number): number | undefined {
  const row = blockRow(d, blockOf(id));
  if (!row || indexOf(id) >= row.n) return undefined;
  return row.lines && decodeLines(row.lines, row.n, row.t0).t[indexOf(id)];
}

export function search(d: LogDatabase, s: LogSearch): LogSearchResult {
  const started = performance.now();
  const limit = Math.max(1, Math.min(10_000, Math.floor(s.limit ?? 500)));
  const desc = s.order !== 'oldest';
  let cursor: { t: number; id: number } | undefined;
  if (s.after !== undefined) {
    const t = timeOf(d, s.after);
    if (t !== undefined) cursor = { t, id: s.after };
  }
  // Past the cursor only: its ms is still in range, the lines before it there are skipped below.
  const f = filterOf(d, !cursor ? s : desc ? { ...s, to: Math.min(s.to ?? Infinity, cursor.t) } : { ...s, from: Math.max(s.from ?? -Infinity, cursor.t) });
  let best: LogHit[] = [];
  let scanned = 0;
  const done = (): LogSearchResult => ({
    hits: best.slice(0, limit),
    more: best.length > limit,
    scanned,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
  });
  // The page's last line was pruned: nothing to continue from.
  if (f.none || (s.after !== undefined && !cursor)) return done();

  /** Whether line (t, id) comes before (ct, cid) in the order asked for. */
  const before = desc
    ? (t: number, id: number, ct: number, cid: number) => t > ct || (t === ct && id > cid)
    : (t: number, id: number, ct: number, cid: number) => t < ct || (t === ct && id < cid);
  // One past the page, to know whether there is more.
  const want = limit + 1;
  const tokens = requiredTokens(s.query);
  const order = (a: LogHit, b: LogHit): number => (before(a.t, a.id, b.t, b.id) ? -1 : 1);
  for (const row of candidates(d, f, s.query, desc)) {
    // Blocks come in order of their nearest line: once the page is full and this block's nearest
    // line comes after the page's last, no later block can add to it.
    const last = best.length === want ? best[want - 1]! : undefined;
    if (last && (desc ? row.t1 < last.t : row.t0 > last.t)) break;
    const r = new BlockReader(d, row);
    const { t, meta } = r.lines;
    let added = false;
    for (const i of f.exact ? r.lines.t.keys() : r.worth(tokens)) {
      const ti = t[i]!;
      if (ti < f.from || ti > f.to || (meta[i]! & 7) < f.minRank) continue;
      const id = lineId(row.id, i);
      if (cursor && !before(cursor.t, cursor.id, ti, id)) continue;
      if (last && !before(ti, id, last.t, last.id)) continue;
      scanned++;
      if (!f.exact && !r.matches(s.query, i)) continue;
      const h = r.hit(i);
      if (!h) continue;
      best.push(h);
      added = true;
    }
    if (added && best.length >= want) best = best.sort(order).slice(0, want);
  }
  best.sort(order);
  return done();
}

export function histogram(d: LogDatabase, s: Omit<LogSearch, 'order' | 'limit' | 'after'> & { from: number; to: number; buckets: number }): LogHistogram {
  const buckets = Math.max(1, Math.min(10_000, Math.floor(s.buckets)));
  const step = Math.max(1, Math.ceil((s.to - s.from) / buckets));
  const counts = new Array<number>(buckets).fill(0);
  const result = { from: s.from, step, counts };
  const f = filterOf(d, { ...s, to: s.to - 1 });
  if (f.none || s.to <= s.from) return result;
  // Words or fields: each candidate's text is checked, for the first HISTOGRAM_VERIFY_CAP lines
  // (newest first). Past that, a line counts as the share of the checked ones that matched: older
  // buckets of a common query are estimates, and say so by not being whole numbers until rounded.
  // Lines that lack a required token (ASCII blocks) are not candidates: not counted, not checked.
  let verified = 0;
  let matched = 0;
  const tokens = requiredTokens(s.query);
  for (const row of candidates(d, f, s.query, true)) {
    const r = new BlockReader(d, row);
    const { t, meta } = r.lines;
    for (const i of f.exact ? r.lines.t.keys() : r.worth(tokens)) {
      const ti = t[i]!;
      if (ti < f.from || ti > f.to || (meta[i]! & 7) < f.minRank) continue;
      let weight = 1;
      if (!f.exact) {
        if (verified < HISTOGRAM_VERIFY_CAP) {
          verified++;
          if (!r.matches(s.query, i)) continue;
          matched++;
        } else weight = matched / verified;
      }
      const k = Math.floor((ti - s.from) / step);
      if (k >= 0 && k < buckets) counts[k] = counts[k]! + weight;
    }
  }
  for (let k = 0; k < buckets; k++) counts[k] = Math.round(counts[k]!);
  return result;
}

export function around(d: LogDatabase, id: number, before: number, after: number): LogHit[] {
  const row = blockRow(d, blockOf(id));
  if (!row || indexOf(id) >= row.n) return [];
  const hitBlock = new BlockReader(d, row);
  const t = hitBlock.lines.t[indexOf(id)]!;
  type Line = { r: BlockReader; i: number; t: number; id: number };
  const side = (sql: string, want: number, keep: (l: Line) => boolean, order: (a: Line, b: Line) => number): Line[] => {
    const got: Line[] = [];
    if (want <= 0) return got;
    // Blocks of one instance hardly overlap in time: one block past `want` lines covers the stragglers.
    let enough = false;
    for (const raw of d.db.prepare(sql).iterate(row.source, t)) {
      const b = raw.id === row.id ? row : rowOf(raw);
      const r = b === row ? hitBlock : new BlockReader(d, b);
      for (let i = 0; i < b.n; i++) {
        const l = { r, i, t: r.lines.t[i]!, id: lineId(b.id, i) };
        if (keep(l)) got.push(l);
      }
      if (enough) break;
      if (got.length >= want) enough = true;
    }
    return got.sort(order).slice(0, want);
  };
  const earlier = side(
    `SELECT ${FULL} FROM blocks b WHERE b.source = ? AND b.t0 <= ? ORDER BY b.t0 DESC`,
    before,
    (l) => l.t < t || (l.t === t && l.id < id),
    (a, b) => b.t - a.t || b.id - a.id,
  );
  const later = side(
    `SELECT ${FULL} FROM blocks b WHERE b.source = ? AND b.t1 >= ? ORDER BY b.t1`,
    after,
    (l) => l.t > t || (l.t === t && l.id > id),
    (a, b) => a.t - b.t || a.id - b.id,
  );
  return [...earlier.reverse(), { r: hitBlock, i: indexOf(id) }, ...later].map((l) => l.r.hit(l.i)).filter((h): h is LogHit => h !== undefined);
}

export function mark(d: LogDatabase, env: string, instanceId: string): InstanceMark | undefined {
  const ids = [...d.sources()].filter((s) => s.env === env && s.instanceId === instanceId).map((s) => s.id);
  if (ids.length === 0) return undefined;
  const list = ids.join(',');
  const top = d.db.prepare(`SELECT max(t1) AS t FROM blocks WHERE source IN (${list})`).get() as { t: number | null };
  if (top.t === null) return undefined;
  const t = Number(top.t);
  const atT: { id: number; text: string }[] = [];
  for (const raw of d.db.prepare(`SELECT ${FULL} FROM blocks b WHERE b.source IN (${list}) AND b.t1 >= ? AND b.t0 <= ?`).iterate(t, t)) {
    const r = new BlockReader(d, rowOf(raw));
    for (let i = 0; i < r.row.n; i++) if (r.lines.t[i] === t) atT.push({ id: lineId(r.row.id, i), text: d.block(r.row.id)?.text(i) ?? '' });
  }
  return { t, atT: atT.sort((a, b) => a.id - b.id).map((x) => x.text) };
}

export function stats(d: LogDatabase): LogStoreStats {
  const r = d.db
    .prepare('SELECT (SELECT sum(n) FROM blocks) AS lines, (SELECT min(t0) FROM blocks) AS oldest, (SELECT max(t1) FROM blocks) AS newest')
    .get() as {
    lines: number | null;
    oldest: number | null;
    newest: number | null;
  };
  const st: LogStoreStats = { lines: Number(r.lines ?? 0), bytes: d.fileBytes() };
  if (r.oldest !== null) st.oldest = Number(r.oldest);
  if (r.newest !== null) st.newest = Number(r.newest);
  if (d.problem) st.problem = d.problem;
  return st;
}
