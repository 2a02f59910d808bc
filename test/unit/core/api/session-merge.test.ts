import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServicesEvent } from '../../../../main/common/api';
import type { Service } from '../../../../main/common/model';
import type { ServerMessage } from '../../../../main/common/protocol';
import { applyServicesEvent } from '../../../../main/common/services-feed';
import type { ApiImpl, StreamSink } from '../../../../main/core/api/contract';
import { ApiSession } from '../../../../main/core/api/session';

const svc = (name: string, running: number): Service => ({
  id: `docker:local/p/${name}`,
  envId: 'docker:local',
  name,
  project: 'p',
  group: 'compose',
  image: 'img',
  instances: [],
  desired: running,
  running,
  healthy: running,
  unhealthy: 0,
  createdAt: 1,
  scalable: true,
});

function setup(limits: { behindBytes: number; behindMs: number }) {
  let queued = 0;
  let sink: StreamSink<ServicesEvent> | undefined;
  const impl = {
    methods: {},
    streams: {
      'services.watch': (_p: unknown, s: StreamSink<ServicesEvent>) => {
        sink = s;
        s.next({ kind: 'snapshot', services: [svc('a', 1), svc('b', 1)] });
        return () => {};
      },
    },
  } as unknown as ApiImpl;
  const out: ServerMessage[] = [];
  const dropped: string[] = [];
  const s = new ApiSession(
    impl,
    (t) => out.push(JSON.parse(t) as ServerMessage),
    { name: 'Fleetdeck', version: '0' },
    {
      backlog: () => queued,
      drop: (r) => dropped.push(r),
      limits,
    },
  );
  s.receive('{"type":"subscribe","id":3,"stream":"services.watch","params":{"envId":"docker:local"}}');
  const events = () => out.flatMap((m) => (m.type === 'event' && m.id === 3 ? [m.data as ServicesEvent] : []));
  const client = () => events().reduce<Service[]>(applyServicesEvent, []);
  return { s, out, dropped, sink: () => sink!, setQueued: (n: number) => (queued = n), events, client };
}

test('services.watch: a client that is behind gets its held changes merged into one event, and ends with the exact list', async () => {
  const t = setup({ behindBytes: 100, behindMs: 60_000 });
  assert.equal(t.events().length, 1, 'the snapshot went at once');
  t.setQueued(1000);
  const k = t.sink();
  for (let i = 2; i <= 300; i++) k.next({ kind: 'changes', upserts: [svc('a', i)], removed: [] });
  k.next({ kind: 'changes', upserts: [svc('c', 1)], removed: [], order: ['docker:local/p/a', 'docker:local/p/b', 'docker:local/p/c'] });
  k.next({ kind: 'changes', upserts: [], removed: ['docker:local/p/b'], order: ['docker:local/p/a', 'docker:local/p/c'] });
  k.next({ kind: 'changes', upserts: [svc('d', 1)], removed: [], order: ['docker:local/p/a', 'docker:local/p/c', 'docker:local/p/d'] });
  k.next({ kind: 'changes', upserts: [], removed: ['docker:local/p/d'], order: ['docker:local/p/a', 'docker:local/p/c'] });
  assert.equal(t.events().length, 1, 'nothing sent while behind');
  t.setQueued(0);
  await new Promise((r) => setTimeout(r, 250));
  const evs = t.events();
  assert.equal(evs.length, 2, 'one merged event on catching up');
  const merged = evs[1]!;
  assert.equal(merged.kind, 'changes');
  if (merged.kind === 'changes') {
    assert.deepEqual(
      merged.upserts.map((s) => [s.name, s.running]),
      [
        ['a', 300],
        ['c', 1],
      ],
    );
    assert.deepEqual(merged.removed.sort(), ['docker:local/p/b', 'docker:local/p/d']);
  }
  assert.deepEqual(
    t.client().map((s) => [s.name, s.running]),
    [
      ['a', 300],
      ['c', 1],
    ],
  );
  k.next({ kind: 'changes', upserts: [svc('c', 2)], removed: [] });
  assert.equal(t.events().length, 3, 'caught up: changes go out as they come');
});

test('services.watch: a snapshot held back absorbs the changes after it', async () => {
  const t = setup({ behindBytes: 100, behindMs: 60_000 });
  t.setQueued(1000);
  const k = t.sink();
  k.next({ kind: 'snapshot', services: [svc('x', 1)] });
  k.next({ kind: 'changes', upserts: [svc('x', 2)], removed: [] });
  t.setQueued(0);
  await new Promise((r) => setTimeout(r, 250));
  assert.deepEqual(t.events()[1], { kind: 'snapshot', services: [svc('x', 2)] });
});

test('services.watch: a client that stays behind is still dropped with close reason, its held changes with it', async () => {
  const t = setup({ behindBytes: 100, behindMs: 300 });
  t.setQueued(5000);
  for (let i = 0; i < 10; i++) t.sink().next({ kind: 'changes', upserts: [svc('a', i)], removed: [] });
  await new Promise((r) => setTimeout(r, 700));
  assert.equal(t.dropped.length, 1);
  assert.match(t.dropped[0]!, /read nothing/);
  assert.equal(t.s.openStreams, 0);
});
