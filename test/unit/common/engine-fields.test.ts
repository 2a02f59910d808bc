// The model's display fields from Docker and Kubernetes pass the output policy where the model is
// built; the ids that actions address stay as the engine gave them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import fc from 'fast-check';
import type { Instance, Service } from '../../../main/common/model';
import { toInstance, type InspectLike } from '../../../main/core/docker/instance';
import { parseServiceId, podToInstance, workloadToService } from '../../../main/core/kubernetes/model';
import { anyControl, anyField, show } from './hostile-text';

const OSC52 = '\x1b]52;c;SlNPTkNMSVA=\x07';
const inspect = JSON.parse(readFileSync(new URL('../../fixtures/docker/inspect-compose-web.json', import.meta.url), 'utf8')) as InspectLike;

function displayFields(s: Service): string[] {
  return [s.name, s.project ?? '', s.image, ...s.instances.flatMap((i) => instanceFields(i))];
}
function instanceFields(i: Instance): string[] {
  return [i.name, i.image, i.shortId];
}

function pod(name: string, image: string, ns = 'shop'): V1Pod {
  return {
    metadata: { name, namespace: ns, uid: `uid-${name}`, labels: { app: 'web' }, creationTimestamp: new Date(0) },
    spec: { containers: [{ name: 'c', image }] },
    status: { phase: 'Running' },
  };
}
function deployment(name: string, ns: string, image: string): V1Deployment {
  return {
    metadata: { name, namespace: ns },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'c', image }] } } },
  };
}

test('a container whose name and image would carry escapes shows them as text; its id is untouched', () => {
  const i = toInstance({ ...inspect, Name: `/web-1${OSC52}`, Config: { ...inspect.Config, Image: `img\r\nX` } });
  assert.equal(i.name, 'web-1^[]52;c;SlNPTkNMSVA=^G');
  assert.equal(i.image, 'img↵X');
  assert.equal(i.id, inspect.Id);
  assert.equal(toInstance(inspect).name, 'shop-web-1', 'names the engine accepts are unchanged, so lookups by name still work');
});

test('a workload and its pods: names, namespace and images are plain text; the service id keeps the raw name for the API', () => {
  const ns = `shop${OSC52}`;
  const s = workloadToService('kube:ctx', deployment(`web\x1b[2J`, ns, `img${OSC52}`), 'deployment', [pod(`web-1\u009b2J`, 'img\u2028x', ns)]);
  assert.equal(s.name, 'web^[[2J');
  assert.equal(s.project, 'shop^[]52;c;SlNPTkNMSVA=^G');
  assert.equal(s.instances[0]!.name, 'web-1^[[2J');
  assert.equal(s.instances[0]!.image, 'img↵x');
  assert.equal(s.instances[0]!.id, 'uid-web-1\u009b2J', 'the uid is the id, as the cluster gave it');
  assert.deepEqual(parseServiceId(s.id), { ns, kind: 'deployment', name: 'web\x1b[2J' });
  const plain = workloadToService('kube:ctx', deployment('web', 'shop', 'fleetdeck/user-service:dev'), 'deployment', [
    pod('web-7d9f-abcde', 'fleetdeck/user-service:dev'),
  ]);
  assert.equal(plain.name, 'web');
  assert.equal(plain.instances[0]!.name, 'web-7d9f-abcde', 'DNS-1123 names are unchanged, so pods are still found by name');
});

test('property: no display field from either engine holds a control character', () => {
  fc.assert(
    fc.property(anyField, anyField, anyField, anyField, (name, image, ns, podName) => {
      const d = toInstance({ ...inspect, Name: `/${name}`, Config: { ...inspect.Config, Image: image } });
      for (const f of instanceFields(d)) assert.equal(anyControl(f), undefined, show(f));
      const s = workloadToService('kube:ctx', deployment(name, ns, image), 'deployment', [pod(podName, image, ns)]);
      for (const f of displayFields(s)) assert.equal(anyControl(f), undefined, show(f));
      assert.equal(podToInstance(pod(podName, image)).name.includes('\x1b'), false);
    }),
    { numRuns: 500 },
  );
});
