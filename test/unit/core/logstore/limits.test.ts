// The store's limits: the file stays under maxBytes however many lines come, keeping the newest.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseLogQuery } from '../../../../main/common/log-query';
import { SqliteLogStore } from '../../../../main/core/logstore/sqlite-store';
import { jsonLine, requestId, T0 } from './lines-fixture';

test('with maxBytes 2 MB the file stays under it while 200,000 lines come in, and the newest are kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-logstore-'));
  const store = new SqliteLogStore({ dir, limits: { maxBytes: 2 * 1024 ** 2 } });
  try {
    let biggest = 0;
    for (let k = 0; k < 20; k++) {
      store.append(Array.from({ length: 10_000 }, (_, i) => jsonLine(k * 10_000 + i)));
      await store.flush();
      const st = await store.stats();
      biggest = Math.max(biggest, st.bytes);
    }
    assert.ok(biggest <= 2 * 1024 ** 2, `database and WAL reached ${biggest} bytes`);
    const st = await store.stats();
    assert.equal(st.newest, T0 + 199_999 * 10);
    assert.ok(st.lines > 5000 && st.lines < 200_000, `${st.lines} lines kept`);
    const newest = await store.search({ query: parseLogQuery(''), limit: 3 });
    assert.deepEqual(
      newest.hits.map((h) => h.t),
      [T0 + 199_999 * 10, T0 + 199_998 * 10, T0 + 199_997 * 10],
    );
    assert.equal((await store.search({ query: parseLogQuery(`requestId:${requestId(0)}`) })).hits.length, 0, 'the oldest are gone');
    assert.equal(existsSync(join(dir, 'logs.db')), true);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
