// Starts: the Kubernetes API fixture on 127.0.0.1 (with a bearer token) loaded with services-sample/k8s,
// and a Fleetdeck core pointed at it through a kubeconfig: Deployments seen, scaled and restarted as services.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { LogEvent, MetricPoint, Service } from '../../../main/common/model';
import { Core } from '../../../main/core/core';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { FAST, tempDir, waitFor } from '../kube-fixture/helpers';

const root = resolve(import.meta.dirname, '../../..');
const dir = tempDir('fd-kube-svc-');
const CTX = 'fleetdeck-fixture';
const ENV = `kube:${CTX}`;
let fixture: KubeFixture;
let core: Core;

before(async () => {
  const kubeconfigPath = join(dir.path, 'config');
  fixture = await KubeFixture.start({
    kubeconfigPath,
    contextName: CTX,
    namespace: 'fleetdeck-samples', // also declared by the manifests: loading must not trip over it
    token: 'kube-svc-token',
    load: [join(root, 'services-sample/k8s')],
    controller: FAST,
  });
  core = new Core({
    mode: 'cli',
    env: { ...process.env, KUBECONFIG: kubeconfigPath, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    stateDir: join(dir.path, 'state'),
  });
  await core.start();
});
after(async () => {
  core?.stop();
  await fixture?.stop();
  dir.remove();
});

const services = () => core.serviceEnv(ENV).services.list();
const user = (): Service | undefined => services().find((s) => s.name === 'user-service');

test('a Deployment is a service with its pods as instances, as a Compose service is', async () => {
  await waitFor('the context connected', () => core.environments.list().find((e) => e.id === ENV)?.state === 'connected');
  assert.equal(await core.serviceEnv(ENV).whenSynced(10_000), true);
  await waitFor('user-service ready', () => user()?.healthy === 3, 15_000);
  const svc = user()!;
  assert.equal(svc.group, 'deployment');
  assert.equal(svc.project, 'fleetdeck-samples');
  assert.equal(svc.desired, 3);
  assert.equal(svc.running, 3);
  assert.match(svc.image, /user-service/);
  assert.ok(svc.instances.every((i) => i.state === 'running' && i.health === 'healthy'));
  assert.ok(services().some((s) => s.name === 'order-service'));
});

test('scaling a Deployment goes through its scale subresource; bad counts change nothing', async () => {
  const svc = user()!;
  await assert.rejects(core.servicesFor(svc.id).scale(svc.id, -1), /0 or more/);
  await assert.rejects(core.servicesFor(svc.id).scale(svc.id, 51), /At most 50/);
  const scaled = await core.servicesFor(svc.id).scale(svc.id, 1);
  assert.equal(scaled.desired, 1);
  await waitFor('one pod left', () => user()?.instances.filter((i) => i.state !== 'stopping').length === 1, 15_000);
  await core.api.methods['services.scale']({ serviceId: svc.id, replicas: 2 });
  await waitFor('two ready pods', () => user()?.healthy === 2 && user()?.instances.length === 2, 15_000);
});

test('a rolling restart replaces every pod, saying its progress in words, and answers once done; removing a pod gets it replaced', async () => {
  const svc = user()!;
  const before = new Set(svc.instances.map((i) => i.name));
  const said = new Set<string>();
  const d = core.serviceEnv(ENV).services;
  const note = () => {
    const m = user()?.operation?.message;
    if (m) said.add(m);
  };
  d.on('change', note);
  const done = await core.servicesFor(svc.id).rollingRestart(svc.id);
  d.off('change', note);
  assert.ok(
    [...said].some((m) => /^Updated \d of 2/.test(m)),
    `progress as kubectl rollout status says it: ${JSON.stringify([...said])}`,
  );
  assert.equal(done.operation, undefined, 'the answer comes once the rollout is over');
  const now = done.instances.filter((i) => i.state !== 'stopping');
  assert.equal(now.length, 2, JSON.stringify(done.instances.map((i) => [i.name, i.state, i.health])));
  assert.ok(
    now.every((i) => !before.has(i.name) && i.health === 'healthy'),
    'every pod replaced and ready when the restart answers',
  );
  assert.equal(done.running, 2);
  const victim = user()!.instances[0]!;
  await core.api.methods['instances.action']({ envId: ENV, instance: victim.name, action: 'remove' });
  await waitFor(
    'the pod replaced',
    () => {
      const now = user()?.instances.filter((i) => i.state !== 'stopping') ?? [];
      return now.length === 2 && !now.some((i) => i.name === victim.name);
    },
    15_000,
  );
  await assert.rejects(
    core.api.methods['instances.action']({ envId: ENV, instance: user()!.instances[0]!.name, action: 'stop' }) as Promise<unknown>,
    /cannot be stopped/,
  );
});

test('the logs of a Deployment follow all its pods, merged, with levels', async () => {
  // After the previous test a replaced pod may still be terminating: follow the live ones.
  await waitFor('only running pods', () => user()?.instances.every((i) => i.state === 'running'), 15_000);
  const svc = user()!;
  const events: LogEvent[] = [];
  const stop = core.api.streams['logs.follow']({ envId: ENV, serviceId: svc.id, tail: 5 } as never, { next: (e) => events.push(e), end: () => {} });
  try {
    const names = () => new Set(events.flatMap((e) => (e.kind === 'lines' ? e.entries.map((x) => x.instance) : [])));
    await waitFor('lines from both pods', () => svc.instances.every((i) => names().has(i.name)), 10_000);
    const line = events.flatMap((e) => (e.kind === 'lines' ? e.entries : []))[0]!;
    assert.ok(line.level, `a level from the JSON line: ${line.text}`);
    assert.ok(line.t > Date.now() - 60_000, 'the cluster timestamp became the time');
  } finally {
    stop();
  }
});

test('a Deployment’s CPU and memory come from the metrics API, per pod', async () => {
  const svc = user()!;
  const points: MetricPoint[] = [];
  const stop = core.api.streams['metrics.watch']({ envId: ENV, serviceId: svc.id }, { next: (e) => e.kind === 'point' && points.push(e.point), end: () => {} });
  try {
    await waitFor('a point for every pod', () => points.find((p) => Object.keys(p.instances).length === svc.instances.length), 10_000);
    const p = points.find((x) => Object.keys(x.instances).length === svc.instances.length)!;
    assert.ok(p.cpuPercent > 0 && p.memMiB > 0, JSON.stringify(p));
    assert.equal(p.rps, undefined, 'no request figures: pod addresses are never contacted');
    assert.equal(p.rxKBps, undefined);
  } finally {
    stop();
  }
});
