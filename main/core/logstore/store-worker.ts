/**
 * The worker thread that owns the log database, so that compressing, indexing and searching
 * never hold up the app's event loop. Started by SqliteLogStore; bundled as log-store-worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, Op, ToWorker, WorkerData } from './protocol';
import { LogDatabase } from './store-db';
import { around, histogram, mark, search, stats } from './store-queries';

const port = parentPort;
if (!port) throw new Error('store-worker.ts runs in a worker thread');
const post = (m: FromWorker): void => port.postMessage(m);
const { dir, limits } = workerData as WorkerData;

let db: LogDatabase;
try {
  db = new LogDatabase(dir, limits, (n) => post({ kind: 'done', lines: n }));
} catch (e) {
  post({ kind: 'fatal', error: e instanceof Error ? e.message : String(e) });
  throw e;
}

/** Commits what is due; a full block is written at once, stragglers after BLOCK_MS. */
function write(all: boolean): void {
  const n = db.write(all);
  if (n > 0) post({ kind: 'done', lines: n });
}

let soon: NodeJS.Immediate | undefined;
const writeSoon = (): void => {
  // Coalesces the blocks filled by one burst of messages into one transaction.
  soon ??= setImmediate(() => {
    soon = undefined;
    write(false);
  });
};

/**
 * Indexing (most of a line's cost) waits until appends have paused this long, so a flood is
 * written at the speed of writing alone; past BACKLOG unindexed blocks it keeps pace regardless,
 * so searches never read more than that many blocks whole.
 */
const QUIET_MS = 300;
const BACKLOG = 2048;
/** Blocks indexed per turn of the event loop: appends and calls get their turn in between. */
const INDEX_STEP = 8;
let lastAppend = 0;
let closed = false;
let indexing: NodeJS.Timeout | NodeJS.Immediate | undefined;
function indexSoon(): void {
  if (indexing || closed || db.unindexed <= 0) return;
  const quiet = Date.now() - lastAppend >= QUIET_MS;
  if (!quiet && db.unindexed <= BACKLOG) {
    indexing = setTimeout(() => {
      indexing = undefined;
      indexSoon();
    }, QUIET_MS);
    return;
  }
  indexing = setImmediate(() => {
    indexing = undefined;
    if (db.indexSome(INDEX_STEP) > 0) indexSoon();
  });
}

const tick = setInterval(() => {
  write(false);
  indexSoon();
}, 250);
const ageCheck = setInterval(() => db.prune(), 60_000);

function call(op: Op, args: unknown[]): unknown {
  switch (op) {
    case 'flush':
      return write(true);
    case 'settle':
      write(true);
      while (db.indexSome(256) > 0);
      return undefined;
    case 'search':
      return withRecovery(() => search(db, args[0] as Parameters<typeof search>[1]));
    case 'histogram':
      return withRecovery(() => histogram(db, args[0] as Parameters<typeof histogram>[1]));
    case 'around':
      write(true);
      return withRecovery(() => around(db, Number(args[0]), Number(args[1]), Number(args[2])));
    case 'mark':
      // A back-fill must see what is still gathering into blocks, or it stores those lines twice.
      write(true);
      return withRecovery(() => mark(db, String(args[0]), String(args[1])));
    case 'stats':
      return withRecovery(() => stats(db));
    case 'close':
      closed = true;
      clearInterval(tick);
      clearTimeout(indexing as NodeJS.Timeout);
      clearImmediate(indexing as NodeJS.Immediate);
      clearInterval(ageCheck);
      if (soon) clearImmediate(soon);
      write(true);
      db.close();
      return undefined;
  }
}

/** A read that finds the file damaged replaces it and answers from the new, empty one. */
function withRecovery<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!db.recover(e)) throw e;
    return f();
  }
}

port.on('message', (m: ToWorker) => {
  if (m.kind === 'append') {
    lastAppend = Date.now();
    if (db.addBatch(m.batch)) writeSoon();
    return;
  }
  try {
    post({ kind: 'reply', id: m.id, value: call(m.op, m.args) });
  } catch (e) {
    post({ kind: 'reply', id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
