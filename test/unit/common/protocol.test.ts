import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_CLIENT_MESSAGE_BYTES, parseClientMessage } from '../../../main/common/protocol';

test('a well-formed call is accepted with its validated params', () => {
  const r = parseClientMessage(JSON.stringify({ type: 'call', id: 7, method: 'environments.reconnect', params: { id: 'docker:local' } }));
  assert.deepEqual(r, { ok: true, message: { type: 'call', id: 7, method: 'environments.reconnect', params: { id: 'docker:local' } } });
});

test('params may be omitted for methods that take none', () => {
  const r = parseClientMessage(JSON.stringify({ type: 'call', id: 1, method: 'environments.list' }));
  assert.equal(r.ok, true);
});

test('an unknown method is refused with its id and UNKNOWN_METHOD', () => {
  const r = parseClientMessage(JSON.stringify({ type: 'call', id: 3, method: 'containers.destroyAll', params: {} }));
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.id, 3);
  assert.equal(r.error.code, 'UNKNOWN_METHOD');
  assert.match(r.error.message, /containers\.destroyAll/);
});

test('invalid params are refused with a message naming the field', () => {
  const r = parseClientMessage(JSON.stringify({ type: 'call', id: 4, method: 'environments.reconnect', params: { id: 'not an id' } }));
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.error.code, 'INVALID_PARAMS');
  assert.match(r.error.message, /id:/);
});

test('extra params are refused rather than ignored', () => {
  const r = parseClientMessage(JSON.stringify({ type: 'call', id: 5, method: 'environments.list', params: { all: true } }));
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'INVALID_PARAMS');
});

test('garbage, bad ids and oversized messages are BAD_MESSAGE', () => {
  for (const text of [
    'not json',
    '[]',
    '{"type":"call","id":-1,"method":"app.info"}',
    '{"type":"call","id":1.5,"method":"app.info"}',
    '{"type":"teleport","id":1}',
  ]) {
    const r = parseClientMessage(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.equal(r.error.code, 'BAD_MESSAGE', text);
  }
  const big = parseClientMessage(JSON.stringify({ type: 'call', id: 1, method: 'app.info', params: { x: 'a'.repeat(MAX_CLIENT_MESSAGE_BYTES) } }));
  assert.equal(big.ok, false);
  if (!big.ok) assert.match(big.error.message, /limit/);
});

test('subscribe and unsubscribe are parsed; unknown streams refused', () => {
  assert.deepEqual(parseClientMessage('{"type":"subscribe","id":9,"stream":"environments.watch"}'), {
    ok: true,
    message: { type: 'subscribe', id: 9, stream: 'environments.watch', params: {} },
  });
  assert.deepEqual(parseClientMessage('{"type":"unsubscribe","id":9}'), { ok: true, message: { type: 'unsubscribe', id: 9 } });
  const r = parseClientMessage('{"type":"subscribe","id":2,"stream":"nope"}');
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'UNKNOWN_METHOD');
});
