/**
 * Searches over the log database. Candidates come from FTS5 when the query has words (else from
 * the (t, meta) index), in (t, id) order; each is verified against the exact query on its
 * decompressed block, because FTS tokens only approximate words, phrases and fields.
 */
import { ftsMatch, matchesLine } from '../../common/log-query';
import type { LogQueryAst } from '../../common/log-query-ast';
import type { InstanceMark, LogHistogram, LogHit, LogSearch, LogSearchResult, LogStoreStats } from './types';
import { levelRank, unpackMeta } from './schema';
import type { LogDatabase } from './store-db';

interface Row {
  id: number;
  t: number;
  block: number;
  meta: number;
}

/** A match set below this is fetched whole and sorted; above it, it is walked in time windows. */
const RARE = 4096;
/** Beyond this many verified candidates, a histogram counts FTS candidates unverified. */
const HISTOGRAM_VERIFY_CAP = 200_000;

interface Filter {
  sql: string[];
  args: (number | string)[];
  /** No line can match (a scope naming nothing stored). */
  none: boolean;
  /** The SQL filter is the whole query: no line needs its text checked. */
  exact: boolean;
}

function filterOf(d: LogDatabase, s: Omit<LogSearch, 'order' | 'limit' | 'after'>): Filter {
  const f: Filter = { sql: [], args: [], none: false, exact: true };
  const add = (sql: string, ...args: (number | string)[]): void => {
    f.sql.push(sql);
    f.args.push(...args);
  };
  if (s.from !== undefined) add('l.t >= ?', s.from);
  if (s.to !== undefined) add('l.t <= ?', s.to);
  let min = 0;
  for (const term of s.query.terms) {
    if (term.kind === 'level' && !term.negate) min = Math.max(min, levelRank(term.min));
    else f.exact = false;
  }
  if (min > 0) add('(l.meta & 7) >= ?', min);
  if (s.envs || s.services) {
    const ids: number[] = [];
    for (const src of d.sources()) {
      if (s.envs && !s.envs.includes(src.env)) continue;
      if (s.services && !s.services.includes(src.service)) continue;
      ids.push(src.id);
    }
    if (ids.length === 0) f.none = true;
    else f.sql.push(`(l.meta >> 4) IN (${ids.join(',')})`);
  }
  return f;
}

const where = (parts: string[]): string => (parts.length ? `WHERE ${parts.join(' AND ')}` : '');

function hitOf(d: LogDatabase, r: Row): LogHit | undefined {
  const m = unpackMeta(Number(r.meta));
  const src = d.source(m.source);
  const block = d.block(Number(r.block));
  if (!src || !block) return undefined;
  const text = block.text(Number(r.id) - block.first);
  if (text === undefined) return undefined;
  const hit: LogHit = {
    id: Number(r.id),
    env: src.env,
    service: src.service,
    instance: src.instance,
    instanceId: src.instanceId,
    stream: m.stream,
    t: Number(r.t),
    text,
  };
  if (m.level) hit.level = m.level;
  return hit;
}

function matches(ast: LogQueryAst, h: LogHit): boolean {
  return matchesLine(ast, { text: h.text, level: h.level, service: h.service, instance: h.instance, stream: h.stream });
}

/** The FTS expression, or undefined when FTS5 cannot take it (then every candidate is read). */
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

