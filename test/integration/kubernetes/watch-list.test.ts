// Starts: the Kubernetes API fixture on 127.0.0.1 loaded with services-sample/k8s, a counting HTTP proxy
// in front of it (which can refuse watch-lists, as a server without the WatchList feature does), and
// Fleetdeck cores through the proxy: the first list is one stream where the server has it, pages where not.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { Core } from '../../../main/core/core';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { FAST, tempDir, waitFor } from '../kube-fixture/helpers';

const root = resolve(import.meta.dirname, '../../..');
const dir = tempDir('fd-kube-watchlist-');
const CTX = 'fleetdeck-watchlist';
const ENV = `kube:${CTX}`;
let fixture: KubeFixture;
let proxy: http.Server;
let refuseWatchList = false;
const seen: string[] = [];

before(async () => {
  fixture = await KubeFixture.start({ contextName: CTX, namespace: 'fleetdeck-samples', load: [join(root, 'services-sample/k8s')], controller: FAST });
  const target = new URL(fixture.url);
  proxy = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    if (refuseWatchList && req.url?.includes('sendInitialEvents=')) {
      // What apimachinery answers with the WatchList feature off.
      res.writeHead(422, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Invalid', code: 422, message: 'sendInitialEvents is forbidden' }));
      return;
    }
    const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
});
after(async () => {
  proxy?.closeAllConnections();
  proxy?.close();
  await fixture?.stop();
  dir.remove();
});

/** The requests a core made to list the samples, once `done` holds for them (the watch after a paged list comes just after it). */
async function listedThroughProxy(name: string, done: (urls: string[]) => boolean = () => true): Promise<string[]> {
  const kc = fixture.kubeconfig() as { clusters: { cluster: { server: string } }[] };
  kc.clusters[0]!.cluster.server = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const path = join(dir.path, `${name}.kubeconfig`);
  writeFileSync(path, JSON.stringify(kc), { mode: 0o600 });
  seen.length = 0;
  const core = new Core({
    mode: 'cli',
    env: { ...process.env, KUBECONFIG: path, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    stateDir: join(dir.path, `${name}-state`),
  });
  await core.start();
  try {
    const d = core.serviceEnv(ENV).services;
    d.list(); // opens the context
    await waitFor(
      'both sample services with their pods',
      () => d.list().find((s) => s.name === 'user-service')?.instances.length === 3 && d.list().some((s) => s.name === 'order-service'),
      15_000,
    );
    await waitFor('the requests expected', () => done(seen), 15_000);
    return [...seen];
  } finally {
    core.stop();
  }
}

const podRequests = (urls: string[]) => urls.filter((u) => u.startsWith('/api/v1/namespaces/fleetdeck-samples/pods'));

test('the first list is one watch-list stream: no paged list of pods', async () => {
  const pods = podRequests(await listedThroughProxy('stream'));
  assert.ok(
    pods.some((u) => u.includes('sendInitialEvents=true') && u.includes('resourceVersionMatch=NotOlderThan')),
    pods.join('\n'),
  );
  assert.ok(!pods.some((u) => u.includes('limit=')), `no paged list: ${pods.join(', ')}`);
});

test('a server that refuses watch-lists gets a paged list, then a watch from its resourceVersion', async () => {
  refuseWatchList = true;
  try {
    const watchFromVersion = (u: string) => u.includes('watch=true') && /resourceVersion=\d+/.test(u);
    const pods = podRequests(await listedThroughProxy('paged', (urls) => podRequests(urls).some(watchFromVersion)).catch(() => [...seen]));
    assert.ok(
      pods.some((u) => u.includes('limit=500')),
      pods.join('\n'),
    );
    assert.ok(pods.some(watchFromVersion), pods.join('\n'));
  } finally {
    refuseWatchList = false;
  }
});
