/**
 * The log database as the worker owns it: opening (a corrupt file is moved aside), writing lines
 * in blocks, pruning to the limits, and the faults that stop storing without stopping the app.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { LogStoreLimits, StoredLine } from './types';
import { BlockCache, decodeBlock, encodeBlock, encodeLines, type Block } from './blocks';
import { batchOf, type LineBatch, type SourceKey } from './line-batch';
import { LAYOUT_VERSION, LINES_PER_BLOCK, SCHEMA } from './schema';

export const DEFAULT_LIMITS: LogStoreLimits = { maxBytes: 1024 ** 3, maxAgeMs: 7 * 24 * 3600_000 };

/** Lines of one instance are gathered into a block of at most this many, or for at most BLOCK_MS. */
export const BLOCK_LINES = LINES_PER_BLOCK;
export const BLOCK_MS = 1000;
const PAGE = 4096;
/** After a full disk, writes are tried again this long after (lines meanwhile are dropped). */
const FULL_RETRY_MS = 10_000;

export const DISK_FULL = 'The disk is full: lines are not being stored. Free some space; storing resumes by itself.';

export interface Source {
  id: number;
  env: string;
  service: string;
  instance: string;
  instanceId: string;
}

/** Lines of one instance gathering into a block, in columns. */
interface Lines {
  t: number[];
  meta: number[];
  text: string[];
}

interface Pending extends Lines {
  source: Source;
  since: number;
}

/** SQLite's primary result code (node:sqlite gives the extended one). */
function sqliteCode(e: unknown): number | undefined {
  const code = (e as { errcode?: unknown } | undefined)?.errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
}
const SQLITE_FULL = 13;
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

export function isCorruption(e: unknown): boolean {
  const c = sqliteCode(e);
  return c === SQLITE_CORRUPT || c === SQLITE_NOTADB;
}

export class LogDatabase {
  db!: DatabaseSync;
  readonly cache = new BlockCache();
  readonly file: string;
  problem: string | undefined;
  private sourcesById = new Map<number, Source>();
  private sourcesByKey = new Map<string, Source>();
  private pending = new Map<number, Pending>();
  private pendingLines = 0;
  private nextBlock = 1;
  /** Blocks up to this id are in the FTS index; later ones are indexed when the flow lets up (indexSome). */
  indexedUpTo = 0;
  /** The widest time span of a block (ms): a bound on how far a block's lines reach past its t0 or before its t1. */
  maxSpan = 0;
  private fullUntil = 0;
  private stmts!: {
    block: StatementSync;
    fts: StatementSync;
    blockData: StatementSync;
    indexed: StatementSync;
  };
  private readonly limits: LogStoreLimits;
  /** Bytes the database file may use: the WAL (its limit, and one transaction past it) gets the rest. */
  private readonly budget: number;
  private readonly walLimit: number;
  /** Lines per write transaction: what the WAL holds is ~3× their compressed text and index. */
  private readonly txLines: number;

