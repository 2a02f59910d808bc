// Starts: the Kubernetes API fixture on 127.0.0.1 with a Deployment whose pod takes a password
// from a Secret, and a Fleetdeck core pointed at it: inspect tells the pod as kubectl describe does.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CoreV1Api, KubeConfig, loadAllYaml } from '@kubernetes/client-node';
import { ApiError } from '../../../main/common/errors';
import { inspectPod, revealPodEnv } from '../../../main/core/kubernetes/kube-inspect';
import type { InstanceInspect } from '../../../main/common/model';
import { Core } from '../../../main/core/core';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { FAST, tempDir, waitFor } from '../kube-fixture/helpers';

const dir = tempDir('fd-kube-inspect-');
const CTX = 'fleetdeck-fixture';
const ENV = `kube:${CTX}`;
const NS = 'insp';
let fixture: KubeFixture;
let core: Core;

const MANIFEST = `
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
apiVersion: v1
kind: Secret
metadata: { name: db-creds, namespace: ${NS} }
type: Opaque
data: { password: ${Buffer.from('hunter2').toString('base64')} }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: app, namespace: ${NS} }
data: { url: 'http://db:5432' }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: ${NS}, labels: { app: api } }
spec:
  replicas: 1
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api, tier: backend } }
    spec:
      containers:
        - name: api
          image: fleetdeck/api:2.1
          ports: [{ name: http, containerPort: 8080 }]
          env:
            - { name: LOG_LEVEL, value: debug }
            - { name: API_TOKEN, value: tok-literal-123 }
            - name: DB_PASSWORD
              valueFrom: { secretKeyRef: { name: db-creds, key: password } }
            - name: DB_URL
              valueFrom: { configMapKeyRef: { name: app, key: url } }
            - name: POD_NAME
              valueFrom: { fieldRef: { fieldPath: metadata.name } }
          volumeMounts:
            - { name: config, mountPath: /etc/app, readOnly: true }
      volumes:
        - name: config
          configMap: { name: app }
`;

