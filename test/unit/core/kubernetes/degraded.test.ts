import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { podToInstance, READINESS_GRACE_MS, serviceOf, slimWorkload } from '../../../../main/core/kubernetes/model';

const web: V1Deployment = {
  metadata: { name: 'web', namespace: 'shop', uid: 'd1', creationTimestamp: new Date(1000) },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'c', image: 'web:1' }] } } },
};
const NOW = 10_000_000;

function pod(n: number, ready: boolean, startedAgoMs: number): V1Pod {
  return {
    metadata: { name: `web-${n}`, namespace: 'shop', uid: `p${n}`, creationTimestamp: new Date(2000 + n), labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'web:1' }] },
    status: { phase: 'Running', startTime: new Date(NOW - startedAgoMs), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

const service = (pods: V1Pod[], operation?: { kind: 'scale'; message: string }) =>
  serviceOf('kube:ctx', slimWorkload(web, 'deployment'), pods.map(podToInstance), operation, NOW);

test('a Deployment whose running pods fail readiness on some (not all) is Degraded, with the reason in words', () => {
  const s = service([pod(1, true, 600_000), pod(2, false, 600_000), pod(3, true, 600_000)]);
  assert.equal(s.degraded?.reason, 'readiness failing on 1 of 3 replicas');
});

test('a pod not Ready yet within its first seconds is starting, not failing; nor is one during a scale', () => {
  assert.equal(service([pod(1, true, 600_000), pod(2, false, READINESS_GRACE_MS - 1000)]).degraded, undefined);
  assert.equal(service([pod(1, true, 600_000), pod(2, false, 600_000)], { kind: 'scale', message: 'Scaling…' }).degraded, undefined);
  assert.equal(service([pod(1, true, 600_000), pod(2, true, 600_000)]).degraded, undefined);
});