export function search(d: LogDatabase, s: LogSearch): LogSearchResult {
  const started = performance.now();
  const limit = Math.max(1, Math.min(10_000, Math.floor(s.limit ?? 500)));
  const desc = s.order !== 'oldest';
  const f = filterOf(d, s);
  const hits: LogHit[] = [];
  let scanned = 0;
  let more = false;
  const done = (): LogSearchResult => ({ hits, more, scanned, tookMs: Math.round((performance.now() - started) * 10) / 10 });
  if (f.none) return done();

  let cursor: { t: number; id: number } | undefined;
  if (s.after !== undefined) {
    const r = d.db.prepare('SELECT t FROM lines WHERE id = ?').get(s.after) as { t: number } | undefined;
    if (!r) return done(); // the page's last line was pruned: nothing to continue from
    cursor = { t: Number(r.t), id: s.after };
    f.sql.push(desc ? '(l.t, l.id) < (?, ?)' : '(l.t, l.id) > (?, ?)');
    f.args.push(cursor.t, cursor.id);
  }
  const dir = desc ? 'DESC' : 'ASC';
  /** Returns true when the page is full. */
  const take = (r: Row): boolean => {
    scanned++;
    const h = hitOf(d, r);
    if (!h || (!f.exact && !matches(s.query, h))) return false;
    if (hits.length === limit) return (more = true);
    hits.push(h);
    return false;
  };
  const order = (a: Row, b: Row): number => (desc ? b.t - a.t || b.id - a.id : a.t - b.t || a.id - b.id);

  const match = matchOf(d, s.query);
  if (match === undefined) {
    const q = d.db.prepare(`SELECT l.id, l.t, l.block, l.meta FROM lines l ${where(f.sql)} ORDER BY l.t ${dir}, l.id ${dir}`);
    for (const r of q.iterate(...f.args)) if (take(r as unknown as Row)) break;
    return done();
  }

  const count = Number((d.db.prepare('SELECT count(*) AS c FROM (SELECT rowid FROM fts WHERE fts MATCH ? LIMIT ?)').get(match, RARE) as { c: number }).c);
  const joined = (extra: string[]): string =>
    `SELECT l.id, l.t, l.block, l.meta FROM fts JOIN lines l ON l.id = fts.rowid ${where(['fts MATCH ?', ...extra, ...f.sql])}`;
  if (count < RARE) {
    const rows = d.db.prepare(joined([])).all(match, ...f.args) as unknown as Row[];
    rows.sort(order);
    for (const r of rows) if (take(r)) break;
    return done();
  }

  // A common match: walk time windows of the index from the start of the order, each holding
  // twice as many lines as the last; a window's lines have ids in a narrow span (ids follow
  // arrival, arrival follows time), which bounds the FTS doclist read for that window.
  let edge = desc ? (s.to ?? Number.MAX_SAFE_INTEGER) : (s.from ?? Number.MIN_SAFE_INTEGER);
  let size = Math.max(2048, limit * 4);
  const spanQ = (w: string[]): string =>
    `SELECT min(t) AS lo, max(t) AS hi, min(id) AS a, max(id) AS b, count(*) AS c FROM (SELECT l.t AS t, l.id AS id FROM lines l ${where(w)} ORDER BY l.t ${dir} LIMIT ?)`;
  for (;;) {
    const bound = desc ? 'l.t <= ?' : 'l.t >= ?';
    const span = d.db.prepare(spanQ([bound, ...f.sql])).get(edge, ...f.args, size) as { lo: number; hi: number; a: number; b: number; c: number };
    if (!span.c) break;
    const last = Number(span.c) < size;
    // Lines at the far edge's ms may go past the LIMIT: the window stops short of that ms unless it is the only one.
    let lo: number, hi: number;
    let a = Number(span.a),
      b = Number(span.b);
    const far = desc ? Number(span.lo) : Number(span.hi);
    if (last) [lo, hi] = desc ? [Number(span.lo), edge] : [edge, Number(span.hi)];
    else if (far !== edge) [lo, hi] = desc ? [far + 1, edge] : [edge, far - 1];
    else {
      [lo, hi] = [edge, edge];
      const all = d.db.prepare('SELECT min(id) AS a, max(id) AS b FROM lines WHERE t = ?').get(edge) as { a: number; b: number };
      a = Number(all.a);
      b = Number(all.b);
    }
    const rows = d.db.prepare(joined(['fts.rowid BETWEEN ? AND ?', 'l.t BETWEEN ? AND ?'])).all(match, a, b, lo, hi, ...f.args) as unknown as Row[];
    rows.sort(order);
    let full = false;
    for (const r of rows) if ((full = take(r))) break;
    if (full || last) break;
    edge = desc ? lo - 1 : hi + 1;
    size = Math.min(size * 2, 1 << 20);
  }
  return done();
}

