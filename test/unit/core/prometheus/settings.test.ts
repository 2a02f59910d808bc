import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiError } from '../../../../main/common/errors';
import type { Environment } from '../../../../main/common/model';
import { setPrometheusParams } from '../../../../main/common/prometheus-model';
import type { EnvironmentDriver } from '../../../../main/core/env/driver';
import { PromClient, splitCredentials, urlTransport } from '../../../../main/core/prometheus/client';
import { PrometheusSources } from '../../../../main/core/prometheus/sources';

const driver = (id: string, kind: 'docker' | 'kubernetes') =>
  ({ id, name: id, kind, services: { get: () => ({ name: 'web' }) } }) as unknown as EnvironmentDriver;
const drivers = {
  get(id: string): EnvironmentDriver {
    if (id === 'docker:local') return driver(id, 'docker');
    if (id === 'kube:dev') return driver(id, 'kubernetes');
    throw new ApiError('NOT_FOUND', `No environment ${id}.`);
  },
};
const env = (id: string): Environment =>
  ({ id, kind: 'docker', name: id, endpoint: '', state: 'connected', since: 0, capabilities: { metrics: ['cpu', 'memory'] } }) as unknown as Environment;

/** A port nothing listens on (taken, then let go). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

test('the settings refuse what is not an http(s) address of a host, and a URL with a service', () => {
  for (const url of ['ftp://prom:9090', 'prom:9090', 'http://', 'http:// spaced', 'javascript:alert(1)']) {
    assert.equal(setPrometheusParams.safeParse({ id: 'docker:local', url }).success, false, url);
  }
  for (const url of ['http://127.0.0.1:9090', 'https://prom.example/prometheus', 'http://[::1]:9090', 'https://u:p@prom.example:443']) {
    assert.equal(setPrometheusParams.safeParse({ id: 'docker:local', url }).success, true, url);
  }
  assert.equal(
    setPrometheusParams.safeParse({ id: 'kube:dev', url: 'http://a:1', service: { namespace: 'mon', name: 'prometheus', port: 9090 } }).success,
    false,
  );
  assert.equal(setPrometheusParams.safeParse({ id: 'kube:dev', service: { namespace: 'Mon!', name: 'prometheus', port: 9090 } }).success, false);
  assert.equal(setPrometheusParams.safeParse({ id: 'docker:local', url: 'http://a:1', metricNames: { requests: 'bad name{}' } }).success, false);
});

test('a Prometheus that does not answer is refused in words, and nothing is saved', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-prom-'));
  const file = join(dir, 'prometheus.json');
  const sources = new PrometheusSources(file, drivers);
  const port = await closedPort();
  await assert.rejects(
    () => sources.set({ id: 'docker:local', url: `http://127.0.0.1:${port}` }),
    (e: ApiError) =>
      e.code === 'UNREACHABLE' &&
      e.message === `Prometheus at http://127.0.0.1:${port} did not answer: the connection was refused (nothing listens there).` &&
      /Check the URL/.test(e.hint!),
  );
  assert.equal(existsSync(file), false);
  assert.equal(sources.has('docker:local'), false);
  await assert.rejects(() => sources.set({ id: 'docker:local', service: { namespace: 'mon', name: 'prometheus', port: 9090 } }), /is a Docker engine/);
  await assert.rejects(() => sources.set({ id: 'docker:nope', url: 'http://127.0.0.1:1' }), /No environment/);
});

test('what the window sees of saved settings: no password, and request figures among the metrics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-prom-'));
  const file = join(dir, 'prometheus.json');
  writeFileSync(
    file,
    JSON.stringify({
      'docker:local': { url: 'https://alice:s3cret@prom.example:9443/prom/?token=abc#x' },
      'kube:dev': { service: { namespace: 'mon', name: 'prometheus', port: 'web' }, metricNames: { requests: 'reqs_total' } },
    }),
  );
  const sources = new PrometheusSources(file, drivers);
  const shown = sources.decorate(env('docker:local'));
  assert.equal(shown.prometheus?.url, 'https://prom.example:9443/prom');
  assert.doesNotMatch(JSON.stringify(shown), /s3cret|alice|abc/);
  assert.deepEqual(shown.capabilities.metrics, ['cpu', 'memory', 'requests']);
  assert.equal(shown.prometheus?.metricNames.serviceLabel, 'service');
  assert.equal(shown.prometheus?.scrapeIntervalSeconds, 15);
  const kube = sources.view('kube:dev')!;
  assert.deepEqual(kube.service, { namespace: 'mon', name: 'prometheus', port: 'web' });
  assert.equal(kube.metricNames.requests, 'reqs_total');
  assert.equal(kube.metricNames.serviceLabel, undefined, 'pods by namespace and name');
  assert.equal(sources.decorate(env('docker:other')).prometheus, undefined);
});

test('clearing forgets the settings on disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-prom-'));
  const file = join(dir, 'prometheus.json');
  writeFileSync(file, JSON.stringify({ 'docker:local': { url: 'http://127.0.0.1:9090' } }));
  const sources = new PrometheusSources(file, drivers);
  let changes = 0;
  sources.on('change', () => changes++);
  await sources.set({ id: 'docker:local' });
  assert.equal(sources.has('docker:local'), false);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), {});
  assert.equal(changes, 1);
});

test('a URL’s user and password go into a header, never into where it says it is', () => {
  const { base, authorization } = splitCredentials('http://al%40ice:p%3Ass@prom:9090/x');
  assert.equal(base.toString(), 'http://prom:9090/x');
  assert.equal(Buffer.from(authorization!.slice(6), 'base64').toString(), 'al@ice:p:ss');
  assert.equal(new PromClient(urlTransport('http://u:p@prom:9090')).transport.where, 'http://prom:9090');
});
