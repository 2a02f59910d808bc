// The log store as the app uses it: lines appended, then found again by what a user types.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { parseLogQuery } from '../../../../main/common/log-query';
import { SqliteLogStore } from '../../../../main/core/logstore/sqlite-store';
import type { LogSearch, StoredLine } from '../../../../main/core/logstore/types';
import { jsonLine, requestId, T0 } from './lines-fixture';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'fd-logstore-'));

function line(t: number, text: string, over: Partial<StoredLine> = {}): StoredLine {
  return { env: 'local', service: 'orders', instance: 'orders-1', instanceId: 'c-orders-1', stream: 'stdout', t, text, ...over };
}

async function texts(store: SqliteLogStore, query: string, more: Omit<LogSearch, 'query'> = {}): Promise<string[]> {
  return (await store.search({ query: parseLogQuery(query), ...more })).hits.map((h) => h.text);
}

test('stored lines are found by word, phrase, field, level, time and scope, newest or oldest first, page by page', async () => {
  const store = new SqliteLogStore({ dir: tmp() });
  try {
    store.append([
      line(T0, 'GET /orders/7 completed', { level: 'info' }),
      line(T0 + 1, 'Connection refused by db:5432', { level: 'error', stream: 'stderr' }),
      line(T0 + 2, 'refused to start: connection pool empty', { level: 'warn' }),
      line(T0 + 3, '{"level":"info","requestId":"5b0c7e5e-3a51","status":500,"msg":"done"}', { level: 'info' }),
      line(T0 + 4, 'payment timeout', { service: 'payments', instance: 'payments-1', instanceId: 'c-pay-1', level: 'warn' }),
      line(T0 + 5, 'staging timeout', { env: 'staging', level: 'error' }),
    ]);
    await store.flush();

    assert.deepEqual(await texts(store, 'refused'), ['refused to start: connection pool empty', 'Connection refused by db:5432']);
    assert.deepEqual(await texts(store, '"connection refused"'), ['Connection refused by db:5432'], 'a phrase is its words in order');
    assert.deepEqual(await texts(store, 'requestId:5b0c7e5e-3a51'), ['{"level":"info","requestId":"5b0c7e5e-3a51","status":500,"msg":"done"}']);
    assert.deepEqual(await texts(store, 'status:500 -msg:other'), ['{"level":"info","requestId":"5b0c7e5e-3a51","status":500,"msg":"done"}']);
    assert.deepEqual(await texts(store, 'level:error', { order: 'oldest' }), ['Connection refused by db:5432', 'staging timeout']);
    assert.deepEqual(await texts(store, 'level:warn', { envs: ['local'] }), [
      'payment timeout',
      'refused to start: connection pool empty',
      'Connection refused by db:5432',
    ]);
    assert.deepEqual(await texts(store, 'timeout', { services: ['payments'] }), ['payment timeout']);
    assert.deepEqual(await texts(store, 'timeout', { envs: ['nowhere'] }), []);
    assert.deepEqual(await texts(store, '', { from: T0 + 1, to: T0 + 2, order: 'oldest' }), [
      'Connection refused by db:5432',
      'refused to start: connection pool empty',
    ]);
    assert.deepEqual(await texts(store, '/db:\\d+/'), ['Connection refused by db:5432'], 'a regex needs no word index');
    assert.deepEqual(await texts(store, 'stream:stderr'), ['Connection refused by db:5432']);

    const hit = (await store.search({ query: parseLogQuery('payment') })).hits[0];
    assert.deepEqual(
      { ...hit, id: 0 },
      {
        id: 0,
        env: 'local',
        service: 'payments',
        instance: 'payments-1',
        instanceId: 'c-pay-1',
        stream: 'stdout',
        t: T0 + 4,
        level: 'warn',
        text: 'payment timeout',
      },
    );

    for (const order of ['newest', 'oldest'] as const) {
      const seen: string[] = [];
      let after: number | undefined;
      for (let page = 0; page < 10; page++) {
        const r = await store.search({ query: parseLogQuery(''), limit: 4, order, after });
        seen.push(...r.hits.map((h) => h.text));
        after = r.hits.at(-1)?.id;
        if (!r.more) break;
      }
      const all = await texts(store, '', { order, limit: 100 });
      assert.equal(all.length, 6);
      assert.deepEqual(seen, all, `pages of 4 give every line once, ${order} first`);
    }
  } finally {
    await store.close();
  }
});

