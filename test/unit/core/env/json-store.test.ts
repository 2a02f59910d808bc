import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readJson, writeJsonAtomic } from '../../../../main/core/env/json-store';

test('state files are written whole, owner-only, with their folder made; unreadable ones read as nothing', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-json-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'deeper', 'state.json');
  writeJsonAtomic(file, { a: 1 });
  writeJsonAtomic(file, { a: 2 }, { pretty: true });
  assert.deepEqual(readJson(file), { a: 2 });
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'deeper')).mode & 0o777, 0o700);
  assert.deepEqual(readdirSync(join(dir, 'deeper')), ['state.json'], 'no temporary file is left');
  assert.equal(readJson(join(dir, 'none.json')), undefined);
  writeFileSync(join(dir, 'bad.json'), '{"half');
  assert.equal(readJson(join(dir, 'bad.json')), undefined);
});
