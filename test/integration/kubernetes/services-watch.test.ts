// Starts: the Kubernetes API fixture on 127.0.0.1 loaded with services-sample/k8s, and a Fleetdeck core
// pointed at it; a client session subscribed to services.watch gets a snapshot, then only what changes.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { ServicesEvent } from '../../../main/common/api';
import type { Service } from '../../../main/common/model';
import type { ServerMessage } from '../../../main/common/protocol';
import { applyServicesEvent } from '../../../main/common/services-feed';
import type { ApiSession } from '../../../main/core/api/session';
import { Core } from '../../../main/core/core';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { FAST, tempDir, waitFor } from '../kube-fixture/helpers';

const root = resolve(import.meta.dirname, '../../..');
const dir = tempDir('fd-kube-watch-');
const CTX = 'fleetdeck-watch';
const ENV = `kube:${CTX}`;
let fixture: KubeFixture;
let core: Core;
let session: ApiSession;
const events: { at: number; e: ServicesEvent }[] = [];
let held: Service[] = [];

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
    env: { ...process.env, KUBECONFIG: kubeconfigPath, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    stateDir: join(dir.path, 'state'),
  });
  await core.start();
  // Over the session's JSON, as a window gets it.
  session = core.session((text) => {
    const m = JSON.parse(text) as ServerMessage;
    if (m.type !== 'event' || m.id !== 1) return;
    const e = m.data as ServicesEvent;
    events.push({ at: Date.now(), e });
    held = applyServicesEvent(held, e);
  });
  session.receive(JSON.stringify({ type: 'subscribe', id: 1, stream: 'services.watch', params: { envId: ENV } }));
});
after(async () => {
  session?.close();
  core?.stop();
  await fixture?.stop();
  dir.remove();
});

const named = (name: string) => held.find((s) => s.name === name);
const settled = async (what: string, ok: () => boolean) => {
  await waitFor(what, () => ok() && Date.now() - (events.at(-1)?.at ?? 0) > 500, 20_000);
};

test('services.watch: a snapshot first, then only the service that changed; the client ends with the exact list', async () => {
  await settled('both sample services ready', () => named('user-service')?.healthy === 3 && (named('order-service')?.healthy ?? 0) > 0);
  assert.equal(events[0]!.e.kind, 'snapshot', 'the first event is a snapshot');
  assert.ok(
    events.slice(1).every(({ e }) => e.kind === 'changes'),
    'then only changes',
  );

  const order = named('order-service')!;
  const user = named('user-service')!;
  const mark = events.length;
  const target = order.desired + 1;
  await core.api.methods['services.scale']({ serviceId: order.id, replicas: target });
  await settled(`order-service at ${target}`, () => named('order-service')?.healthy === target && !named('order-service')?.operation);

  const after = events.slice(mark).map(({ e }) => e);
  assert.ok(after.length > 0);
  for (const e of after) {
    assert.equal(e.kind, 'changes');
    if (e.kind !== 'changes') continue;
    assert.deepEqual(
      [...e.upserts.map((s) => s.id), ...(e.patches ?? []).map((p) => p.service.id)],
      [order.id],
      'each event upserts (or patches) only the scaled service',
    );
    assert.deepEqual(e.removed, []);
    assert.equal(e.order, undefined, 'no order: nothing came or went');
  }
  assert.equal(named('user-service'), user, 'the untouched service is the same object on the client');
  assert.deepEqual(JSON.parse(JSON.stringify(held)), JSON.parse(JSON.stringify(core.serviceEnv(ENV).services.list())), 'the client holds the exact list');
});
