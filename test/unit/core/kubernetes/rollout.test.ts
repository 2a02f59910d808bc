import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Deployment, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { podToInstance, rolloutProgress, slimWorkload } from '../../../../main/core/kubernetes/model';

const dep = (status: V1Deployment['status'], generation = 2, replicas = 3): V1Deployment => ({
  metadata: { name: 'web', namespace: 'shop', generation, resourceVersion: '1' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
  status,
});

test('a Deployment rollout in words, step by step as kubectl rollout status sees it', () => {
  const say = (s: V1Deployment['status']) => rolloutProgress(slimWorkload(dep(s), 'deployment'));
  assert.deepEqual(say({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), {
    done: false,
    message: 'Waiting for the controller to see the new template…',
  });
  assert.equal(say({ observedGeneration: 2, replicas: 4, updatedReplicas: 1, availableReplicas: 3 }).message, 'Updated 1 of 3 replicas…');
  assert.equal(say({ observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }).message, 'Updated 3 of 3; 1 old pending termination…');
  assert.equal(say({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }).message, 'Updated 3 of 3; 2 available…');
  assert.deepEqual(say({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), {
    done: true,
    message: 'Updated 3 of 3; all available.',
  });
});

test('a StatefulSet rollout is over when its revisions meet', () => {
  const sts = (status: V1StatefulSet['status']): V1StatefulSet => ({
    metadata: { name: 'db', namespace: 'shop', generation: 5, resourceVersion: '1' },
    spec: { replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { spec: { containers: [{ name: 'db', image: 'db:1' }] } } },
    status,
  });
  const say = (s: V1StatefulSet['status']) => rolloutProgress(slimWorkload(sts(s), 'statefulset'));
  assert.equal(say({ observedGeneration: 5, replicas: 2, updatedReplicas: 2, readyReplicas: 2, currentRevision: 'a', updateRevision: 'b' }).done, false);
  assert.equal(say({ observedGeneration: 5, replicas: 2, updatedReplicas: 2, readyReplicas: 2, currentRevision: 'b', updateRevision: 'b' }).done, true);
});

test('a pod shows its node and namespace, and its restarts summed over containers', () => {
  const p: V1Pod = {
    metadata: { name: 'web-abc', namespace: 'shop', uid: 'u-1', creationTimestamp: new Date(1000) },
    spec: { nodeName: 'worker-2', containers: [{ name: 'web' }, { name: 'side' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'web', restartCount: 2, ready: true, image: 'web', imageID: '' },
        { name: 'side', restartCount: 1, ready: true, image: 'side', imageID: '' },
      ],
    },
  };
  const i = podToInstance(p);
  assert.equal(i.node, 'worker-2');
  assert.equal(i.namespace, 'shop');
  assert.equal(i.restartCount, 3);
  assert.equal(i.health, 'healthy');
});