  constructor(
    readonly dir: string,
    limits: Partial<LogStoreLimits> = {},
    private readonly onDropped: (n: number) => void = () => {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.file = join(dir, 'logs.db');
    this.walLimit = Math.max(64 * 1024, Math.min(16 * 1024 ** 2, Math.floor(this.limits.maxBytes / 8)));
    this.budget = this.limits.maxBytes - 2 * this.walLimit;
    this.txLines = Math.max(BLOCK_LINES, Math.min(20_000, Math.floor(this.walLimit / 400)));
    this.open();
  }

  private open(): void {
    try {
      this.openFile();
    } catch (e) {
      if (e instanceof OtherLayout) this.moveAside('layout');
      else if (isCorruption(e)) this.moveAside('corrupt');
      else throw e;
      this.openFile();
    }
  }

  private openFile(): void {
    const db = new DatabaseSync(this.file);
    try {
      // auto_vacuum only takes before the first table is created.
      db.exec(`PRAGMA page_size = ${PAGE}; PRAGMA auto_vacuum = INCREMENTAL`);
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
      db.exec(`PRAGMA journal_size_limit = ${this.walLimit}; PRAGMA wal_autocheckpoint = ${Math.max(16, Math.floor(this.walLimit / PAGE / 2))}`);
      const version = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
      const tables = Number((db.prepare('SELECT count(*) AS c FROM sqlite_master').get() as { c: number }).c);
      if (tables > 0 && version !== LAYOUT_VERSION) throw new OtherLayout(version);
      db.exec('BEGIN');
      for (const s of SCHEMA) db.exec(s);
      db.exec(`PRAGMA user_version = ${LAYOUT_VERSION}`);
      // Deletes remove postings instead of adding tombstones: pruning frees pages at once.
      db.exec("INSERT INTO fts (fts, rank) VALUES ('secure-delete', 1)");
      db.exec('COMMIT');
      // Reads every table's root: a damaged file says so now rather than at the first search.
      db.prepare('SELECT (SELECT count(*) FROM sources), (SELECT max(id) FROM blocks), (SELECT min(t0) FROM blocks)').get();
    } catch (e) {
      db.close();
      throw e;
    }
    this.db = db;
    this.stmts = {
      block: db.prepare('INSERT INTO blocks (id, source, n, t0, t1, levels, lines, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      fts: db.prepare('INSERT INTO fts (rowid, text) VALUES (?, ?)'),
      blockData: db.prepare('SELECT data FROM blocks WHERE id = ?'),
      indexed: db.prepare("INSERT INTO meta (key, value) VALUES ('indexed', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
    };
    this.nextBlock = this.maxBlock() + 1;
    const mark = db.prepare("SELECT value FROM meta WHERE key = 'indexed'").get() as { value: number } | undefined;
    this.indexedUpTo = mark ? Number(mark.value) : 0;
    this.maxSpan = Number((db.prepare('SELECT max(t1 - t0) AS s FROM blocks').get() as { s: number | null }).s ?? 0);
    this.sourcesById.clear();
    this.sourcesByKey.clear();
    for (const r of db.prepare('SELECT id, env, service, instance, instance_id FROM sources').all()) {
      const s = { id: Number(r.id), env: String(r.env), service: String(r.service), instance: String(r.instance), instanceId: String(r.instance_id) };
      this.sourcesById.set(s.id, s);
      this.sourcesByKey.set(sourceKey(s), s);
    }
    this.cache.clear();
  }

  private maxBlock(): number {
    return Number((this.db.prepare('SELECT max(id) AS m FROM blocks').get() as { m: number | null }).m ?? 0);
  }

  /**
   * Keeps a damaged file for a post-mortem (it may hold lines someone wants), or one of another
   * layout for the version that wrote it, and starts anew.
   */
  private moveAside(why: 'corrupt' | 'layout'): void {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const aside = `${this.file}.${why === 'corrupt' ? 'corrupt' : 'other-layout'}-${stamp}`;
    renameSync(this.file, aside);
    for (const ext of ['-wal', '-shm']) rmSync(this.file + ext, { force: true });
    this.problem =
      why === 'corrupt'
        ? `The log store was damaged; it was moved aside to ${aside} and a new one started. Lines stored before are not searchable.`
        : `The log store was written by another version of Fleetdeck; it was moved aside to ${aside} and a new one started. That version can still read it.`;
  }

  /** After an error: a corrupt database is replaced (and true returned, so the caller may retry). */
  recover(e: unknown): boolean {
    if (!isCorruption(e)) return false;
    try {
      this.db.close();
    } catch {
      // closing a damaged database may fail too; it is being replaced either way
    }
    this.moveAside('corrupt');
    this.openFile();
    // What was gathering belongs to sources of the old file.
    const lost = this.pendingLines;
    this.pending.clear();
    this.pendingLines = 0;
    if (lost > 0) this.onDropped(lost);
    return true;
  }

  source(id: number): Source | undefined {
    return this.sourcesById.get(id);
  }

  sources(): Iterable<Source> {
    return this.sourcesById.values();
  }

  block(id: number): Block | undefined {
    return this.cache.get(id, () => (this.stmts.blockData.get(id) as { data: Uint8Array } | undefined)?.data);
  }

  private sourceOf(l: SourceKey): Source {
    const key = sourceKey(l);
    let s = this.sourcesByKey.get(key);
    if (!s) {
      const r = this.db
        .prepare('INSERT INTO sources (env, service, instance, instance_id) VALUES (?, ?, ?, ?) RETURNING id')
        .get(l.env, l.service, l.instance, l.instanceId) as { id: number };
      s = { id: Number(r.id), env: l.env, service: l.service, instance: l.instance, instanceId: l.instanceId };
      this.sourcesByKey.set(key, s);
      this.sourcesById.set(s.id, s);
    }
    return s;
  }

  /** Gathers lines into their instance's block; returns whether a block is full and due. */
  add(lines: StoredLine[], now = Date.now()): boolean {
    return this.addBatch(batchOf(lines), now);
  }

  addBatch(b: LineBatch, now = Date.now()): boolean {
    const n = b.text.length;
    if (now < this.fullUntil) {
      this.onDropped(n);
      return false;
    }
    // Sources are created outside the write transaction: few, and needed to know the block.
    const gathering: (Pending | undefined)[] = b.sources.map((key) => {
      let s: Source;
      try {
        s = this.sourceOf(key);
      } catch (e) {
        this.fail(e, 0);
        return undefined;
      }
      let p = this.pending.get(s.id);
      if (!p) this.pending.set(s.id, (p = { source: s, t: [], meta: [], text: [], since: now }));
      return p;
    });
    let due = false;
    let lost = 0;
    for (let i = 0; i < n; i++) {
      const p = gathering[b.source[i]!];
      if (!p) {
        lost++;
        continue;
      }
      p.t.push(b.t[i]!);
      p.meta.push(b.meta[i]!);
      p.text.push(b.text[i]!);
      if (p.text.length >= BLOCK_LINES) due = true;
    }
    this.pendingLines += n - lost;
    if (lost) this.onDropped(lost);
    return due;
  }

  get pendingCount(): number {
    return this.pendingLines;
  }

  /**
   * Writes what is due: full blocks, and everything gathering for BLOCK_MS or more (all of it with
   * `all`). Under a steady flow the rest of a burst waits for its block to fill: blocks stay full-size.
   */
  write(all: boolean, now = Date.now()): number {
    const blocks: [Source, Lines][] = [];
    let n = 0;
    for (const p of [...this.pending.values()]) {
      const whole = all || now - p.since >= BLOCK_MS;
      const count = p.text.length;
      const take = whole ? count : count - (count % BLOCK_LINES);
      if (take === 0) continue;
      for (let i = 0; i < take; i += BLOCK_LINES) {
        const end = Math.min(take, i + BLOCK_LINES);
        blocks.push([p.source, { t: p.t.slice(i, end), meta: p.meta.slice(i, end), text: p.text.slice(i, end) }]);
      }
      n += take;
      if (take === count) this.pending.delete(p.source.id);
      else {
        p.t = p.t.slice(take);
        p.meta = p.meta.slice(take);
        p.text = p.text.slice(take);
      }
    }
    if (n === 0) return 0;
    this.pendingLines -= n;
    let stored = 0;
    // Transactions stay small enough for the WAL to stay within its share of maxBytes, and the
    // size is checked between them, so a burst cannot carry the file past its limit.
    for (let i = 0; i < blocks.length;) {
      let inTx = 0;
      try {
        this.db.exec('BEGIN');
        for (; i < blocks.length && inTx < this.txLines; i++) {
          const [source, lines] = blocks[i]!;
          this.writeBlock(source, lines);
          inTx += lines.text.length;
        }
        this.db.exec('COMMIT');
        stored += inTx;
        this.boundWal();
        if (this.problem === DISK_FULL) this.problem = undefined;
      } catch (e) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        let rest = 0;
        for (; i < blocks.length; i++) rest += blocks[i]![1].text.length;
        this.fail(e, inTx + rest);
        return stored;
      }
      this.pruneIfDue();
    }
    return stored;
  }

  private writeBlock(s: Source, lines: Lines): void {
    let t0 = Infinity;
    let t1 = -Infinity;
    let levels = 0;
    for (let i = 0; i < lines.t.length; i++) {
      const t = lines.t[i]!;
      if (t < t0) t0 = t;
      if (t > t1) t1 = t;
      levels |= 1 << (lines.meta[i]! & 7);
    }
    const id = this.nextBlock++;
    this.maxSpan = Math.max(this.maxSpan, t1 - t0);
    this.stmts.block.run(id, s.id, lines.text.length, t0, t1, levels, encodeLines(lines.t, lines.meta, t0), encodeBlock(lines.text));
  }

  /** Indexes every block written (the steady state, for tests). */
  indexAll(): void {
    while (this.indexSome(256) > 0);
  }

  /** Blocks written and not yet in the FTS index. */
  get unindexed(): number {
    return this.nextBlock - 1 - this.indexedUpTo;
  }

  /**
   * Puts up to `most` blocks into the FTS index, oldest first; returns how many. Indexing is most of
   * what storing a line costs, so it waits for a flood to pass (the worker decides when) rather than
   * slow the writes: a block is searchable either way, read whole until indexed.
   */
  indexSome(most: number): number {
    const rows = this.db.prepare('SELECT id, data FROM blocks WHERE id > ? ORDER BY id LIMIT ?').all(this.indexedUpTo, most);
    if (rows.length === 0) {
      this.indexedUpTo = this.nextBlock - 1;
      return 0;
    }
    const upTo = Number(rows.at(-1)!.id);
    try {
      this.db.exec('BEGIN');
      for (const r of rows) {
        const b = decodeBlock(r.data as Uint8Array);
        const texts: string[] = [];
        for (let i = 0; i < b.n; i++) texts.push(b.text(i) ?? '');
        // Newlines part the lines: no token spans two of them.
        this.stmts.fts.run(Number(r.id), texts.join('\n'));
      }
      this.stmts.indexed.run(upTo);
      this.db.exec('COMMIT');
      this.indexedUpTo = upTo;
      this.boundWal();
    } catch (e) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      if (sqliteCode(e) === SQLITE_FULL) return 0; // tried again later; the blocks are stored meanwhile
      if (!this.recover(e)) throw e;
      return 0;
    }
    return rows.length;
  }

  private fail(e: unknown, lines: number): void {
    this.onDropped(lines);
    this.nextBlock = this.maxBlock() + 1;
    if (sqliteCode(e) === SQLITE_FULL) {
      this.problem = DISK_FULL;
      this.fullUntil = Date.now() + FULL_RETRY_MS;
      return;
    }
    if (this.recover(e)) return;
    throw e;
  }

  /** Pages in use (free pages are reused before the file grows). */
  usedBytes(): number {
    const pages = Number((this.db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count);
    const free = Number((this.db.prepare('PRAGMA freelist_count').get() as { freelist_count: number }).freelist_count);
    return (pages - free) * PAGE;
  }

  fileBytes(): number {
    let n = 0;
    for (const f of [this.file, this.file + '-wal']) if (existsSync(f)) n += statSync(f).size;
    return n;
  }

  /**
   * The WAL grows past journal_size_limit while a reader (a search, stats) holds an older snapshot:
   * the limit applies only when a checkpoint resets it. Past its share, it is checkpointed and cut
   * now, so the database and its WAL together stay under maxBytes.
   */
  private boundWal(): void {
    const wal = this.file + '-wal';
    if (existsSync(wal) && statSync(wal).size > this.walLimit) this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  }

  /** Both checks are an O(1) read (page counts, the first entry of blocks_t1): cheap after every write. */
  private pruneIfDue(): void {
    const oldest = this.db.prepare('SELECT t1 FROM blocks ORDER BY t1 LIMIT 1').get() as { t1: number } | undefined;
    if (this.usedBytes() > this.budget * 0.9 || (oldest && Number(oldest.t1) < Date.now() - this.limits.maxAgeMs)) this.prune();
  }

  /** Drops the oldest blocks: those past maxAgeMs, then about enough to bring the file to 70% of its budget. */
  prune(now = Date.now()): void {
    try {
      const old = this.db.prepare('SELECT id FROM blocks WHERE t1 < ? ORDER BY t1 LIMIT 1000');
      for (let rows = old.all(now - this.limits.maxAgeMs); rows.length > 0; rows = old.all(now - this.limits.maxAgeMs)) this.dropBlocks(rows);
      // One round usually does; more only while the file is still over its budget.
      for (let round = 0; round < 5; round++) {
        const used = this.usedBytes();
        if (used <= (round === 0 ? this.budget * 0.9 : this.budget)) break;
        const lines = Number((this.db.prepare('SELECT sum(n) AS c FROM blocks').get() as { c: number | null }).c) || 1;
        const drop = Math.max(BLOCK_LINES, Math.ceil(((used - this.budget * 0.7) / used) * lines));
        const rows: Record<string, unknown>[] = [];
        let sum = 0;
        for (const r of this.db.prepare('SELECT id, n FROM blocks ORDER BY t1').iterate()) {
          rows.push(r);
          sum += Number(r.n);
          if (sum >= drop) break;
        }
        if (rows.length === 0) break;
        this.dropBlocks(rows);
      }
      // Free pages are reused by the next writes; the file shrinks only if it is over its limit.
      const pages = Number((this.db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count);
      if (pages * PAGE > this.budget) this.db.exec('PRAGMA incremental_vacuum');
    } catch (e) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      if (sqliteCode(e) === SQLITE_FULL) return; // deleting needs a little room too; retried on the timer
      if (!this.recover(e)) throw e;
    }
  }

  private dropBlocks(rows: Record<string, unknown>[]): void {
    const fts = this.db.prepare('DELETE FROM fts WHERE rowid = ?');
    const block = this.db.prepare('DELETE FROM blocks WHERE id = ?');
    this.db.exec('BEGIN');
    for (const r of rows) {
      const id = Number(r.id);
      if (id <= this.indexedUpTo) fts.run(id);
      block.run(id);
      this.cache.forget(id);
    }
    this.db.exec('COMMIT');
    this.boundWal();
  }

  close(): void {
    try {
      this.write(true);
    } finally {
      this.db.close();
    }
  }
}

/** A file written by another layout of the store. */
class OtherLayout extends Error {
  constructor(version: number) {
    super(`log store layout ${version}, not ${LAYOUT_VERSION}`);
  }
}

function sourceKey(l: { env: string; instanceId: string; service: string; instance: string }): string {
  return `${l.env}\u0000${l.instanceId}\u0000${l.service}\u0000${l.instance}`;
}
