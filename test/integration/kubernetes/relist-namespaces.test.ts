// Starts: the Kubernetes API fixture on 127.0.0.1 (loaded with services-sample/k8s), killed and
// replaced by another fixture on the same port with other pods; and a fixture with two namespaces
// of Deployments. KubeServices against them: after the API returns, the list equals what the
// new server has (no ghost, no duplicate), its health says when it is away, and only the picked
// namespaces are watched.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import type * as K8s from '@kubernetes/client-node';
import type { Service } from '../../../main/common/model';
import { clientNode } from '../../../main/core/kubernetes/kubeconfig';
import { KubeServices, type KubeHealth } from '../../../main/core/kubernetes/kube-services';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { RESOURCES } from '../../fixtures/kube-apiserver/resources';
import type { KubeObject } from '../../fixtures/kube-apiserver/types';
import { FAST, tempDir, waitFor } from '../kube-fixture/helpers';

const root = resolve(import.meta.dirname, '../../..');
const dir = tempDir('fd-kube-relist-');
const CTX = 'relist-fixture';
const NS = 'fleetdeck-samples';
const open: { stop(): unknown }[] = [];
after(async () => {
  for (const o of open.reverse()) await o.stop();
  dir.remove();
});

async function configAt(path: string): Promise<K8s.KubeConfig> {
  const k8s = await clientNode();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(path);
  kc.setCurrentContext(CTX);
  return kc;
}

/** Pod names of a Deployment as the fixture holds them (what `kubectl get pods` would list). */
function podsOf(f: KubeFixture, ns: string, app: string): string[] {
  const pods = RESOURCES.find((r) => r.kind === 'Pod')!;
  return f.store
    .list(pods, ns)
    .filter((p) => p.metadata.labels?.['app.kubernetes.io/name'] === app && !p.metadata.deletionTimestamp)
    .map((p) => p.metadata.name!)
    .sort();
}
const names = (s: Service | undefined) => (s?.instances.filter((i) => i.state !== 'stopping').map((i) => i.name) ?? []).sort();

test('the API killed and another one started on the same port: health goes bad within 5 s, then the list is exactly the new server’s', async () => {
  const kubeconfigPath = join(dir.path, 'config-a');
  const load = [join(root, 'services-sample/k8s')];
  let fixture = await KubeFixture.start({ kubeconfigPath, contextName: CTX, namespace: NS, load, controller: FAST });
  const port = Number(new URL(fixture.url).port);
  open.push({ stop: () => fixture.stop() });
  const svc = new KubeServices(`kube:${CTX}`, NS, 50);
  open.push(svc);
  const health: KubeHealth[] = [];
  svc.on('health', (h) => health.push(h));
  await svc.start(await configAt(kubeconfigPath));
  const user = () => svc.list().find((s) => s.name === 'user-service');
  await waitFor('3 ready pods', () => user()?.healthy === 3 && names(user()).length === 3, 15_000);
  assert.equal(svc.health.ok, true);
  const before = names(user());

  await fixture.stop();
  const down = Date.now();
  await waitFor('health reports the API gone', () => !svc.health.ok, 5_000);
  assert.ok(Date.now() - down < 5_000);
  assert.ok(svc.health.error, `an error says why: ${JSON.stringify(svc.health)}`);
  assert.deepEqual(names(user()), before, 'while away, the last list stays');

  // A different server on the same port: same manifests, so other pods (other names, uids, resourceVersions).
  fixture = await KubeFixture.start({ port, kubeconfigPath: join(dir.path, 'config-b'), contextName: CTX, namespace: NS, load, controller: FAST });
  await waitFor('health ok again', () => svc.health.ok, 10_000);
  await waitFor('the new pods ready', () => podsOf(fixture, NS, 'user-service').length === 3 && user()?.healthy === 3, 15_000).catch((e: Error) => {
    throw new Error(
      `${e.message}; fixture: ${podsOf(fixture, NS, 'user-service').join(', ')}; listed: ${user()
        ?.instances.map((i) => `${i.name}:${i.state}/${i.health}`)
        .join(', ')}; health ${JSON.stringify(svc.health)}`,
    );
  });
  await waitFor('the list equals the new server', () => JSON.stringify(names(user())) === JSON.stringify(podsOf(fixture, NS, 'user-service')), 10_000);
  const now = names(user());
  assert.equal(now.filter((n) => before.includes(n)).length, 0, `no ghost of the old server: ${now.join(', ')}`);
  assert.equal(new Set(now).size, now.length, 'no duplicate');
  assert.equal(
    user()!.instances.length,
    3,
    `3/3, not 6/3: ${user()!
      .instances.map((i) => `${i.name}:${i.state}`)
      .join(', ')}`,
  );
  assert.ok(health.some((h) => !h.ok) && health.at(-1)!.ok, `health went bad, then ok: ${JSON.stringify(health)}`);

  // Swapped at once, before any retry: a watch resumed from the old resourceVersion would take the new server's replay as news.
  const second = names(user());
  await fixture.stop();
  fixture = await KubeFixture.start({ port, kubeconfigPath: join(dir.path, 'config-c'), contextName: CTX, namespace: NS, load, controller: FAST });
  await waitFor(
    'the third server’s pods listed, and only them',
    () => {
      const want = podsOf(fixture, NS, 'user-service');
      return want.length === 3 && JSON.stringify(names(user())) === JSON.stringify(want) && user()!.instances.length === 3 && svc.health.ok;
    },
    15_000,
  ).catch((e: Error) => {
    throw new Error(
      `${e.message}; fixture: ${podsOf(fixture, NS, 'user-service').join(', ')}; listed: ${user()
        ?.instances.map((i) => i.name)
        .join(', ')}`,
    );
  });
  assert.equal(names(user()).filter((n) => second.includes(n)).length, 0);
});

