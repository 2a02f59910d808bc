// Pods by owner and the incremental service list: one pod event rebuilds one service, the others
// keep their identity, and after any sequence of events (relists with sweeps included) the list
// equals one built from scratch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Deployment, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { ownerKeyOf, PodIndex } from '../../../../main/core/kubernetes/pod-index';
import { ServiceIndex } from '../../../../main/core/kubernetes/service-index';
import { podToInstance, serviceOf, slimWorkload } from '../../../../main/core/kubernetes/model';

const ENV = 'kube:ctx';
let rv = 1;

function deployment(ns: string, name: string, replicas = 3): V1Deployment {
  return {
    metadata: { name, namespace: ns, uid: `d-${ns}-${name}`, resourceVersion: String(rv++), creationTimestamp: new Date(1000) },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { spec: { containers: [{ name: 'c', image: `${name}:1` }] } } },
  };
}
function statefulSet(ns: string, name: string): V1StatefulSet {
  return {
    metadata: { name, namespace: ns, uid: `s-${ns}-${name}`, resourceVersion: String(rv++) },
    spec: { replicas: 2, serviceName: name, selector: { matchLabels: { app: name } }, template: { spec: { containers: [{ name: 'db', image: 'db:1' }] } } },
  };
}
function pod(ns: string, owner: string, n: number, opts: { phase?: string; kind?: string; ready?: boolean } = {}): V1Pod {
  const kind = opts.kind ?? 'ReplicaSet';
  const name = kind === 'StatefulSet' ? `${owner}-${n}` : `${owner}-5d8f7-${n}`;
  return {
    metadata: {
      name,
      namespace: ns,
      uid: `p-${ns}-${name}`,
      resourceVersion: String(rv++),
      creationTimestamp: new Date(2000 + n),
      labels: { app: owner, ...(kind === 'ReplicaSet' ? { 'pod-template-hash': '5d8f7' } : {}) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind, name: kind === 'ReplicaSet' ? `${owner}-5d8f7` : owner, uid: 'x', controller: true }],
    },
    spec: { containers: [{ name: 'c', image: `${owner}:1` }] },
    status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
}

test('a pod is owned through its ReplicaSet by the Deployment, or by its StatefulSet; other controllers are not shown', () => {
  assert.equal(ownerKeyOf(pod('shop', 'web', 1)), 'shop/deployment/web');
  assert.equal(ownerKeyOf(pod('shop', 'my-db', 0, { kind: 'StatefulSet' })), 'shop/statefulset/my-db');
  assert.equal(ownerKeyOf(pod('shop', 'cron', 1, { kind: 'Job' })), '');
  const bare = pod('shop', 'web', 2);
  delete bare.metadata!.ownerReferences;
  assert.equal(ownerKeyOf(bare), undefined, 'no owner: matched by selector, as before');
  const rsNoHash = pod('shop', 'web', 3);
  delete rsNoHash.metadata!.labels!['pod-template-hash'];
  assert.equal(ownerKeyOf(rsNoHash), undefined, 'a ReplicaSet whose pods carry no hash is not taken for a Deployment');
});

test('the index keeps slim records, marks only the owner that changed, and skips an unchanged resourceVersion', () => {
  const dirty: string[] = [];
  const idx = new PodIndex({ owner: (k) => dirty.push(k), orphans: (ns) => dirty.push(`orphans:${ns}`) });
  const p = pod('shop', 'web', 1);
  idx.upsert(p, 'shop', 1);
  idx.upsert(pod('shop', 'api', 1), 'shop', 1);
  assert.deepEqual(dirty, ['shop/deployment/web', 'shop/deployment/api']);
  const rec = idx.get('shop', p.metadata!.name!)!;
  assert.equal(rec.container, 'c');
  assert.equal('spec' in rec, false, 'no V1Pod kept');
  dirty.length = 0;
  idx.upsert(structuredClone(p), 'shop', 2);
  assert.deepEqual(dirty, [], 'same resourceVersion: nothing to rebuild');
  assert.equal(idx.get('shop', p.metadata!.name!), rec, 'same record');
  idx.remove(p);
  assert.deepEqual(dirty, ['shop/deployment/web']);
  assert.equal(idx.getByUid(rec.uid), undefined);
  assert.equal([...idx.owned('shop/deployment/web')].length, 0);
});

