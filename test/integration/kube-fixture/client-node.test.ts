// Starts the Kubernetes API fixture (test/fixtures/kube-apiserver) on 127.0.0.1 with a bearer token, and once with TLS; drives it with @kubernetes/client-node.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { FAST, TESTDATA, tempDir, waitFor } from './helpers';

const NS = 'shop';
const TOKEN = 'fixture-secret-token';

function clientFor(f: KubeFixture, token = TOKEN): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(JSON.stringify(f.kubeconfig()));
  if (token !== TOKEN) kc.users[0] = { name: kc.users[0]!.name, token };
  return kc;
}

/** The code and Status of a failed call. (client-node leaves `body` undefined for 401, which its spec has no schema for.) */
async function apiError(p: Promise<unknown>): Promise<{ code: number; status: k8s.V1Status }> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof k8s.ApiException, `expected an ApiException, got ${String(e)}`);
    return { code: e.code, status: typeof e.body === 'string' ? (JSON.parse(e.body) as k8s.V1Status) : {} };
  }
  assert.fail('expected the call to fail');
}

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

describe('client-node against the Kubernetes API fixture', () => {
  let fixture: KubeFixture;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;
  const dir = tempDir('kube-fixture-cn-');

  const webPods = async (): Promise<k8s.V1Pod[]> =>
    (await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' })).items.filter((p) => !p.metadata?.deletionTimestamp);
  const readyWeb = async (n: number): Promise<k8s.V1Pod[] | undefined> => {
    const pods = await webPods();
    const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    return ready.length === n && pods.length === n ? ready : undefined;
  };

  before(async () => {
    fixture = await KubeFixture.start({
      token: TOKEN,
      readOnlyToken: 'viewer-token',
      controller: FAST,
      bookmarkIntervalMs: 200,
      kubeconfigPath: join(dir.path, 'kubeconfig'),
      load: [TESTDATA],
    });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(join(dir.path, 'kubeconfig'));
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
    await waitFor('2 ready web pods', () => readyWeb(2));
  });

  after(async () => {
    await fixture.stop();
    dir.remove();
  });

  test('the generated kubeconfig works and lists what the manifests created', async () => {
    assert.equal(kc.getCurrentContext(), 'fleetdeck-fixture');
    assert.equal(kc.getCurrentCluster()?.server, fixture.url);
    const deps = await apps.listNamespacedDeployment({ namespace: NS });
    assert.deepEqual(
      deps.items.map((d) => d.metadata?.name),
      ['web'],
    );
    assert.equal(deps.items[0]!.status?.readyReplicas, 2);
    assert.ok(deps.items[0]!.metadata?.creationTimestamp instanceof Date);
    const svcs = await core.listNamespacedService({ namespace: NS });
    assert.deepEqual(svcs.items.map((s) => s.metadata?.name).sort(), ['cache', 'web']);
    const ep = await core.readNamespacedEndpoints({ namespace: NS, name: 'web' });
    assert.equal(ep.subsets?.[0]?.addresses?.length, 2);
    assert.equal(ep.subsets?.[0]?.ports?.[0]?.port, 8080, 'the named targetPort resolves to the container port');
    const sts = await apps.readNamespacedStatefulSet({ namespace: NS, name: 'cache' });
    assert.equal(sts.spec?.replicas, 2);
    const all = await core.listPodForAllNamespaces({ labelSelector: 'app in (web,cache)' });
    assert.ok(all.items.length >= 3);
    const fieldSel = await core.listNamespacedPod({ namespace: NS, fieldSelector: 'status.phase=Running,metadata.name!=cache-0' });
    assert.ok(fieldSel.items.every((p) => p.status?.phase === 'Running' && p.metadata?.name !== 'cache-0'));
  });

  test('errors are Status objects with the right codes', async () => {
    const nf = await apiError(apps.readNamespacedDeployment({ namespace: NS, name: 'nope' }));
    assert.equal(nf.code, 404);
    assert.equal(nf.status.reason, 'NotFound');
    assert.equal(nf.status.message, 'deployments.apps "nope" not found');

    const web = await apps.readNamespacedDeployment({ namespace: NS, name: 'web' });
    const dup = await apiError(apps.createNamespacedDeployment({ namespace: NS, body: { ...web, metadata: { name: 'web' } } }));
    assert.equal(dup.code, 409);
    assert.equal(dup.status.reason, 'AlreadyExists');

    const stale = structuredClone(web);
    stale.metadata!.resourceVersion = '1';
    const conflict = await apiError(apps.replaceNamespacedDeployment({ namespace: NS, name: 'web', body: stale }));
    assert.equal(conflict.code, 409);
    assert.equal(conflict.status.reason, 'Conflict');

    const bad = await apiError(
      apps.createNamespacedDeployment({
        namespace: NS,
        body: {
          metadata: { name: 'bad' },
          spec: {
            replicas: -1,
            selector: { matchLabels: { a: 'b' } },
            template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
          },
        },
      }),
    );
    assert.equal(bad.code, 422);
    assert.equal(bad.status.reason, 'Invalid');
    assert.match(bad.status.message ?? '', /spec\.replicas/);

    const anon = clientFor(fixture, 'wrong-token').makeApiClient(k8s.CoreV1Api);
    const unauth = await apiError(anon.listNamespace());
    assert.equal(unauth.code, 401);
    const raw = await fetch(`${fixture.url}/api/v1/namespaces`);
    assert.equal(raw.status, 401);
    assert.deepEqual(await raw.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });

    const viewer = clientFor(fixture, 'viewer-token').makeApiClient(k8s.CoreV1Api);
    assert.ok((await viewer.listNamespacedPod({ namespace: NS })).items.length > 0, 'the read-only token can read');
    const forbidden = await apiError(viewer.deleteNamespacedPod({ namespace: NS, name: 'cache-0' }));
    assert.equal(forbidden.code, 403);
    assert.equal(forbidden.status.reason, 'Forbidden');
  });

  test('scale patch through the scale subresource rolls out more pods', async () => {
    const scale = await apps.patchNamespacedDeploymentScale(
      { namespace: NS, name: 'web', body: { spec: { replicas: 3 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.equal(scale.spec?.replicas, 3);
    assert.equal(scale.status?.selector, 'app=web');
    assert.equal((await apps.readNamespacedDeploymentScale({ namespace: NS, name: 'web' })).spec?.replicas, 3);
    await waitFor('3 ready web pods', () => readyWeb(3));
    const d = await waitFor('deployment status to show 3 ready', async () => {
      const x = await apps.readNamespacedDeployment({ namespace: NS, name: 'web' });
      return x.status?.readyReplicas === 3 && x.status.observedGeneration === x.metadata?.generation ? x : undefined;
    });
    assert.equal(d.status?.availableReplicas, 3);
    // JSON patch, the client's default patch type, works as well.
    await apps.patchNamespacedDeployment({ namespace: NS, name: 'web', body: [{ op: 'replace', path: '/spec/replicas', value: 2 }] });
    await waitFor('2 ready web pods after scale-down', () => readyWeb(2));
  });

  test('watch resumes from its resourceVersion after a server restart, and gets 410 for expired ones', async () => {
    const list = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' });
    let rv = list.metadata!.resourceVersion!;
    const seen: { type: string; name: string }[] = [];
    const readyByName = new Map<string, boolean>(list.items.map((p) => [p.metadata!.name!, true]));
    let done: (err: unknown) => void = () => {};
    const start = (fromRv: string): Promise<AbortController> =>
      new k8s.Watch(kc).watch(
        `/api/v1/namespaces/${NS}/pods`,
        { resourceVersion: fromRv, labelSelector: 'app=web', allowWatchBookmarks: true },
        (type, obj: k8s.V1Pod) => {
          rv = obj.metadata?.resourceVersion ?? rv;
          seen.push({ type, name: obj.metadata?.name ?? '' });
          if (type === 'ADDED' || type === 'MODIFIED')
            readyByName.set(obj.metadata!.name!, !!obj.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
          if (type === 'DELETED') readyByName.delete(obj.metadata!.name!);
        },
        (err) => done(err),
      );
    let ended = new Promise((r) => (done = r));
    await start(rv); // this watch ends when the server goes away
    await waitFor('a BOOKMARK', () => seen.some((e) => e.type === 'BOOKMARK'));

    // Restart the server, and scale up while it is down: the new pods are created and started meanwhile.
    const restarted = fixture.restart(400);
    await ended; // the watch ended when the server went away
    fixture.scaleWorkload('Deployment', NS, 'web', 4);
    await restarted;
    const eventsBeforeResume = seen.length;
    ended = new Promise((r) => (done = r));
    const ac = await start(rv);
    await waitFor('4 ready web pods', () => readyWeb(4));
    const pods = await webPods();
    // The events that happened while the server was down (pods becoming ready) arrive after the resume.
    await waitFor('the watch to see all 4 pods ready', () => pods.every((p) => readyByName.get(p.metadata!.name!) === true));
    const afterResume = seen.slice(eventsBeforeResume);
    assert.equal(afterResume.filter((e) => e.type === 'ADDED').length, 2, 'the 2 pods created while the server was down arrive after resuming');
    ac.abort();
    await ended;

    // An expired resourceVersion: an ERROR event with a 410 Status, then the stream ends.
    fixture.expireResourceVersions();
    const errors: k8s.V1Status[] = [];
    ended = new Promise((r) => (done = r));
    await new k8s.Watch(kc).watch(
      `/api/v1/namespaces/${NS}/pods`,
      { resourceVersion: list.metadata!.resourceVersion },
      (type, obj: k8s.V1Status) => {
        if (type === 'ERROR') errors.push(obj);
      },
      (err) => done(err),
    );
    assert.equal(await ended, null);
    assert.equal(errors[0]?.code, 410);
    assert.equal(errors[0]?.reason, 'Expired');
  });

  test('an informer keeps its cache in sync through 410 relists, dropped watches and a restart', async () => {
    const inf = k8s.makeInformer<k8s.V1Pod>(
      kc,
      `/api/v1/namespaces/${NS}/pods`,
      () => core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web' }),
      'app=web',
    );
    const added = new Set<string>();
    const deleted = new Set<string>();
    inf.on('add', (p) => added.add(p.metadata!.name!));
    inf.on('delete', (p) => deleted.add(p.metadata!.name!));
    let restarts = 0;
    inf.on('error', () => {
      restarts++;
      if (restarts < 20) setTimeout(() => void inf.start().catch(() => {}), 100);
    });
    await inf.start();
    try {
      const inSync = async (): Promise<boolean> => {
        const want = (await webPods()).map((p) => p.metadata!.name!).sort();
        const have = inf
          .list(NS)
          .filter((p) => !p.metadata?.deletionTimestamp)
          .map((p) => p.metadata!.name!)
          .sort();
        return JSON.stringify(want) === JSON.stringify(have) && want.length > 0;
      };
      await waitFor('the informer cache to match the pods', inSync);
      assert.equal(added.size, (await webPods()).length);

      await apps.patchNamespacedDeploymentScale(
        { namespace: NS, name: 'web', body: { spec: { replicas: 2 } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await waitFor('2 ready web pods', () => readyWeb(2));
      await waitFor('delete events for the removed pods', () => deleted.size >= 2);
      await waitFor('the informer to be in sync after scale-down', inSync);

      fixture.dropWatches();
      fixture.expireResourceVersions();
      await fixture.restart(200);
      await apps.patchNamespacedDeploymentScale(
        { namespace: NS, name: 'web', body: { spec: { replicas: 3 } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await waitFor('3 ready web pods', () => readyWeb(3));
      await waitFor('the informer to catch up after the restart', inSync, 15_000);
    } finally {
      await inf.stop();
    }
  });

  test('Log follows a pod with tailLines and timestamps', async () => {
    const pod = (await webPods())[0]!;
    const out = new PassThrough();
    out.on('pipe', (src) => src.on('error', () => {}));
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const ac = await new k8s.Log(kc).log(NS, pod.metadata!.name!, 'web', out, { follow: true, tailLines: 2, timestamps: true });
    await waitFor('5 log lines', () => text.split('\n').filter(Boolean).length >= 5, 5000);
    ac.abort();
    out.end();
    const lines = text.split('\n').filter(Boolean);
    for (const l of lines) {
      const [ts, ...rest] = l.split(' ');
      assert.ok(!Number.isNaN(Date.parse(ts!)), `timestamp prefix in ${l}`);
      const entry = JSON.parse(rest.join(' ')) as { hostname: string; level: string; msg: string };
      assert.equal(entry.hostname, pod.metadata!.name);
    }
    // Non-follow with tailLines returns exactly that many.
    const plain = new Collect();
    await new k8s.Log(kc).log(NS, pod.metadata!.name!, 'web', plain, { tailLines: 3 });
    await waitFor('the log stream to end', () => plain.writableFinished || plain.text.split('\n').filter(Boolean).length === 3, 2000);
    assert.equal(plain.text.split('\n').filter(Boolean).length, 3);
  });

  test('Exec runs built-in commands and reports exit codes', async () => {
    const pod = (await webPods())[0]!.metadata!.name!;
    const run = async (cmd: string[], stdinText?: string): Promise<{ out: string; err: string; status: k8s.V1Status }> => {
      const out = new Collect();
      const err = new Collect();
      const stdin = stdinText === undefined ? null : new PassThrough();
      const status = await new Promise<k8s.V1Status>((resolve, reject) => {
        new k8s.Exec(kc).exec(NS, pod, 'web', cmd, out, err, stdin, false, resolve).then(() => {
          if (stdin) stdin.end(stdinText);
        }, reject);
      });
      return { out: out.text, err: err.text, status };
    };
    const hi = await run(['echo', 'hi']);
    assert.equal(hi.out, 'hi\n');
    assert.equal(hi.status.status, 'Success');
    const host = await run(['sh', '-c', 'hostname && echo "$SERVICE_NAME"; cat /etc/nope; exit 3']);
    assert.equal(host.out, `${pod}\nweb\n`);
    assert.equal(host.err, 'cat: /etc/nope: No such file or directory\n');
    assert.equal(host.status.status, 'Failure');
    assert.equal(host.status.reason, 'NonZeroExitCode');
    assert.equal(host.status.details?.causes?.[0]?.message, '3');
    const shell = await run(['sh'], 'echo from stdin\nls /app\nexit 4\n');
    assert.match(shell.out, /from stdin\n/);
    assert.match(shell.out, /package\.json\nserver\.js\n/);
    assert.equal(shell.status.details?.causes?.[0]?.message, '4');
  });

  test('Metrics returns pod and node usage that moves', async () => {
    const metrics = new k8s.Metrics(kc);
    const first = await metrics.getPodMetrics(NS);
    const names = (await core.listNamespacedPod({ namespace: NS, fieldSelector: 'status.phase=Running' })).items.map((p) => p.metadata!.name).sort();
    assert.deepEqual(first.items.map((m) => m.metadata.name).sort(), names);
    for (const m of first.items) {
      assert.match(m.containers[0]!.usage.cpu, /^\d+n$/);
      assert.match(m.containers[0]!.usage.memory, /^\d+Ki$/);
    }
    await new Promise((r) => setTimeout(r, 50));
    const second = await metrics.getPodMetrics(NS);
    assert.notDeepEqual(
      second.items.map((m) => m.containers[0]!.usage.cpu),
      first.items.map((m) => m.containers[0]!.usage.cpu),
      'CPU figures change between samples',
    );
    const nodes = await metrics.getNodeMetrics();
    assert.equal(nodes.items[0]?.metadata.name, 'fixture-node');
    const top = await k8s.topPods(core, metrics, NS);
    assert.equal(top.length, names.length);
    assert.ok(top.every((p) => Number(p.CPU.CurrentUsage) > 0 && Number(p.Memory.CurrentUsage) > 0));
  });

  test('raw protocol: Table, limit/continue, 406, and delete with grace period', async () => {
    const headers = { Authorization: `Bearer ${TOKEN}` };
    const tableRes = await fetch(`${fixture.url}/api/v1/namespaces/${NS}/pods`, {
      headers: { ...headers, Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
    });
    const table = (await tableRes.json()) as { kind: string; columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
    assert.equal(table.kind, 'Table');
    assert.deepEqual(table.columnDefinitions.map((c) => c.name).slice(0, 5), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    assert.ok(table.rows.some((r) => r.cells[1] === '1/1' && r.cells[2] === 'Running'));

    const proto = await fetch(`${fixture.url}/api/v1/namespaces/${NS}/pods`, { headers: { ...headers, Accept: 'application/vnd.kubernetes.protobuf' } });
    assert.equal(proto.status, 406);

    const page1 = await core.listNamespacedPod({ namespace: NS, limit: 2 });
    assert.equal(page1.items.length, 2);
    assert.ok(page1.metadata?._continue);
    const page2 = await core.listNamespacedPod({ namespace: NS, limit: 100, _continue: page1.metadata!._continue! });
    const all = await core.listNamespacedPod({ namespace: NS });
    assert.deepEqual(
      [...page1.items, ...page2.items].map((p) => p.metadata?.name),
      all.items.map((p) => p.metadata?.name),
    );
    fixture.expireResourceVersions({ dropWatches: false });
    const expired = await apiError(core.listNamespacedPod({ namespace: NS, limit: 1, _continue: page1.metadata!._continue! }));
    assert.equal(expired.code, 410);

    // Deleting a pod: it shows Terminating (deletionTimestamp) until its grace period is over, and its ReplicaSet replaces it.
    const victim = (await webPods())[0]!.metadata!.name!;
    const deleted = (await core.deleteNamespacedPod({ namespace: NS, name: victim })) as k8s.V1Pod;
    assert.ok(deleted.metadata?.deletionTimestamp, 'the response shows the pod terminating');
    await waitFor('the pod to be gone', async () => (await core.listNamespacedPod({ namespace: NS })).items.every((p) => p.metadata?.name !== victim));
    await waitFor('a replacement pod', () => readyWeb(3));
  });
});

describe('client-node against the fixture over TLS', () => {
  let fixture: KubeFixture;
  before(async () => {
    fixture = await KubeFixture.start({ tls: true, token: 't', controller: FAST });
  });
  after(async () => {
    await fixture.stop();
  });

  test('the kubeconfig carries the self-signed CA and requests verify it', async () => {
    assert.ok(fixture.url.startsWith('https://127.0.0.1:'));
    const kc = new k8s.KubeConfig();
    kc.loadFromString(JSON.stringify(fixture.kubeconfig()));
    assert.equal(kc.getCurrentCluster()?.skipTLSVerify, false);
    assert.ok(kc.getCurrentCluster()?.caData);
    const ns = await kc.makeApiClient(k8s.CoreV1Api).listNamespace();
    assert.deepEqual(ns.items.map((n) => n.metadata?.name).sort(), ['default', 'kube-public', 'kube-system']);
    // Without the CA, verification fails.
    const kc2 = new k8s.KubeConfig();
    const raw = fixture.kubeconfig() as { clusters: { cluster: Record<string, unknown> }[] };
    delete raw.clusters[0]!.cluster['certificate-authority-data'];
    kc2.loadFromString(JSON.stringify(raw));
    await assert.rejects(kc2.makeApiClient(k8s.CoreV1Api).listNamespace());
  });
});
