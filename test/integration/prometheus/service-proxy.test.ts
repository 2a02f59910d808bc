// Starts: the real Prometheus on 127.0.0.1, and in front of it a stand-in for an API server's
// service proxy (checks the path and the context's token, forwards the rest to Prometheus). The
// Prometheus API is Prometheus's own. Both stop at the end.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiError } from '../../../main/common/errors';
import type { EnvironmentDriver } from '../../../main/core/env/driver';
import { PrometheusSources } from '../../../main/core/prometheus/sources';
import { tempDir } from '../kube-fixture/helpers';
import { prometheusSkipReason, startPrometheus } from './prometheus-server';

const skip = prometheusSkipReason();
const PREFIX = '/api/v1/namespaces/monitoring/services/prometheus:9090/proxy';

test('a Kubernetes service through the API server’s proxy, with the context’s token', { skip, timeout: 60_000 }, async (t) => {
  const prom = await startPrometheus('global:\n  scrape_interval: 1s\nscrape_configs: []\n');
  t.after(() => prom.stop());
  const seen: string[] = [];
  const proxy = createServer((req, res) => {
    seen.push(`${req.headers.authorization} ${req.url}`);
    if (req.headers.authorization !== 'Bearer t0ken') return void res.writeHead(401).end('Unauthorized');
    if (!req.url!.startsWith(`${PREFIX}/`)) return void res.writeHead(404).end('not found');
    fetch(`${prom.url}${req.url!.slice(PREFIX.length)}`).then(
      async (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text()),
      () => res.writeHead(503).end('unavailable'),
    );
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  t.after(() => proxy.close());
  const port = (proxy.address() as { port: number }).port;

  const dir = tempDir('fd-promproxy-');
  t.after(() => dir.remove());
  const kubeconfig = (token: string) => `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: ${token}}}]
contexts: [{name: dev, context: {cluster: c, user: u, namespace: default}}]
current-context: dev
`;
  const file = join(dir.path, 'config');
  writeFileSync(file, kubeconfig('t0ken'));
  const drivers = { get: (id: string) => ({ id, name: 'dev', kind: 'kubernetes' }) as unknown as EnvironmentDriver };
  const sources = new PrometheusSources(join(dir.path, 'prometheus.json'), drivers, { KUBECONFIG: file });

  await sources.set({ id: 'kube:dev', service: { namespace: 'monitoring', name: 'prometheus', port: 9090 } });
  assert.match(seen.at(-1)!, new RegExp(`^Bearer t0ken ${PREFIX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/api/v1/query\\?query=vector%281%29$`));
  assert.deepEqual(sources.view('kube:dev')?.service, { namespace: 'monitoring', name: 'prometheus', port: 9090 });
  assert.doesNotMatch(JSON.stringify(sources.view('kube:dev')), /t0ken/);

  // A context whose credentials the API server refuses: said so, and the settings stay as they were.
  writeFileSync(file, kubeconfig('wrong'));
  const again = new PrometheusSources(join(dir.path, 'other.json'), drivers, { KUBECONFIG: file });
  await assert.rejects(
    () => again.set({ id: 'kube:dev', service: { namespace: 'monitoring', name: 'prometheus', port: 9090 } }),
    (e: ApiError) => e.code === 'UNAUTHORIZED' && /service monitoring\/prometheus:9090 on dev refused Fleetdeck \(HTTP 401\)/.test(e.message),
  );
  assert.equal(again.has('kube:dev'), false);
});