test('lines at the same ms keep their arrival order, and many lines page across blocks and time windows', async () => {
  const store = new SqliteLogStore({ dir: tmp() });
  try {
    const lines = Array.from({ length: 20_000 }, (_, i) => jsonLine(i));
    lines.push(line(T0 + 5000, 'same ms one'), line(T0 + 5000, 'same ms two'));
    store.append(lines);
    await store.flush();
    assert.deepEqual(await texts(store, 'same ms', { order: 'oldest' }), ['same ms one', 'same ms two']);
    assert.deepEqual(await texts(store, 'same ms'), ['same ms two', 'same ms one']);

    // "completed" is in most lines: walked window by window. Every hit comes once, in order.
    const ts: number[] = [];
    let after: number | undefined;
    let more = true;
    while (more) {
      const r = await store.search({ query: parseLogQuery('completed'), order: 'oldest', limit: 5000, after, to: T0 + 100_000 });
      ts.push(...r.hits.map((h) => h.t));
      after = r.hits.at(-1)?.id;
      more = r.more;
    }
    const expected = lines.filter((l) => l.t <= T0 + 100_000 && l.text.includes('request completed')).length;
    assert.equal(ts.length, expected);
    assert.ok(ts.every((t, i) => i === 0 || ts[i - 1]! <= t));
    const one = await store.search({ query: parseLogQuery(`requestId:${requestId(12_345)}`) });
    assert.deepEqual(
      one.hits.map((h) => h.t),
      [T0 + 123_450],
    );
  } finally {
    await store.close();
  }
});

test('a histogram counts the matching lines per bucket', async () => {
  const store = new SqliteLogStore({ dir: tmp() });
  try {
    store.append([
      line(T0, 'a', { level: 'error' }),
      line(T0 + 999, 'b timeout', { level: 'info' }),
      line(T0 + 1000, 'c timeout', { level: 'error' }),
      line(T0 + 3500, 'd timeout', { level: 'warn' }),
      line(T0 + 4000, 'e timeout', { level: 'error' }),
    ]);
    await store.flush();
    const h = await store.histogram({ query: parseLogQuery(''), from: T0, to: T0 + 4000, buckets: 4 });
    assert.deepEqual(h, { from: T0, step: 1000, counts: [2, 1, 0, 1] }, 'to is exclusive');
    assert.deepEqual((await store.histogram({ query: parseLogQuery('level:warn'), from: T0, to: T0 + 4000, buckets: 4 })).counts, [1, 1, 0, 1]);
    assert.deepEqual((await store.histogram({ query: parseLogQuery('timeout -level:error'), from: T0, to: T0 + 4001, buckets: 2 })).counts, [1, 1]);
  } finally {
    await store.close();
  }
});

test('around gives the lines of the hit’s instance on either side; mark gives its newest ms and the texts at it', async () => {
  const store = new SqliteLogStore({ dir: tmp() });
  try {
    for (let i = 0; i < 600; i++) {
      store.append([line(T0 + i, `mine ${i}`), line(T0 + i, `other ${i}`, { instance: 'orders-2', instanceId: 'c-orders-2' })]);
    }
    store.append([line(T0 + 599, 'mine again at 599')]);
    await store.flush();
    const hit = (await store.search({ query: parseLogQuery('"mine 300"') })).hits[0]!;
    const near = await store.around(hit.id, 3, 2);
    assert.deepEqual(
      near.map((h) => h.text),
      ['mine 297', 'mine 298', 'mine 299', 'mine 300', 'mine 301', 'mine 302'],
    );
    const edge = await store.around((await store.search({ query: parseLogQuery('"mine 1"') })).hits[0]!.id, 5, 0);
    assert.deepEqual(
      edge.map((h) => h.text),
      ['mine 0', 'mine 1'],
    );

    assert.deepEqual(await store.mark('local', 'c-orders-1'), { t: T0 + 599, atT: ['mine 599', 'mine again at 599'] });
    assert.equal(await store.mark('local', 'nobody'), undefined);
    assert.equal(await store.mark('staging', 'c-orders-1'), undefined);
    // Not yet written to a block (no flush): a back-fill must still see it.
    store.append([line(T0 + 700, 'just now')]);
    assert.deepEqual(await store.mark('local', 'c-orders-1'), { t: T0 + 700, atT: ['just now'] });
  } finally {
    await store.close();
  }
});

