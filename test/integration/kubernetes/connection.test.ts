// Starts: the Kubernetes API fixture on 127.0.0.1 (services-sample/k8s), a Fleetdeck core on it; then
// kills the fixture and starts a fresh one on the same port with other objects. Runs the real kubectl.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import type { Service } from '../../../main/common/model';
import { Core } from '../../../main/core/core';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { FAST, tempDir, waitFor } from '../kube-fixture/helpers';

const root = resolve(import.meta.dirname, '../../..');
const dir = tempDir('fd-kube-conn-');
const CTX = 'conn-fixture';
const ENV = `kube:${CTX}`;
const NS = 'fleetdeck-samples';
const KUBECTL = process.env['KUBECTL'] ?? 'kubectl';
const kubeconfigPath = join(dir.path, 'config');
const fixtures: KubeFixture[] = [];
let core: Core | undefined;
after(async () => {
  core?.stop();
  for (const f of fixtures) await f.stop().catch(() => {});
  dir.remove();
});

function hasKubectl(): boolean {
  try {
    execFileSync(KUBECTL, ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What kubectl sees: each Deployment's desired replicas and its pods' names (async: the fixture runs in this process). */
async function kubectlView(): Promise<Record<string, { desired: number; pods: string[] }>> {
  const get = async (what: string) =>
    JSON.parse(
      (await promisify(execFile)(KUBECTL, ['--kubeconfig', kubeconfigPath, '-n', NS, 'get', what, '-o', 'json', '--request-timeout=5s'], { encoding: 'utf8' }))
        .stdout,
    ) as {
      items: {
        metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
        spec?: { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
      }[];
    };
  const pods = (await get('pods')).items.filter((p) => !p.metadata.deletionTimestamp);
  const out: Record<string, { desired: number; pods: string[] }> = {};
  for (const d of (await get('deployments')).items) {
    const sel = Object.entries(d.spec?.selector?.matchLabels ?? {});
    out[d.metadata.name] = {
      desired: d.spec?.replicas ?? 1,
      pods: pods
        .filter((p) => sel.every(([k, v]) => p.metadata.labels?.[k] === v))
        .map((p) => p.metadata.name)
        .sort(),
    };
  }
  return out;
}

function panelView(list: Service[]): Record<string, { desired: number; pods: string[] }> {
  return Object.fromEntries(
    list.filter((s) => s.group === 'deployment').map((s) => [s.name, { desired: s.desired, pods: s.instances.map((i) => i.name).sort() }]),
  );
}

/** Another cluster on the same address: user-service again (new pods), order-service gone, cart-service new. */
function otherManifests(): string {
  const file = join(dir.path, 'other.yaml');
  const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${NS}, labels: { app.kubernetes.io/name: ${name} } }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app.kubernetes.io/name: ${name} } }
  template:
    metadata: { labels: { app.kubernetes.io/name: ${name} } }
    spec: { containers: [{ name: ${name}, image: "fleetdeck/${name}:dev" }] }
`;
  writeFileSync(file, `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${NS} }\n---\n${deployment('user-service', 3)}---\n${deployment('cart-service', 2)}`);
  return file;
}

test(
  'a cluster that goes away shows unreachable within 5 s with its services kept; a new one on the same port is listed afresh, as kubectl shows it',
  { skip: hasKubectl() ? false : `kubectl not found (${KUBECTL})` },
  async () => {
    const first = await KubeFixture.start({ kubeconfigPath, contextName: CTX, namespace: NS, load: [join(root, 'services-sample/k8s')], controller: FAST });
    fixtures.push(first);
    const port = first.port;
    core = new Core({
      mode: 'cli',
      env: { ...process.env, KUBECONFIG: kubeconfigPath, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      stateDir: join(dir.path, 'state'),
    });
    await core.start();
    const env = core.environments.get(ENV);
    const state = () => core!.environments.list().find((e) => e.id === ENV)?.state;
    await waitFor('connected', () => state() === 'connected');
    assert.equal(await env.whenSynced(10_000), true);
    await waitFor('the panel equals kubectl', async () => JSON.stringify(panelView(env.services.list())) === JSON.stringify(await kubectlView()), 10_000);
    const before = panelView(env.services.list());
    assert.deepEqual(Object.keys(before).sort(), ['order-service', 'user-service']);

    await first.stop();
    const lostAt = Date.now();
    await waitFor('unreachable', () => state() === 'unreachable', 5_000, 20);
    assert.ok(Date.now() - lostAt <= 5_000, `unreachable after ${Date.now() - lostAt} ms`);
    assert.match(core.environments.list().find((e) => e.id === ENV)!.problem ?? '', /Cannot reach cluster "conn-fixture"/);
    assert.deepEqual(panelView(env.services.list()), before, 'the last state is kept while the cluster is away');
    await assert.rejects(env.services.scale(env.services.list()[0]!.id, 1), /unreachable/, 'actions say the cluster is away instead of hanging');

    const second = await KubeFixture.start({
      port,
      kubeconfigPath: join(dir.path, 'unused-config'),
      contextName: CTX,
      namespace: NS,
      load: [otherManifests()],
      controller: FAST,
    });
    fixtures.push(second);
    await waitFor('connected again', () => state() === 'connected', 20_000);
    await waitFor(
      'the panel equals kubectl on the new cluster',
      async () => {
        const want = await kubectlView();
        return want['user-service']?.pods.length === 3 && JSON.stringify(panelView(env.services.list())) === JSON.stringify(want);
      },
      15_000,
    );
    const now = env.services.list();
    assert.deepEqual(now.map((s) => s.name).sort(), ['cart-service', 'user-service'], 'no ghost of order-service');
    const user = now.find((s) => s.name === 'user-service')!;
    assert.equal(user.desired, 3);
    assert.equal(user.instances.length, 3, 'not 6/3: the old pods are gone');
    assert.equal(new Set(user.instances.map((i) => i.id)).size, 3, 'no duplicate');
    for (const p of before['user-service']!.pods) assert.ok(!user.instances.some((i) => i.name === p), `old pod ${p} is not shown`);
  },
);
