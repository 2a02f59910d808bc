import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServicesEvent } from '../../../main/common/api';
import type { Instance, Service } from '../../../main/common/model';
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

const inst = (svcName: string, n: number, state: Instance['state'] = 'running'): Instance => ({
  id: `${svcName}-uid-${n}`,
  shortId: `${n}`,
  name: `${svcName}-pod-${n}`,
  image: 'img',
  state,
  health: 'healthy',
  createdAt: n,
  ports: [],
  restartCount: 0,
});
const big = (name: string, instances: Instance[]): Service => ({ ...svc(name, instances.length), instances });

test('a large service with few instances changed comes as a patch; applied, it equals the new list and keeps untouched instances', () => {
  const pods = Array.from({ length: 20 }, (_, n) => inst('w', n));
  const a = big('w', pods);
  const replaced = [...pods.slice(0, 5), inst('w', 5, 'exited'), ...pods.slice(6), inst('w', 99)].filter((i) => i.id !== 'w-uid-7');
  const b = big('w', replaced);
  const other = svc('x');
  const e = diffServices([a, other], [b, other])!;
  assert.deepEqual(e.upserts, []);
  assert.equal(e.patches?.length, 1);
  const p = e.patches![0]!;
  assert.deepEqual(
    p.upserts.map((i) => i.id),
    ['w-uid-5', 'w-uid-99'],
  );
  assert.deepEqual(p.removed, ['w-uid-7']);
  assert.ok(p.order, 'membership changed: the order is sent');
  assert.ok(!('instances' in p.service));
  const applied = applyServicesEvent([a, other], e);
  assert.deepEqual(applied, [b, other]);
  assert.equal(applied[0]!.instances[0], pods[0], 'an untouched instance is the same object');
  assert.equal(applied[1], other);
  assert.ok(JSON.stringify(e).length < JSON.stringify(b).length / 3, 'the patch is much smaller than the service');
});

test('a service whose instances mostly changed, or a small one, is sent whole', () => {
  const pods = Array.from({ length: 20 }, (_, n) => inst('w', n));
  const most = big(
    'w',
    pods.map((i, n) => (n < 10 ? { ...i, state: 'exited' as const } : i)),
  );
  assert.deepEqual(diffServices([big('w', pods)], [most])!.upserts, [most]);
  const small = big('s', [inst('s', 1), inst('s', 2)]);
  const small2 = big('s', [inst('s', 1), inst('s', 2, 'exited')]);
  assert.deepEqual(diffServices([small], [small2])!.upserts, [small2]);
});

test('merging patches with patches, upserts and removals gives what applying them one by one gives', () => {
  const pods = Array.from({ length: 20 }, (_, n) => inst('w', n));
  const v = [big('w', pods)];
  const step = (f: (l: Instance[]) => Instance[]) => {
    const next = [big('w', f(v.at(-1)!.instances))];
    const e = diffServices([v.at(-1)!], next)!;
    v.push(next[0]!);
    return e;
  };
  const e1 = step((l) => l.map((i, n) => (n === 3 ? { ...i, restartCount: 1 } : i)));
  const e2 = step((l) => [...l.filter((i) => i.id !== 'w-uid-4'), inst('w', 50)]);
  const e3 = step((l) => l.map((i, n) => (n === 3 ? { ...i, restartCount: 2 } : i)));
  assert.ok([e1, e2, e3].every((e) => e.patches?.length === 1 && e.upserts.length === 0));
  const start = [big('w', pods)];
  const oneByOne = [e1, e2, e3].reduce<Service[]>(applyServicesEvent, start);
  assert.deepEqual(oneByOne, [v.at(-1)]);
  const merged = [e1, e2, e3].reduce<ServicesEvent>(mergeServicesEvents, e1.kind === 'changes' ? { kind: 'changes', upserts: [], removed: [] } : e1);
  assert.deepEqual(applyServicesEvent(start, merged), oneByOne);
  const afterWhole = mergeServicesEvents({ kind: 'changes', upserts: [start[0]!], removed: [] }, e1);
  assert.equal(afterWhole.kind === 'changes' && afterWhole.patches, undefined, 'a patch after a whole service goes into it');
  assert.deepEqual(applyServicesEvent(start, afterWhole), [v[1]]);
  const thenGone = mergeServicesEvents(e1, { kind: 'changes', upserts: [], removed: [start[0]!.id], order: [] });
  assert.deepEqual(applyServicesEvent(start, thenGone), []);
  assert.deepEqual(applyServicesEvent(start, mergeServicesEvents({ kind: 'snapshot', services: start }, e2)), applyServicesEvent(start, e2));
});
