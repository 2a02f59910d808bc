// Starts the Kubernetes API fixture on 127.0.0.1 and checks, with client-node's list and Watch, that one watch sees each
// pod's events in order (ADDED, MODIFIED…, DELETED), in strictly increasing resourceVersions, each once, and that a
// watch from a list's resourceVersion misses nothing, while the controller creates and deletes pods in quick scale changes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { FAST, TESTDATA, waitFor } from './helpers';

const NS = 'shop';

interface Seen {
  type: string;
  uid: string;
  name: string;
  rv: number;
}

describe('watch event order against the Kubernetes API fixture', () => {
  let fixture: KubeFixture;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;

  before(async () => {
    fixture = await KubeFixture.start({ controller: FAST, load: [TESTDATA] });
    kc = new k8s.KubeConfig();
    kc.loadFromString(JSON.stringify(fixture.kubeconfig()));
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
    await waitFor(
      'the web deployment to be ready',
      async () => (await apps.readNamespacedDeployment({ namespace: NS, name: 'web' })).status?.readyReplicas === 2,
    );
  });
  after(async () => {
    await fixture.stop();
  });

  /** Opens a watch on the shop pods; returns what it saw and how to stop it. */
  async function watchPods(params: Record<string, string | number | boolean | undefined>): Promise<{ seen: Seen[]; stop: () => Promise<void> }> {
    const seen: Seen[] = [];
    let ended: (e: unknown) => void = () => {};
    const done = new Promise((r) => (ended = r));
    const ac = await new k8s.Watch(kc).watch(
      `/api/v1/namespaces/${NS}/pods`,
      params,
      (type, obj: k8s.V1Pod) => {
        if (type === 'BOOKMARK') return;
        seen.push({ type, uid: obj.metadata!.uid!, name: obj.metadata!.name!, rv: Number(obj.metadata!.resourceVersion) });
      },
      (err) => ended(err),
    );
    return {
      seen,
      stop: async () => {
        ac.abort();
        await done;
      },
    };
  }

  test('quick scale changes: per pod ADDED < MODIFIED* < DELETED, resourceVersions strictly increasing, the cache matches a fresh list', async () => {
    const list = await core.listNamespacedPod({ namespace: NS });
    const fromList = await watchPods({ resourceVersion: list.metadata!.resourceVersion });
    const fromZero = await watchPods({ resourceVersion: '0' });
    await waitFor('the resourceVersion-0 watch to send the current pods', () => fromZero.seen.length >= list.items.length);

    // Scale changes as fast as the API answers: pods are created and deleted while others are still starting.
    const sizes = [5, 1, 6, 0, 4, 2, 7, 3, 0, 5, 1, 6, 2, 4, 3];
    for (const replicas of sizes) {
      await apps.patchNamespacedDeploymentScale(
        { namespace: NS, name: 'web', body: { spec: { replicas } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await new Promise((r) => setTimeout(r, 30));
    }
    const settled = async (): Promise<boolean> => {
      const pods = (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' })).items;
      return (
        pods.length === 3 && pods.every((p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
      );
    };
    await waitFor('3 ready web pods and no terminating ones', settled, 20_000);
    const final = await core.listNamespacedPod({ namespace: NS });
    await waitFor('both watches to reach the final resourceVersion', () =>
      [fromList, fromZero].every((w) => (w.seen.at(-1)?.rv ?? 0) >= Math.max(...final.items.map((p) => Number(p.metadata!.resourceVersion)))),
    );
    await fromList.stop();
    await fromZero.stop();

    const initialUids = new Set(list.items.map((p) => p.metadata!.uid!));
    for (const [label, w, startsWith] of [
      ['watch from the list', fromList, initialUids],
      ['watch from 0', fromZero, new Set<string>()],
    ] as const) {
      assert.ok(w.seen.length > 50, `${label}: the scale changes made many events (${w.seen.length})`);
      // One watch delivers in resourceVersion order, each version once. (The ADDED of the current state at rv 0 carry
      // each object's own, older resourceVersion, so only the live events after them are compared.)
      const live = label === 'watch from 0' ? w.seen.slice(list.items.length) : w.seen;
      for (let i = 1; i < live.length; i++)
        assert.ok(live[i]!.rv > live[i - 1]!.rv, `${label}: event ${i} (${live[i]!.type} ${live[i]!.name} rv ${live[i]!.rv}) follows rv ${live[i - 1]!.rv}`);

      const state = new Map<string, string>(); // uid → last event type
      for (const uid of startsWith) state.set(uid, 'LISTED');
      for (const e of w.seen) {
        const prev = state.get(e.uid);
        if (e.type === 'ADDED') assert.equal(prev, undefined, `${label}: ${e.name} ADDED after ${prev}`);
        else assert.ok(prev !== undefined && prev !== 'DELETED', `${label}: ${e.name} ${e.type} before ADDED (after ${prev ?? 'nothing'})`);
        state.set(e.uid, e.type);
      }
      // What the watch built (list + events) is what a fresh list shows: nothing missed, nothing extra.
      const cache = [...state.entries()]
        .filter(([, t]) => t !== 'DELETED')
        .map(([uid]) => uid)
        .sort();
      assert.deepEqual(cache, final.items.map((p) => p.metadata!.uid!).sort(), `${label}: the watched state equals a fresh list`);
    }
  });
});
