import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROTOCOL_VERSION } from '../../../../main/common/api';
import { ApiError } from '../../../../main/common/errors';
import type { ServerMessage } from '../../../../main/common/protocol';
import type { ApiImpl, StreamSink } from '../../../../main/core/api/contract';
import { ApiSession, type SessionOptions } from '../../../../main/core/api/session';
import type { Environment } from '../../../../main/common/model';
import { DOCKER_CAPS } from '../../../helpers/capabilities';

const env = (state: Environment['state']): Environment => ({
  id: 'docker:local',
  kind: 'docker',
  name: 'Docker (local)',
  endpoint: 'x',
  state,
  since: 0,
  capabilities: DOCKER_CAPS,
});

function setup(options: SessionOptions = {}) {
  const sinks = new Set<StreamSink<Environment[]>>();
  let stopped = 0;
  // Only what these tests call; the session dispatches by name.
  const impl = {
    methods: {
      'app.info': () => {
        throw new Error('boom\nsecret stack');
      },
      'environments.list': async () => [env('connected')],
      'environments.reconnect': ({ id }: { id: string }) => {
        throw new ApiError('NOT_FOUND', `No environment "${id}".`, 'Pick one from the sidebar.');
      },
    },
    streams: {
      'environments.watch': (_p: unknown, sink: StreamSink<Environment[]>) => {
        sinks.add(sink);
        sink.next([env('connecting')]);
        return () => {
          stopped++;
          sinks.delete(sink);
        };
      },
    },
  } as unknown as ApiImpl;
  const out: ServerMessage[] = [];
  const s = new ApiSession(impl, (t) => out.push(JSON.parse(t) as ServerMessage), { name: 'Fleetdeck', version: '0.0.0' }, options);
  const tick = () => new Promise((r) => setImmediate(r));
  return { s, out, sinks, stopped: () => stopped, tick };
}

test('the session greets with the protocol version first', () => {
  const { out } = setup();
  assert.deepEqual(out[0], { type: 'hello', protocol: PROTOCOL_VERSION, app: 'Fleetdeck', version: '0.0.0' });
});

test('a call answers with its result under the same id', async () => {
  const { s, out, tick } = setup();
  s.receive('{"type":"call","id":11,"method":"environments.list"}');
  await tick();
  assert.deepEqual(out.at(-1), { type: 'result', id: 11, ok: true, value: [env('connected')] });
});

test('an ApiError keeps its code and hint; other errors become INTERNAL with one line', async () => {
  const { s, out, tick } = setup();
  s.receive('{"type":"call","id":1,"method":"environments.reconnect","params":{"id":"kube:gone"}}');
  s.receive('{"type":"call","id":2,"method":"app.info"}');
  await tick();
  assert.deepEqual(out[1], {
    type: 'result',
    id: 1,
    ok: false,
    error: { code: 'NOT_FOUND', message: 'No environment "kube:gone".', hint: 'Pick one from the sidebar.' },
  });
  const r = out[2];
  assert.ok(r?.type === 'result' && !r.ok);
  assert.equal(r.error.code, 'INTERNAL');
  assert.doesNotMatch(r.error.message, /secret stack/);
});

test('a stream sends events until unsubscribed', () => {
  const { s, out, sinks, stopped } = setup();
  s.receive('{"type":"subscribe","id":5,"stream":"environments.watch"}');
  assert.deepEqual(out.at(-1), { type: 'event', id: 5, data: [env('connecting')] });
  for (const k of sinks) k.next([env('connected')]);
  assert.deepEqual(out.at(-1), { type: 'event', id: 5, data: [env('connected')] });
  s.receive('{"type":"unsubscribe","id":5}');
  assert.equal(stopped(), 1);
  assert.equal(s.openStreams, 0);
});

test('closing the session stops every stream it opened', () => {
  const { s, stopped } = setup();
  s.receive('{"type":"subscribe","id":1,"stream":"environments.watch"}');
  s.receive('{"type":"subscribe","id":2,"stream":"environments.watch"}');
  assert.equal(s.openStreams, 2);
  s.close();
  assert.equal(stopped(), 2);
});

