// The renderer's API client over a fake pipe: reconnects reopen streams, one-shot streams are not replayed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiClient } from '../../../main/common/api-client';
import type { Pipe, PipeState } from '../../../renderer/src/api/pipe';

function fakePipe() {
  const sent: { type: string; id: number; stream?: string }[] = [];
  let onMessage: (t: string) => void = () => {};
  let onState: (s: PipeState) => void = () => {};
  const pipe: Pipe = {
    send: (t) => sent.push(JSON.parse(t)),
    onMessage: (cb) => (onMessage = cb),
    onState: (cb) => (onState = cb),
  };
  return { pipe, sent, state: (s: PipeState) => onState(s), deliver: (m: object) => onMessage(JSON.stringify(m)) };
}

const hello = { type: 'hello', protocol: 1, app: 'Fleetdeck', version: 't' };

test('streams are reopened after the pipe reconnects, and after an unexpected new session', () => {
  const f = fakePipe();
  const client = new ApiClient(f.pipe);
  f.state('open');
  f.deliver(hello);
  const got: unknown[] = [];
  client.subscribe('environments.watch', {}, (d) => got.push(d));
  assert.equal(f.sent.filter((m) => m.type === 'subscribe').length, 1);
  f.state('closed');
  f.state('open');
  f.deliver(hello);
  assert.equal(f.sent.filter((m) => m.type === 'subscribe').length, 2, 'reopened on reconnect');
  f.deliver(hello); // the engine started a fresh session on the same pipe
  assert.equal(f.sent.filter((m) => m.type === 'subscribe').length, 3, 'reopened for the new session');
});

test('a one-shot stream is not replayed after a reconnect: it ends, saying the connection dropped', () => {
  const f = fakePipe();
  const client = new ApiClient(f.pipe);
  f.state('open');
  let ended: { code: string } | undefined;
  client.subscribe(
    'samples.start',
    {},
    () => {},
    (e) => (ended = e),
    { once: true },
  );
  f.state('closed');
  f.state('open');
  assert.equal(f.sent.filter((m) => m.type === 'subscribe').length, 1, 'not started twice');
  assert.equal(ended?.code, 'UNREACHABLE');
});

test('calls pending when the pipe drops fail with UNREACHABLE, not hang', async () => {
  const f = fakePipe();
  const client = new ApiClient(f.pipe);
  f.state('open');
  const p = client.call('environments.list', {});
  f.state('closed');
  await assert.rejects(p, (e: { code: string }) => e.code === 'UNREACHABLE');
  await assert.rejects(client.call('environments.list', {}), /Not connected/);
});

test('a refused duplicate subscribe does not end the client stream that owns the id', () => {
  const f = fakePipe();
  const client = new ApiClient(f.pipe);
  f.state('open');
  f.deliver(hello);
  const got: unknown[] = [];
  let ended = false;
  client.subscribe(
    'environments.watch',
    {},
    (d) => got.push(d),
    () => (ended = true),
  );
  const id = f.sent.find((m) => m.type === 'subscribe')!.id;
  // What the engine answers when a subscribe reuses a live id (main/core/api/session.ts).
  f.deliver({ type: 'result', id, ok: false, error: { code: 'CONFLICT', message: `Stream id ${id} is already in use.` } });
  f.deliver({ type: 'event', id, data: ['still here'] });
  assert.equal(ended, false);
  assert.deepEqual(got, [['still here']]);
});