test('a sweep after a relist removes what the new list no longer has (no ghosts), only from that source', () => {
  const idx = new PodIndex({ owner: () => {}, orphans: () => {} });
  for (let i = 0; i < 6; i++) idx.upsert(pod('a', 'web', i), 'a', 1);
  idx.upsert(pod('b', 'web', 0), 'b', 1);
  // The API comes back with three different pods.
  for (let i = 10; i < 13; i++) idx.upsert(pod('a', 'web', i), 'a', 2);
  idx.sweep('a', 2);
  assert.deepEqual([...idx.owned('a/deployment/web')].map((r) => r.name).sort(), ['web-5d8f7-10', 'web-5d8f7-11', 'web-5d8f7-12']);
  assert.equal([...idx.owned('b/deployment/web')].length, 1, 'another namespace is untouched');
  idx.dropSource('b');
  assert.equal(idx.size, 3);
});

test('one pod event rebuilds only its service: every other Service object is the same one', () => {
  const si = new ServiceIndex(ENV);
  for (let d = 0; d < 20; d++) {
    si.upsertWorkload(deployment('shop', `svc${d}`), 'deployment', 'shop', 1);
    for (let i = 0; i < 5; i++) si.upsertPod(pod('shop', `svc${d}`, i), 'shop', 1);
  }
  const before = si.list();
  assert.equal(before.length, 20);
  assert.equal(si.list(), before, 'nothing changed: the same array');
  si.upsertPod(pod('shop', 'svc7', 2, { ready: false }), 'shop', 1);
  const after = si.list();
  assert.notEqual(after, before);
  const changed = after.filter((s, i) => s !== before[i]);
  assert.deepEqual(
    changed.map((s) => s.name),
    ['svc7'],
  );
  assert.equal(changed[0]!.healthy, 4);
});

test('after any sequence of events the incremental list equals a list built from scratch', () => {
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const si = new ServiceIndex(ENV);
  const workloads = new Map<string, V1Deployment | V1StatefulSet>();
  const pods = new Map<string, V1Pod>();
  const nss = ['a', 'b', 'c'];
  const names = ['web', 'api', 'db', 'cache'];
  let epoch = 1;
  for (let step = 0; step < 3000; step++) {
    const ns = nss[rnd(3)]!;
    const name = names[rnd(4)]!;
    const sts = name === 'db';
    const r = rnd(100);
    if (r < 10) {
      const w = sts ? statefulSet(ns, name) : deployment(ns, name, rnd(5));
      workloads.set(`${ns}/${name}`, w);
      si.upsertWorkload(w, sts ? 'statefulset' : 'deployment', ns, epoch);
    } else if (r < 14) {
      const w = workloads.get(`${ns}/${name}`);
      if (w) {
        workloads.delete(`${ns}/${name}`);
        si.removeWorkload(w, sts ? 'statefulset' : 'deployment');
      }
    } else if (r < 70) {
      const p = pod(ns, name, rnd(6), { kind: sts ? 'StatefulSet' : 'ReplicaSet', phase: ['Running', 'Pending', 'Failed'][rnd(3)], ready: rnd(2) === 0 });
      pods.set(`${ns}/${p.metadata!.name}`, p);
      si.upsertPod(p, ns, epoch);
    } else if (r < 95) {
      const keys = [...pods.keys()];
      const k = keys[rnd(keys.length || 1)];
      if (k) {
        si.removePod(pods.get(k)!);
        pods.delete(k);
      }
    } else {
      // A relist of one namespace that lost some pods while we were away.
      epoch++;
      for (const [k, p] of pods) {
        if (!k.startsWith(`${ns}/`)) continue;
        if (rnd(4) === 0) pods.delete(k);
        else si.upsertPod(p, ns, epoch);
      }
      si.pods.sweep(ns, epoch);
      for (const [k, w] of workloads) if (k.startsWith(`${ns}/`)) si.upsertWorkload(w, k.endsWith('/db') ? 'statefulset' : 'deployment', ns, epoch);
      si.sweepWorkloads('deployment', ns, epoch);
      si.sweepWorkloads('statefulset', ns, epoch);
    }
    if (step % 7 === 0 || step === 2999) {
      const expected = [...workloads.values()]
        .map((w) => {
          const kind = w.metadata!.name === 'db' ? 'statefulset' : 'deployment';
          const key = `${w.metadata!.namespace}/${kind}/${w.metadata!.name}`;
          const own = [...pods.values()].filter((p) => ownerKeyOf(p) === key).map(podToInstance);
          return serviceOf(ENV, slimWorkload(w, kind), own);
        })
        .sort((a, b) => a.name.localeCompare(b.name) || a.group.localeCompare(b.group) || (a.project ?? '').localeCompare(b.project ?? ''));
      assert.deepEqual(si.list(), expected, `step ${step}`);
    }
  }
});
