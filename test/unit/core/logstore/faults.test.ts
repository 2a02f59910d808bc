// What the store does when things go wrong: a full disk, a worker that dies, lines that come too fast.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { parseLogQuery } from '../../../../main/common/log-query';
import { SqliteLogStore } from '../../../../main/core/logstore/sqlite-store';
import { DISK_FULL, LogDatabase } from '../../../../main/core/logstore/store-db';
import { search, stats } from '../../../../main/core/logstore/store-queries';
import { jsonLine } from './lines-fixture';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'fd-logstore-faults-'));

test('a full disk stops storing with a problem saying so, without throwing, and storing resumes once there is room', () => {
  let dropped = 0;
  const db = new LogDatabase(tmp(), {}, (n) => (dropped += n));
  db.add(Array.from({ length: 300 }, (_, i) => jsonLine(i)));
  db.write(true);
  // SQLite answers SQLITE_FULL past max_page_count, as it does when the disk is full.
  const pages = Number((db.db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count);
  db.db.exec(`PRAGMA max_page_count = ${pages}`);
  db.add(Array.from({ length: 3000 }, (_, i) => jsonLine(1000 + i)));
  assert.doesNotThrow(() => db.write(true));
  assert.equal(stats(db).problem, DISK_FULL);
  assert.equal(dropped, 3000);
  db.add([jsonLine(5000)]);
  assert.equal(dropped, 3001, 'while the disk is full, lines are dropped without trying');

  db.db.exec('PRAGMA max_page_count = 1000000');
  db.add([jsonLine(6000)], Date.now() + 60_000);
  db.write(true);
  assert.equal(stats(db).problem, undefined);
  assert.equal(stats(db).lines, 301);
  const hits = search(db, { query: parseLogQuery(''), limit: 1000 }).hits;
  assert.equal(hits.length, 301);
  assert.equal(hits[0]?.t, jsonLine(6000).t);
  db.close();
});

test('a worker that dies is started again, says so, and tells its callers that lines it had taken were lost', async () => {
  const store = new SqliteLogStore({ dir: tmp() });
  let lost = 0;
  store.onLost(() => lost++);
  try {
    store.append([jsonLine(1)]);
    await store.flush();
    store.append(Array.from({ length: 5000 }, (_, i) => jsonLine(10 + i)));
    // Let the lines reach the worker, then take it down before they are acknowledged.
    await new Promise((r) => setImmediate(r));
    const worker = (store as unknown as { worker: Worker }).worker;
    await worker.terminate();
    let st = undefined;
    for (let i = 0; i < 100 && !st; i++) {
      await new Promise((r) => setTimeout(r, 50));
      st = await store.stats().catch(() => undefined);
    }
    assert.ok(st, 'the store answers again');
    assert.match(st.problem ?? '', /restarted; the \d+ lines it was writing are read again/);
    assert.equal(lost, 1, 'the collector is told, to follow again from what was stored');
    store.append([jsonLine(9000)]);
    await store.flush();
    const hits = (await store.search({ query: parseLogQuery('') })).hits;
    assert.equal(hits[0]?.t, jsonLine(9000).t, 'lines appended after the restart are stored');
    assert.ok(
      hits.some((h) => h.t === jsonLine(1).t),
      'lines stored before it are still there',
    );
  } finally {
    await store.close();
  }
});

test('lines that come faster than they are stored are taken only while the queue has room, so memory stays bounded and nothing is lost', async () => {
  const store = new SqliteLogStore({ dir: tmp() });
  try {
    const lines = Array.from({ length: 300_000 }, (_, i) => jsonLine(i));
    const first = store.append(lines);
    assert.ok(first > 0 && first < lines.length, `took ${first} of ${lines.length} at once`);
    assert.equal(store.append([jsonLine(1)]), 0, 'a full queue takes nothing more');
    // As a follower does: wait for room, hand over the rest.
    let taken = first;
    for (let rounds = 0; taken < lines.length && rounds < 100; rounds++) {
      await store.room();
      taken += store.append(lines.slice(taken));
    }
    assert.equal(taken, lines.length);
    await store.flush();
    const st = await store.stats();
    assert.equal(st.lines, lines.length, 'every line stored');
    assert.equal(st.problem, undefined);
    assert.equal(store.droppedLines, 0);
  } finally {
    await store.close();
  }
});