export function histogram(d: LogDatabase, s: Omit<LogSearch, 'order' | 'limit' | 'after'> & { from: number; to: number; buckets: number }): LogHistogram {
  const buckets = Math.max(1, Math.min(10_000, Math.floor(s.buckets)));
  const step = Math.max(1, Math.ceil((s.to - s.from) / buckets));
  const counts = new Array<number>(buckets).fill(0);
  const result = { from: s.from, step, counts };
  const f = filterOf(d, { ...s, to: undefined });
  if (f.none || s.to <= s.from) return result;
  f.sql.push('l.t < ?');
  f.args.push(s.to);
  const add = (t: number, n: number): void => {
    const i = Math.floor((t - s.from) / step);
    if (i >= 0 && i < buckets) counts[i] = (counts[i] ?? 0) + n;
  };
  if (f.exact) {
    const q = d.db.prepare(`SELECT (l.t - ?) / ? AS b, count(*) AS c FROM lines l ${where(f.sql)} GROUP BY b`);
    for (const r of q.iterate(s.from, step, ...f.args)) add(s.from + Number(r.b) * step, Number(r.c));
    return result;
  }
  // Words or fields: each candidate's text is checked, for the first HISTOGRAM_VERIFY_CAP of them
  // (newest first). Past that, FTS candidates are counted unverified (a superset: counts of old
  // buckets may run a little high) and a query without FTS words stops counting.
  const match = matchOf(d, s.query);
  const sql =
    match === undefined
      ? `SELECT l.id, l.t, l.block, l.meta FROM lines l ${where(f.sql)} ORDER BY l.t DESC`
      : `SELECT l.id, l.t, l.block, l.meta FROM fts JOIN lines l ON l.id = fts.rowid ${where(['fts MATCH ?', ...f.sql])} ORDER BY l.id DESC`;
  const args = match === undefined ? f.args : [match, ...f.args];
  let verified = 0;
  for (const raw of d.db.prepare(sql).iterate(...args)) {
    const r = raw as unknown as Row;
    if (verified < HISTOGRAM_VERIFY_CAP) {
      verified++;
      const h = hitOf(d, r);
      if (h && matches(s.query, h)) add(h.t, 1);
    } else if (match !== undefined) add(Number(r.t), 1);
    else break;
  }
  return result;
}

function linesOfBlock(d: LogDatabase, block: { first: number; n: number }): Row[] {
  return d.db.prepare('SELECT id, t, block, meta FROM lines WHERE id BETWEEN ? AND ?').all(block.first, block.first + block.n - 1) as unknown as Row[];
}

export function around(d: LogDatabase, id: number, before: number, after: number): LogHit[] {
  const hit = d.db.prepare('SELECT id, t, block, meta FROM lines WHERE id = ?').get(id) as Row | undefined;
  if (!hit) return [];
  const source = Math.floor(Number(hit.meta) / 16);
  const t = Number(hit.t);
  const side = (sql: string, want: number, keep: (r: Row) => boolean, order: (a: Row, b: Row) => number): Row[] => {
    const got: Row[] = [];
    if (want <= 0) return got;
    // Blocks of one instance hardly overlap in time: one block past `want` lines covers the stragglers.
    let enough = false;
    for (const b of d.db.prepare(sql).iterate(source, t)) {
      for (const r of linesOfBlock(d, { first: Number(b.first), n: Number(b.n) })) if (keep(r)) got.push(r);
      if (enough) break;
      if (got.length >= want) enough = true;
    }
    return got.sort(order).slice(0, want);
  };
  const earlier = side(
    'SELECT first, n FROM blocks WHERE source = ? AND t0 <= ? ORDER BY t0 DESC',
    before,
    (r) => Number(r.t) < t || (Number(r.t) === t && Number(r.id) < id),
    (a, b) => b.t - a.t || b.id - a.id,
  );
  const later = side(
    'SELECT first, n FROM blocks WHERE source = ? AND t1 >= ? ORDER BY t1',
    after,
    (r) => Number(r.t) > t || (Number(r.t) === t && Number(r.id) > id),
    (a, b) => a.t - b.t || a.id - b.id,
  );
  return [...earlier.reverse(), hit, ...later].map((r) => hitOf(d, r)).filter((h): h is LogHit => h !== undefined);
}

export function mark(d: LogDatabase, env: string, instanceId: string): InstanceMark | undefined {
  const ids = [...d.sources()].filter((s) => s.env === env && s.instanceId === instanceId).map((s) => s.id);
  if (ids.length === 0) return undefined;
  const list = ids.join(',');
  const top = d.db.prepare(`SELECT max(t1) AS t FROM blocks WHERE source IN (${list})`).get() as { t: number | null };
  if (top.t === null) return undefined;
  const t = Number(top.t);
  const atT: { id: number; text: string }[] = [];
  for (const b of d.db.prepare(`SELECT id, first, n FROM blocks WHERE source IN (${list}) AND t1 >= ? AND t0 <= ?`).iterate(t, t)) {
    const block = d.block(Number(b.id));
    for (const r of linesOfBlock(d, { first: Number(b.first), n: Number(b.n) }))
      if (Number(r.t) === t) atT.push({ id: Number(r.id), text: block?.text(Number(r.id) - Number(b.first)) ?? '' });
  }
  return { t, atT: atT.sort((a, b) => a.id - b.id).map((x) => x.text) };
}

export function stats(d: LogDatabase): LogStoreStats {
  const r = d.db.prepare('SELECT (SELECT sum(n) FROM blocks) AS lines, (SELECT min(t) FROM lines) AS oldest, (SELECT max(t) FROM lines) AS newest').get() as {
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
