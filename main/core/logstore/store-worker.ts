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

const tick = setInterval(() => write(false), 250);
const ageCheck = setInterval(() => db.prune(), 60_000);

function call(op: Op, args: unknown[]): unknown {
  switch (op) {
    case 'flush':
      return write(true);
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
      clearInterval(tick);
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
    if (db.add(m.lines)) writeSoon();
    return;
  }
  try {
    post({ kind: 'reply', id: m.id, value: call(m.op, m.args) });
  } catch (e) {
    post({ kind: 'reply', id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
