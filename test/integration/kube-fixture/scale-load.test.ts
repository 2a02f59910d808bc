// Starts the Kubernetes API fixture on 127.0.0.1, loads it with the generator (test/fixtures/kube-apiserver/generate.ts)
// and drives churn, checking with client-node what a client sees: paged lists, workloads the controller adopts as they
// are, replaced pods, quiet logs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { generateWorkloads, parseGenerateSpec, startChurn, type Generated } from '../../fixtures/kube-apiserver/generate';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { FAST, waitFor } from './helpers';

describe('the Kubernetes API fixture loaded by its generator', () => {
  let fixture: KubeFixture;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;
  let gen: Generated;

  before(async () => {
    fixture = await KubeFixture.start({ controller: FAST });
    const kc = new k8s.KubeConfig();
    kc.loadFromString(JSON.stringify(fixture.kubeconfig()));
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
    gen = await generateWorkloads(fixture, parseGenerateSpec('6x5x40')); // 30 Deployments, 1 200 pods
  });
  after(async () => {
    await fixture.stop();
  });

  const loadPods = async (): Promise<k8s.V1Pod[]> => {
    const out: k8s.V1Pod[] = [];
    let cont: string | undefined;
    for (let i = 0; i < 100; i++) {
      const page = await core.listPodForAllNamespaces({ limit: 250, _continue: cont, labelSelector: 'app' });
      out.push(...page.items);
      cont = page.metadata?._continue;
      if (!cont) break;
    }
    return out.filter((p) => p.metadata?.namespace?.startsWith('load-'));
  };

  test('the pods are there Running and Ready, in key order across pages, and the controller adds nothing', async () => {
    assert.equal(gen.pods, 1200);
    assert.equal(gen.deployments.length, 30);
    const pods = await loadPods();
    assert.equal(pods.length, 1200);
    const keys = pods.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`);
    assert.deepEqual(keys, [...keys].sort(), 'pages come in namespace/name order');
    assert.equal(new Set(keys).size, keys.length, 'no pod twice across pages');
    assert.ok(pods.every((p) => p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')));
    const page = await core.listPodForAllNamespaces({ limit: 100 });
    assert.equal(page.metadata?.remainingItemCount, (await core.listPodForAllNamespaces()).items.length - 100, 'remainingItemCount without a selector');
    const withSelector = await core.listPodForAllNamespaces({ limit: 100, labelSelector: 'app' });
    assert.equal(withSelector.metadata?.remainingItemCount, undefined, 'the API server leaves it out when a selector filters');

    await waitFor('every Deployment to report its ready replicas', async () =>
      (await apps.listDeploymentForAllNamespaces()).items
        .filter((d) => d.metadata?.namespace?.startsWith('load-'))
        .every((d) => d.status?.readyReplicas === d.spec?.replicas && d.status?.observedGeneration === 1),
    );
    const rs = (await apps.listReplicaSetForAllNamespaces()).items.filter((r) => r.metadata?.namespace?.startsWith('load-'));
    assert.equal(rs.length, 30, 'one ReplicaSet per Deployment: the controller adopted the generated one');
    assert.equal((await loadPods()).length, 1200, 'and made no pods of its own');
  });

  test('generated pods write no log lines', async () => {
    const p = (await core.listNamespacedPod({ namespace: 'load-00', limit: 1 })).items[0]!;
    await new Promise((r) => setTimeout(r, 300)); // FAST writes a line every 100 ms in pods that log
    assert.equal(await core.readNamespacedPodLog({ namespace: 'load-00', name: p.metadata!.name! }), '');
  });

  test('churn: flips and replacements at the asked rate, bounded in time; replaced pods come back', async () => {
    const seen: { type: string; rv: number }[] = [];
    const kc = new k8s.KubeConfig();
    kc.loadFromString(JSON.stringify(fixture.kubeconfig()));
    const list = await core.listNamespacedPod({ namespace: 'load-02' });
    const ac = await new k8s.Watch(kc).watch(
      '/api/v1/namespaces/load-02/pods',
      { resourceVersion: list.metadata!.resourceVersion },
      (type, o: k8s.V1Pod) => {
        seen.push({ type, rv: Number(o.metadata!.resourceVersion) });
      },
      () => {},
    );
    const t0 = Date.now();
    const r = await startChurn(fixture, { perSecond: 200, seconds: 1.5, mode: 'mixed' }).done;
    assert.ok(Date.now() - t0 < 3000, 'bounded in time');
    assert.equal(r.changes, 300);
    assert.equal(r.replaced, 30, 'one in ten replaces a pod');
    await waitFor(
      'every Deployment back to its replica count, none terminating',
      async () => {
        const pods = await loadPods();
        return pods.length === 1200 && pods.every((p) => !p.metadata?.deletionTimestamp);
      },
      15_000,
    );
    ac.abort();
    assert.ok(seen.some((e) => e.type === 'DELETED') && seen.some((e) => e.type === 'ADDED'), 'the watch saw replacements');
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.rv > seen[i - 1]!.rv, 'in resourceVersion order');
  });
});
