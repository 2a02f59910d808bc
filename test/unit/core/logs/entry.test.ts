import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toEntry } from '../../../../main/core/logs/entry';

test('the engine timestamp becomes the entry time and leaves the text', () => {
  const e = toEntry('2026-11-27T10:00:01.123456789Z hello', 'web-1', 'stdout');
  assert.equal(e.t, Date.parse('2026-11-27T10:00:01.123Z'));
  assert.equal(e.text, 'hello');
  assert.equal(e.instance, 'web-1');
});

test('levels come from JSON (pino numbers and words) or a leading level word', () => {
  assert.equal(toEntry('{"level":50,"msg":"boom"}', 'a', 'stdout').level, 'error');
  assert.equal(toEntry('{"level":"warn","msg":"slow"}', 'a', 'stdout').level, 'warn');
  assert.equal(toEntry('{"severity":"INFO"}', 'a', 'stdout').level, 'info');
  assert.equal(toEntry('[ERROR] cannot connect', 'a', 'stdout').level, 'error');
  assert.equal(toEntry('WARNING: low disk', 'a', 'stdout').level, 'warn');
  assert.equal(toEntry('listening on 5000', 'a', 'stderr').level, undefined, 'stderr alone is not an error');
});

test('escape sequences are filtered in the text, and ignored for the level', () => {
  const e = toEntry('\x1b[31mERROR\x1b[0m x\x1b]52;c;AAAA\x07', 'a', 'stdout');
  assert.equal(e.level, 'error');
  assert.equal(e.text, '\x1b[31mERROR\x1b[0m x');
});