before(async () => {
  const kubeconfigPath = join(dir.path, 'config');
  const manifest = join(dir.path, 'inspect.yaml');
  writeFileSync(manifest, MANIFEST);
  fixture = await KubeFixture.start({
    kubeconfigPath,
    contextName: CTX,
    namespace: NS,
    token: 'insp-token',
    readOnlyToken: 'insp-view',
    load: [manifest],
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

async function podInspect(): Promise<InstanceInspect> {
  const env = core.serviceEnv(ENV);
  await waitFor('the context connected', () => core.environments.list().find((e) => e.id === ENV)?.state === 'connected');
  assert.equal(await env.whenSynced(10_000), true);
  const svc = await waitFor('api ready', () => env.services.list().find((s) => s.name === 'api' && s.healthy === 1), 15_000);
  const pod = svc.instances[0]!;
  // Started is recorded once the container runs; the list may be a moment ahead of it.
  return waitFor(
    'the Started event',
    async () => {
      const got = await core.api.methods['instances.inspect']({ envId: ENV, instance: pod.name });
      return got.events?.some((e) => e.reason === 'Started') ? got : undefined;
    },
    10_000,
  );
}

test('inspect of a pod tells its node, phase, conditions and events, as kubectl describe does', async () => {
  const got = await podInspect();
  assert.equal(got.kind, 'pod');
  assert.match(got.instance, /^api-[a-z0-9]+-[a-z0-9]{5}$/);
  const fact = (label: string) => got.facts.find((f) => f.label === label)?.value;
  assert.equal(fact('Node'), 'fixture-node');
  assert.equal(fact('Phase'), 'Running');
  assert.equal(fact('Namespace'), NS);
  assert.match(fact('Pod IP') ?? '', /^10\.244\.0\.\d+$/);
  assert.match(fact('Controlled by') ?? '', /^ReplicaSet\/api-/);
  assert.match(fact('Container api') ?? '', /^fleetdeck\/api:2\.1 · ready · 0 restarts · running since /);

  const cond = (type: string) => got.conditions?.find((c) => c.type === type);
  assert.equal(cond('Ready')?.status, 'True');
  assert.equal(cond('PodScheduled')?.status, 'True');

  const reasons = got.events!.map((e) => e.reason);
  for (const r of ['Scheduled', 'Pulled', 'Created', 'Started']) assert.ok(reasons.includes(r), `${r} among ${reasons.join(', ')}`);
  assert.ok(reasons.indexOf('Scheduled') < reasons.indexOf('Started'), 'newest last');
  assert.match(got.events!.find((e) => e.reason === 'Scheduled')!.message, new RegExp(`Successfully assigned ${NS}/${got.instance} to fixture-node`));
  assert.ok(got.events!.every((e) => e.count >= 1 && e.last > 0));

  assert.equal(got.labels['tier'], 'backend');
  assert.deepEqual(got.ports, [{ containerPort: 8080, protocol: 'tcp' }]);
  assert.deepEqual(got.mounts, [{ source: 'config: configmap app', destination: '/etc/app', mode: 'ro', type: 'configMap' }]);
});

test('env shows literals, masks secret-looking ones and says where the others come from', async () => {
  const got = await podInspect();
  const byName = Object.fromEntries(got.env.map((e) => [e.name, e]));
  assert.deepEqual(byName['LOG_LEVEL'], { name: 'LOG_LEVEL', secret: false, value: 'debug' });
  assert.deepEqual(byName['API_TOKEN'], { name: 'API_TOKEN', secret: true });
  assert.deepEqual(byName['DB_PASSWORD'], { name: 'DB_PASSWORD', secret: true, from: 'secret db-creds/password' });
  assert.deepEqual(byName['DB_URL'], { name: 'DB_URL', secret: false, from: 'configmap app/url' });
  assert.deepEqual(byName['POD_NAME'], { name: 'POD_NAME', secret: false, from: 'field metadata.name' });
  const text = JSON.stringify(got);
  assert.ok(!text.includes('tok-literal-123') && !text.includes('hunter2'), 'no kept-back value in the answer, raw YAML included');

  const reveal = (name: string) => core.api.methods['instances.revealEnv']({ envId: ENV, instance: got.instance, name });
  assert.deepEqual(await reveal('API_TOKEN'), { name: 'API_TOKEN', value: 'tok-literal-123' });
  assert.deepEqual(await reveal('DB_PASSWORD'), { name: 'DB_PASSWORD', value: 'hunter2' });
  await assert.rejects(async () => reveal('NOPE'), /has no variable NOPE/);
});

test('the raw view is the pod as YAML without managedFields, secret-looking literals masked', async () => {
  const got = await podInspect();
  assert.equal(got.raw.format, 'yaml');
  // client-node's own YAML reader: what a user pasting it into kubectl would get.
  const [doc] = loadAllYaml(got.raw.text) as {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string; managedFields?: unknown };
    spec: { nodeName: string; containers: { env: { name: string; value?: string }[] }[] };
    status: { phase: string };
  }[];
  assert.equal(doc!.apiVersion, 'v1');
  assert.equal(doc!.kind, 'Pod');
  assert.equal(doc!.metadata.name, got.instance);
  assert.equal(doc!.metadata.namespace, NS);
  assert.equal(doc!.metadata.managedFields, undefined);
  assert.equal(doc!.spec.nodeName, 'fixture-node');
  assert.equal(doc!.status.phase, 'Running');
  const env = doc!.spec.containers[0]!.env;
  assert.equal(env.find((e) => e.name === 'API_TOKEN')?.value, '••••••');
  assert.equal(env.find((e) => e.name === 'LOG_LEVEL')?.value, 'debug');
  // Times as the API server writes them, whole seconds.
  assert.match(got.raw.text, /creationTimestamp: '?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ'?\n/);
});

test('an account that may not read Secrets still inspects the pod, and Show says it is not allowed', async () => {
  const { instance } = await podInspect();
  // The fixture's read-only token is the built-in view role: pods and events yes, Secrets no.
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'v', server: fixture.url, skipTLSVerify: true }],
    users: [{ name: 'v', token: 'insp-view' }],
    contexts: [{ name: 'v', cluster: 'v', user: 'v', namespace: NS }],
    currentContext: 'v',
  });
  const got = await inspectPod(kc, ENV, NS, instance);
  assert.ok(got.events!.some((e) => e.reason === 'Scheduled'));
  assert.deepEqual(await revealPodEnv(kc, NS, instance, 'API_TOKEN'), 'tok-literal-123');
  await assert.rejects(
    () => revealPodEnv(kc, NS, instance, 'DB_PASSWORD'),
    (e: unknown) =>
      e instanceof ApiError &&
      e.code === 'FORBIDDEN' &&
      /Could not read secret db-creds for DB_PASSWORD: access forbidden \(403\)/.test(e.message) &&
      /not allowed to read secret insp\/db-creds/.test(e.hint ?? ''),
  );
  await assert.rejects(() => kc.makeApiClient(CoreV1Api).readNamespacedSecret({ name: 'db-creds', namespace: NS }), /403/);
});