test('only the picked namespaces are watched; unpicking one removes its services, the others keep their objects', async () => {
  const kubeconfigPath = join(dir.path, 'config-ns');
  const requests: string[] = [];
  const fixture = await KubeFixture.start({
    kubeconfigPath,
    contextName: CTX,
    namespace: 'alpha',
    controller: { ...FAST, logIntervalMs: 0 },
    onRequest: (l) => requests.push(l),
  });
  open.push(fixture);
  const R = (kind: string) => RESOURCES.find((r) => r.kind === kind && r.group !== 'metrics.k8s.io')!;
  for (const ns of ['alpha', 'beta', 'gamma']) {
    fixture.store.create(R('Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KubeObject);
    fixture.store.create(R('Deployment'), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'web:1' }] } },
      },
    } as KubeObject);
  }
  const svc = new KubeServices(`kube:${CTX}`, 'alpha', 50);
  open.push(svc);
  await svc.start(await configAt(kubeconfigPath));
  const projects = () =>
    svc
      .list()
      .map((s) => s.project)
      .sort();
  const ready = (ns: string) => svc.list().find((s) => s.project === ns)?.healthy === 2;
  await waitFor('alpha/web ready', () => ready('alpha'), 10_000);
  assert.deepEqual(projects(), ['alpha']);
  assert.deepEqual(svc.namespaces, ['alpha']);

  await svc.setNamespaces(['beta', 'alpha']);
  await waitFor('beta/web ready', () => ready('beta'), 10_000);
  assert.deepEqual(projects(), ['alpha', 'beta']);
  const alpha = svc.list().find((s) => s.project === 'alpha')!;
  await svc.setNamespaces(['alpha']);
  assert.deepEqual(projects(), ['alpha'], 'beta unpicked: its service is gone');
  assert.equal(
    svc.list().find((s) => s.project === 'alpha'),
    alpha,
    'alpha, watched before and after, is the same object',
  );
  assert.equal(svc.podRef(alpha.instances[0]!.name)?.ns, 'alpha');

  requests.length = 0;
  await svc.setNamespaces('all');
  await waitFor('every namespace', () => ready('beta') && ready('gamma'), 10_000);
  assert.deepEqual(projects(), ['alpha', 'beta', 'gamma']);
  assert.ok(
    requests.some((l) => /\/api\/v1\/pods\?/.test(l)),
    `cluster-wide pods list: ${requests.slice(0, 8).join(' | ')}`,
  );
  assert.ok(!requests.some((l) => /namespaces\/\w+\/pods/.test(l)), 'no per-namespace watches with all');
  const inAll = svc.list();
  assert.equal(new Set(inAll.map((s) => s.id)).size, inAll.length, 'no duplicate services when switching');
  await assert.rejects(svc.setNamespaces(['Not_A_Namespace']), /not a namespace/);
});