test('reusing a live stream id is refused without ending the live stream, which keeps sending', () => {
  const { s, out, sinks } = setup();
  s.receive('{"type":"subscribe","id":1,"stream":"environments.watch"}');
  s.receive('{"type":"subscribe","id":1,"stream":"environments.watch"}');
  const r = out.at(-1);
  assert.ok(r?.type === 'result' && !r.ok && r.id === 1 && r.error.code === 'CONFLICT', JSON.stringify(r));
  assert.equal(out.filter((m) => m.type === 'end').length, 0, 'no end for the live stream');
  assert.equal(s.openStreams, 1);
  assert.equal(sinks.size, 1, 'the second subscribe started nothing');
  for (const k of sinks) k.next([env('connected')]);
  assert.deepEqual(out.at(-1), { type: 'event', id: 1, data: [env('connected')] });
});

test('a client may hold a bounded number of streams; past it a clear LIMIT error, and nothing started', () => {
  const { s, out, sinks } = setup({ limits: { maxStreams: 3 } });
  for (let id = 1; id <= 4; id++) s.receive(`{"type":"subscribe","id":${id},"stream":"environments.watch"}`);
  assert.equal(s.openStreams, 3);
  assert.equal(sinks.size, 3);
  const r = out.at(-1);
  assert.ok(r?.type === 'end' && r.id === 4 && r.error?.code === 'LIMIT', JSON.stringify(r));
  assert.match(r.error!.message, /3 streams open/);
  assert.match(r.error!.hint ?? '', /Close views/);
  s.receive('{"type":"unsubscribe","id":1}');
  s.receive('{"type":"subscribe","id":5,"stream":"environments.watch"}');
  assert.equal(s.openStreams, 3, 'a closed stream frees its place');
});

test('while the client is behind, a snapshot stream keeps only its newest event and sends it on catching up', async () => {
  let queued = 0;
  const { s, out, sinks } = setup({ backlog: () => queued, limits: { behindBytes: 100, behindMs: 60_000 } });
  s.receive('{"type":"subscribe","id":7,"stream":"environments.watch"}');
  const before = out.length;
  queued = 1000;
  for (const k of sinks) for (let i = 0; i < 500; i++) k.next([{ ...env('connected'), since: i }]);
  assert.equal(out.length, before, 'nothing sent while behind');
  queued = 0;
  await new Promise((r) => setTimeout(r, 250));
  assert.equal(out.length, before + 1, 'one event on catching up');
  assert.deepEqual(out.at(-1), { type: 'event', id: 7, data: [{ ...env('connected'), since: 499 }] });
});

test('a client that stays behind is dropped with a reason, and its streams stop', async () => {
  const dropped: string[] = [];
  const { s, sinks, stopped } = setup({ backlog: () => 5000, drop: (r) => dropped.push(r), limits: { behindBytes: 100, behindMs: 300 } });
  s.receive('{"type":"subscribe","id":1,"stream":"environments.watch"}');
  for (const k of sinks) k.next([env('connected')]);
  await new Promise((r) => setTimeout(r, 700));
  assert.equal(dropped.length, 1);
  assert.match(dropped[0]!, /read nothing for 0 s|read nothing/);
  assert.equal(stopped(), 1, 'its stream was stopped');
  assert.equal(s.openStreams, 0);
});

test('a client with too much queued is dropped at once', () => {
  const dropped: string[] = [];
  const { s } = setup({ backlog: () => 64 << 20, drop: (r) => dropped.push(r) });
  s.receive('{"type":"subscribe","id":1,"stream":"environments.watch"}');
  assert.equal(dropped.length, 1);
  assert.match(dropped[0]!, /64 MiB/);
});

test('malformed input is answered, not thrown', () => {
  const { s, out } = setup();
  s.receive('{"type":"call","id":4,"method":"nope"}');
  const r = out.at(-1);
  assert.ok(r?.type === 'result' && !r.ok && r.id === 4 && r.error.code === 'UNKNOWN_METHOD');
});
