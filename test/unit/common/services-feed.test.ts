import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServicesEvent } from '../../../main/common/api';
import type { Service } from '../../../main/common/model';
import { applyServicesEvent, diffServices, mergeServicesEvents } from '../../../main/common/services-feed';

const svc = (name: string, running = 1): Service => ({
  id: `kube:c/ns/deployment/${name}`,
  envId: 'kube:c',
  name,
  project: 'ns',
  group: 'deployment',
  image: `${name}:1`,
  instances: [],
  desired: running,
  running,
  healthy: running,
  unhealthy: 0,
  createdAt: 1,
  scalable: true,
});
const ids = (l: Service[]) => l.map((s) => s.name);

test('a snapshot replaces the list', () => {
  const a = svc('a');
  const list = applyServicesEvent([svc('x')], { kind: 'snapshot', services: [a] });
  assert.deepEqual(list, [a]);
  assert.equal(list[0], a);
});

test('upserts replace services in place; the others keep their identity', () => {
  const [a, b, c] = [svc('a'), svc('b'), svc('c')];
  const b2 = svc('b', 3);
  const list = applyServicesEvent([a, b, c], { kind: 'changes', upserts: [b2], removed: [] });
  assert.deepEqual(ids(list), ['a', 'b', 'c']);
  assert.equal(list[0], a);
  assert.equal(list[1], b2);
  assert.equal(list[2], c);
});

test('removals drop services; an unknown id is ignored', () => {
  const [a, b, c] = [svc('a'), svc('b'), svc('c')];
  const list = applyServicesEvent([a, b, c], { kind: 'changes', upserts: [], removed: [b.id, 'kube:c/nope'] });
  assert.deepEqual(ids(list), ['a', 'c']);
  assert.equal(list[0], a);
  assert.equal(list[1], c);
});

test('new services take their place from `order`', () => {
  const [a, c] = [svc('a'), svc('c')];
  const b = svc('b');
  const list = applyServicesEvent([a, c], { kind: 'changes', upserts: [b], removed: [], order: [a.id, b.id, c.id] });
  assert.deepEqual(ids(list), ['a', 'b', 'c']);
  assert.equal(list[0], a);
  assert.equal(list[2], c);
});

test('an empty change returns the very same array', () => {
  const list = [svc('a')];
  assert.equal(applyServicesEvent(list, { kind: 'changes', upserts: [], removed: [] }), list);
});

test('diff: nothing changed is undefined; identity or `same` counts as unchanged', () => {
  const [a, b] = [svc('a'), svc('b')];
  assert.equal(diffServices([a, b], [a, b]), undefined);
  assert.equal(
    diffServices([a, b], [svc('a'), b], (x, y) => JSON.stringify(x) === JSON.stringify(y)),
    undefined,
  );
  assert.deepEqual(diffServices([a, b], [svc('a'), b]), { kind: 'changes', upserts: [svc('a')], removed: [] });
});

test('diff: upserts, removals and order as needed; applied to the old list it gives the new one', () => {
  const [a, b, c, d] = [svc('a'), svc('b'), svc('c'), svc('d')];
  const b2 = svc('b', 5);
  const prev = [a, b, c];
  const next = [a, b2, d];
  const e = diffServices(prev, next)!;
  assert.deepEqual(e.upserts, [b2, d]);
  assert.deepEqual(e.removed, [c.id]);
  assert.deepEqual(e.order, [a.id, b.id, d.id]);
  const applied = applyServicesEvent(prev, e);
  assert.deepEqual(applied, next);
  assert.equal(applied[0], a);
  const same = diffServices([a, b], [a, b2])!;
  assert.equal(same.order, undefined, 'no order when the ids did not move');
});

test('merging events gives what applying them one by one gives', () => {
  const [a, b, c] = [svc('a'), svc('b'), svc('c')];
  const start = [a, b, c];
  const steps: ServicesEvent[] = [
    { kind: 'changes', upserts: [svc('b', 2)], removed: [] },
    { kind: 'changes', upserts: [], removed: [c.id], order: [a.id, b.id] },
    { kind: 'changes', upserts: [svc('c', 9)], removed: [], order: [a.id, b.id, c.id] }, // c back
    { kind: 'changes', upserts: [svc('b', 3), svc('d')], removed: [], order: [a.id, b.id, c.id, svc('d').id] },
    { kind: 'changes', upserts: [], removed: [svc('d').id], order: [a.id, b.id, c.id] }, // d never seen by the client
  ];
  const oneByOne = steps.reduce(applyServicesEvent, start);
  const merged = steps.reduce(mergeServicesEvents);
  assert.equal(merged.kind, 'changes');
  assert.deepEqual(applyServicesEvent(start, merged), oneByOne);
  assert.deepEqual(ids(oneByOne), ['a', 'b', 'c']);
  assert.equal(oneByOne[1]!.running, 3);
  assert.equal(oneByOne[2]!.running, 9);
  if (merged.kind === 'changes') {
    assert.ok(!merged.upserts.some((s) => s.name === 'd'), 'a removal cancels its upsert');
    assert.equal(merged.upserts.filter((s) => s.name === 'b').length, 1, 'the latest upsert wins');
  }
});

test('a snapshot merged with later changes stays a snapshot of the result; a later snapshot wins', () => {
  const [a, b] = [svc('a'), svc('b')];
  const m = mergeServicesEvents({ kind: 'snapshot', services: [a, b] }, { kind: 'changes', upserts: [svc('b', 4)], removed: [a.id], order: [b.id] });
  assert.deepEqual(m, { kind: 'snapshot', services: [svc('b', 4)] });
  const later: ServicesEvent = { kind: 'snapshot', services: [a] };
  assert.equal(mergeServicesEvents({ kind: 'changes', upserts: [b], removed: [] }, later), later);
});
