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

function collectingCore(kubeconfigPath: string): Core {
  return new Core({
    mode: 'cli',
    logs: 'collect',
    env: { ...process.env, KUBECONFIG: kubeconfigPath, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    stateDir: join(dir.path, 'state'),
  });
}

before(async () => {
  const kubeconfigPath = join(dir.path, 'config');
  fixture = await KubeFixture.start({
    kubeconfigPath,
    contextName: CTX,
    namespace: 'fleetdeck-samples',
    load: [join(root, 'services-sample/k8s')],
    controller: FAST,
  });
  core = collectingCore(kubeconfigPath);
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

test(
  'the panel stopped for 3 s while pods write, then started again: every line of a pod stored once, as the API server has it',
  { timeout: 60_000 },
  async () => {
    let env = core.serviceEnv(ENV);
    const user = env.services.list().find((s) => s.name === 'user-service')!;
    core.logCollector.opened(env, user.id); // kept from the test before, or now
    const pod = user.instances.find((i) => i.state === 'running')!;
    await waitFor('lines of the pod stored', async () => (await stored(user.id)).filter((h) => h.instanceId === pod.id).length > 5, 15_000);
    await core.close();
    await new Promise((r) => setTimeout(r, 3000));
    const restarted = Date.now();
    core = collectingCore(join(dir.path, 'config'));
    await core.start();
    env = core.serviceEnv(ENV);
    env.services.list(); // opens the context, as the window does
    await waitFor('the context connected', () => env.state === 'connected', 15_000);
    await waitFor(
      'lines written after the restart stored',
      async () => (await stored(user.id)).some((h) => h.instanceId === pod.id && h.t > restarted + 1000),
      20_000,
    );
    const mine = (await stored(user.id)).filter((h) => h.instanceId === pod.id);
    const newest = Math.max(...mine.map((h) => h.t));
    // The API server's own log of the container, up to the newest line stored.
    const engine = fixture.controller.containerLog({ metadata: { uid: pod.id } } as Parameters<typeof fixture.controller.containerLog>[0], 'user-service')!;
    const expected = engine.lines.filter((l) => l.time.getTime() <= newest).map((l) => l.text);
    const texts = mine.map((h) => h.text);
    assert.ok(expected.length > 40, `the pod wrote ${expected.length} lines meanwhile`);
    assert.equal(new Set(texts).size, texts.length, 'no line stored twice');
    assert.deepEqual(
      expected.filter((t) => !texts.includes(t)),
      [],
      'no line lost while the panel was down',
    );
    assert.equal(texts.length, expected.length);
  },
);