test('lines are there after the store is closed and opened again; odd text is kept as it was', async () => {
  const dir = tmp();
  const odd = 'bad \ud800 surrogate \u0000 nul \u001b[31mred\u001b[0m ünïcødé 日本語';
  const first = new SqliteLogStore({ dir });
  first.append([line(T0, 'before restart'), line(T0 + 1, odd)]);
  await first.close();
  const again = new SqliteLogStore({ dir });
  try {
    again.append([line(T0 + 2, 'after restart')]);
    await again.flush();
    assert.deepEqual(await texts(again, '', { order: 'oldest' }), ['before restart', odd.replace('\ud800', '\ufffd'), 'after restart']);
    assert.deepEqual(await texts(again, '日本語'), [odd.replace('\ud800', '\ufffd')]);
    const st = await again.stats();
    assert.equal(st.lines, 3);
    assert.equal(st.oldest, T0);
    assert.equal(st.newest, T0 + 2);
    assert.ok(st.bytes > 0);
    assert.equal(st.problem, undefined);
  } finally {
    await again.close();
  }
});

test('a damaged database is moved aside and a new one started, saying so', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'logs.db'), Buffer.alloc(8192, 'garbage!'));
  const store = new SqliteLogStore({ dir });
  try {
    store.append([line(T0, 'stored anew')]);
    await store.flush();
    assert.deepEqual(await texts(store, 'stored'), ['stored anew']);
    const aside = readdirSync(dir).filter((f) => f.startsWith('logs.db.corrupt-'));
    assert.equal(aside.length, 1);
    assert.equal(statSync(join(dir, aside[0]!)).size, 8192, 'the damaged file is kept as it was');
    assert.match((await store.stats()).problem ?? '', /damaged.*moved aside/);
  } finally {
    await store.close();
  }
});

test('a store written by another layout is moved aside untouched and a new one started, saying so', async () => {
  const dir = tmp();
  const old = new DatabaseSync(join(dir, 'logs.db'));
  old.exec('CREATE TABLE lines (id INTEGER PRIMARY KEY, t INTEGER NOT NULL); INSERT INTO lines (t) VALUES (1)');
  old.close();
  const size = statSync(join(dir, 'logs.db')).size;
  const store = new SqliteLogStore({ dir });
  try {
    store.append([line(T0, 'stored anew')]);
    await store.flush();
    assert.deepEqual(await texts(store, 'stored'), ['stored anew']);
    const aside = readdirSync(dir).filter((f) => f.startsWith('logs.db.other-layout-'));
    assert.equal(aside.length, 1);
    assert.equal(statSync(join(dir, aside[0]!)).size, size, 'the old file is kept as it was');
    assert.match((await store.stats()).problem ?? '', /another version of Fleetdeck.*moved aside/);
  } finally {
    await store.close();
  }
});

test('lines older than maxAgeMs are dropped', async () => {
  const store = new SqliteLogStore({ dir: tmp(), limits: { maxAgeMs: 3600_000 } });
  try {
    const now = Date.now();
    store.append([line(now - 7200_000, 'two hours ago'), line(now - 1000, 'a second ago', { instanceId: 'c2' })]);
    await store.flush();
    store.append([line(now, 'now')]);
    await store.flush();
    assert.deepEqual(await texts(store, ''), ['now', 'a second ago']);
    assert.equal((await store.stats()).lines, 2);
  } finally {
    await store.close();
  }
});
