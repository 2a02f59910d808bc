import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatEntry, instanceColours, prettyJson } from '../../../main/common/log-format';

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

test('a JSON line reads as its message, then its other fields', () => {
  const line = '{"level":"info","time":"2026-11-27T10:00:00Z","service":"user-service","requestId":"r1","status":200,"msg":"request completed"}';
  assert.equal(plain(prettyJson(line)!), 'request completed requestId=r1 status=200');
  assert.equal(prettyJson('not json'), undefined);
  assert.equal(prettyJson('{broken'), undefined);
});

test('merged lines carry the instance, each instance keeps its colour, and the level is a word', () => {
  const colour = instanceColours();
  const a = formatEntry({ t: 0, instance: 'web-1', stream: 'stdout', level: 'error', text: 'boom' }, colour, true);
  const b = formatEntry({ t: 0, instance: 'web-2', stream: 'stdout', text: 'ok' }, colour, true);
  const a2 = formatEntry({ t: 0, instance: 'web-1', stream: 'stdout', text: 'again' }, colour, true);
  assert.match(plain(a), /web-1 ERR boom\r\n$/);
  assert.equal(a.slice(a.indexOf('web-1') - 5, a.indexOf('web-1')), a2.slice(a2.indexOf('web-1') - 5, a2.indexOf('web-1')), 'same colour for the same instance');
  assert.notEqual(a.slice(a.indexOf('web-1') - 5, a.indexOf('web-1')), b.slice(b.indexOf('web-2') - 5, b.indexOf('web-2')));
  assert.doesNotMatch(plain(formatEntry({ t: 0, instance: 'web-1', stream: 'stdout', text: 'x' }, colour, false)), /web-1/, 'one instance: no prefix');
});
