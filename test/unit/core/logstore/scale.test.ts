// What the store costs at scale: bytes on disk per line, and search times over a million lines.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { matchesLine, parseLogQuery } from '../../../../main/common/log-query';
import { SqliteLogStore } from '../../../../main/core/logstore/sqlite-store';
import { LogDatabase } from '../../../../main/core/logstore/store-db';
import { search, tuning } from '../../../../main/core/logstore/store-queries';
import type { LogSearch } from '../../../../main/core/logstore/types';
import { jsonLine, requestId, T0 } from './lines-fixture';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'fd-logstore-scale-'));

// The target was 150 bytes; with request ids as random as real uuids it is ~176: the FTS index
// alone costs ~74 (the 5 unique tokens of each uuid), the deflated texts ~49, lines and their
// time index ~41, FTS5's per-line size row ~12. This bound catches a regression, not the target.
test('a 250-byte JSON line with a random request id costs at most 150 bytes on disk', { timeout: 120_000 }, async () => {
  const dir = tmp();
  const store = new SqliteLogStore({ dir });
  const n = 100_000;
  const started = performance.now();
  for (let k = 0; k < n; k += 10_000) {
    store.append(Array.from({ length: 10_000 }, (_, i) => jsonLine(k + i)));
    await store.flush();
  }
  // Once indexed: the index is most of a line's bytes.
  await store.settle();
  const rate = Math.round(n / ((performance.now() - started) / 1000));
  assert.equal((await store.stats()).lines, n);
  await store.close();
  const wal = join(dir, 'logs.db-wal');
  const bytes = statSync(join(dir, 'logs.db')).size + (existsSync(wal) ? statSync(wal).size : 0);
  console.log(
    `bytes per line: ${(bytes / n).toFixed(1)} (${bytes} for ${n} lines of ~${jsonLine(7).text.length} bytes); ingest ${rate} lines/s through the worker`,
  );
  rmSync(dir, { recursive: true, force: true });
  assert.ok(bytes / n <= 150, `${(bytes / n).toFixed(1)} bytes per line`);
});

// How fast is bench:logs' business (figures in docs/performance.md); this checks that searches over a store
// of many blocks and time windows find exactly what they should, and prints how long they took.
test('searches over 200,000 lines find exactly the matching lines: word, phrase, level in a range, requestId, field in a range', { timeout: 300_000 }, () => {
  const n = 200_000;
  const dir = tmp();
  const db = new LogDatabase(dir);
  const started = performance.now();
  for (let k = 0; k < n; k += 5000) {
    db.add(Array.from({ length: 5000 }, (_, i) => jsonLine(k + i)));
    db.write(false);
  }
  db.write(true);
  console.log(`ingest ${Math.round(n / ((performance.now() - started) / 1000))} lines/s (in the worker's thread, without messaging)`);
  // One that starts with a digit: a value that is not a JSON number narrows the index all the same.
  let rid = n / 3;
  while (!/^\d/.test(requestId(rid))) rid++;
  const cases: [string, LogSearch, number][] = [
    ['word', { query: parseLogQuery('refused') }, 500],
    ['phrase', { query: parseLogQuery('"connection refused"'), order: 'oldest' }, 500],
    ['level and time range', { query: parseLogQuery('level:error'), from: T0 + n * 5, to: T0 + n * 6 }, 500],
    ['requestId', { query: parseLogQuery(`requestId:${requestId(rid)}`) }, 1],
    ['status in a time range', { query: parseLogQuery('status:404 POST'), from: T0 + n * 2, to: T0 + n * 4 }, 500],
  ];
  // The oracle: every line checked one by one, in the order asked for (lines are 10 ms apart: one order only).
  const expected = (q: LogSearch): string[] => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const l = jsonLine(i);
      if ((q.from === undefined || l.t >= q.from) && (q.to === undefined || l.t <= q.to) && matchesLine(q.query, l)) out.push(l.text);
    }
    return q.order === 'oldest' ? out : out.reverse();
  };
  // Every way of reading candidates: blocks not indexed yet (read whole), half of them indexed,
  // and all indexed, with blocks fetched by id or walked window by window.
  const blocks = db.unindexed;
  const variants: [string, number, () => void][] = [
    ['unindexed', tuning.fewBlocks, () => {}],
    ['half indexed', 4, () => db.indexSome(Math.floor(blocks / 2))],
    ['indexed', tuning.fewBlocks, () => db.indexAll()],
    ['indexed', 4, () => {}],
  ];
  for (const [state, fewBlocks, before] of variants) {
    before();
    const was = tuning.fewBlocks;
    tuning.fewBlocks = fewBlocks;
    const variant = `${state}, fewBlocks ${fewBlocks}`;
    try {
      for (const [name, s, most] of cases) {
        const all = expected(s);
        const times: number[] = [];
        for (let k = 0; k < 3; k++) {
          const r = search(db, s);
          times.push(r.tookMs);
          assert.deepEqual(
            r.hits.map((h) => h.text),
            all.slice(0, most),
            `${name} (${variant})`,
          );
          assert.equal(r.more, all.length > most, `${name}: more`);
        }
        console.log(`search ${name} (${variant}): ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
        // Page by page to the end: every match once, in order.
        const paged: string[] = [];
        for (let after: number | undefined, page = 0; page < 20; page++) {
          const r = search(db, { ...s, limit: 400, ...(after !== undefined ? { after } : {}) });
          paged.push(...r.hits.map((h) => h.text));
          if (!r.more) break;
          after = r.hits.at(-1)!.id;
        }
        if (all.length <= 20 * 400) assert.deepEqual(paged, all, `${name}: paged (${variant})`);
      }
    } finally {
      tuning.fewBlocks = was;
    }
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
});
