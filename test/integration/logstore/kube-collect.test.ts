// Starts: the Kubernetes API fixture on 127.0.0.1 loaded with services-sample/k8s (its controller
// writes log lines for each pod), and a Fleetdeck core collecting the logs of a Deployment it opened.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { parseLogQuery } from '../../../main/common/log-query';
import type { LogHit } from '../../../main/common/log-store-model';
import { Core } from '../../../main/core/core';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { FAST, tempDir, waitFor } from '../kube-fixture/helpers';

const root = resolve(import.meta.dirname, '../../..');
const dir = tempDir('fd-kube-logstore-');
const CTX = 'fleetdeck-logstore';
const ENV = `kube:${CTX}`;
let fixture: KubeFixture;
let core: Core;

before(async () => {
  const kubeconfigPath = join(dir.path, 'config');
  fixture = await KubeFixture.start({
    kubeconfigPath,
    contextName: CTX,
    namespace: 'fleetdeck-samples',
    load: [join(root, 'services-sample/k8s')],
    controller: FAST,
  });
  core = new Core({
    mode: 'cli',
    logs: 'collect',
    env: { ...process.env, KUBECONFIG: kubeconfigPath, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    stateDir: join(dir.path, 'state'),
  });
  await core.start();
});
after(async () => {
  await core?.close();
  await fixture?.stop();
  dir.remove();
});

async function stored(serviceId: string): Promise<LogHit[]> {
  await core.logStore.flush();
  return (await core.logStore.search({ query: parseLogQuery(''), services: [serviceId], order: 'oldest', limit: 10_000 })).hits;
}

test('a Kubernetes context keeps only the workloads opened; a replaced pod’s lines are still found', { timeout: 60_000 }, async () => {
  const env = core.serviceEnv(ENV);
  env.services.list(); // opens the context, as the window does
  await waitFor('the context connected', () => env.state === 'connected', 15_000);
  await waitFor('user-service ready', () => env.services.list().find((s) => s.name === 'user-service')?.healthy === 3, 15_000);
  const user = env.services.list().find((s) => s.name === 'user-service')!;
  const order = env.services.list().find((s) => s.name === 'order-service')!;
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await stored(user.id)).length, 0, 'nothing kept before the workload is opened (the default scope for a context)');

  core.logCollector.opened(env, user.id);
  const first = user.instances[0]!;
  await waitFor('lines of the first pod stored', async () => (await stored(user.id)).some((h) => h.instanceId === first.id), 15_000);
  await env.services.instanceAction(first.name, 'remove');
  await waitFor(
    'a replacement pod’s lines stored',
    async () => {
      const now = env.services.list().find((s) => s.id === user.id)!;
      const fresh = now.instances.filter((i) => !user.instances.some((o) => o.id === i.id));
      return fresh.length > 0 && (await stored(user.id)).some((h) => fresh.some((f) => f.id === h.instanceId));
    },
    20_000,
  );
  const hits = await stored(user.id);
  assert.ok(
    hits.some((h) => h.instanceId === first.id),
    'the replaced pod’s lines are still there',
  );
  assert.ok(hits.every((h) => h.env === ENV && h.service === user.id));
  assert.equal((await stored(order.id)).length, 0, 'a workload nobody opened is not kept');
});
