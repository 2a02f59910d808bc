// Starts: one sample user-service (port published on 127.0.0.1) under a unique project label; the
// real Prometheus server from Debian on 127.0.0.1, scraping it every second through docker_sd; a
// Core in serve mode (which records figures). Sends 600 requests over 20 s. The container,
// Prometheus and their folders are removed at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { MetricPoint, Service } from '../../../main/common/model';
import { Core } from '../../../main/core/core';
import { ratesBetween, readRequestCounters } from '../../../main/core/metrics/prometheus';
import { PromClient, urlTransport } from '../../../main/core/prometheus/client';
import { fillRequestFigures } from '../../../main/core/prometheus/pod-figures';
import { figureQueries, metricNamesOf, podFigureQueries } from '../../../main/core/prometheus/queries';
import { podFiguresOf } from '../../../main/core/prometheus/sources';
import { removeProject, runReplica, skipReason } from '../../helpers/docker';
import { untilServices } from '../../helpers/core';
import { USER_IMAGE, ensureUserImage } from '../../helpers/sample-image';
import { POD_NAMESPACE, dockerScrapeConfig, prometheusSkipReason, startPrometheus } from './prometheus-server';

const skip = skipReason() || prometheusSkipReason();
const project = `fdprom${randomBytes(3).toString('hex')}`;
const REQUESTS = 600;
const LOAD_MS = 20_000;
/** FLEETDECK_CAPTURE_FIXTURES=1 saves the server's answers for the unit tests. */
const FIXTURES = join(import.meta.dirname, '../../unit/core/prometheus/fixtures');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Requests counted over the points (each a rate over its step), and the mean p95 where there is one. */
function totals(points: MetricPoint[], stepMs: number, from: number, to: number) {
  const inside = points.filter((p) => p.t >= from && p.t < to);
  const requests = inside.reduce((n, p) => n + (p.rps ?? 0) * (stepMs / 1000), 0);
  const errors = inside.reduce((n, p) => n + (p.errorsPerSecond ?? 0) * (stepMs / 1000), 0);
  const p95s = inside.map((p) => p.p95Ms).filter((v): v is number => v !== undefined);
  return {
    requests,
    errors,
    p95: p95s.length ? p95s.reduce((a, b) => a + b, 0) / p95s.length : undefined,
    withRps: inside.filter((p) => p.rps !== undefined).length,
  };
}

const within = (a: number, b: number, share: number) => Math.abs(a - b) <= share * Math.max(a, b);

test('Prometheus-backed request figures of a Docker service match the local ones within 10 %', { skip, timeout: 180_000 }, async (t) => {
  await ensureUserImage();
  t.after(() => removeProject(project));
  // Each answer takes 15 ms: inside one histogram bucket (10–25 ms), so both p95s interpolate the same
  // bucket. Sub-millisecond answers put the p95 on the 1 ms bound, where a few requests more or less
  // in a scrape window move it from one bucket to the next (0.98 against 1.19 ms in one CI run).
  runReplica(project, 'user-service', ['-p', '127.0.0.1::5000', '-e', 'PORT=5000', '-e', 'FAULT_LATENCY_MS=15'], USER_IMAGE);

  const prom = await startPrometheus(dockerScrapeConfig(project, 1));
  t.after(() => prom.stop());

  const stateDir = mkdtempSync(join(tmpdir(), 'fd-state-'));
  const core = new Core({ mode: 'serve', env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig', FLEETDECK_LOGS: 'off' }, stateDir });
  await core.start();
  t.after(() => core.stop());
  await core.discovery.whenSynced();
  const find = (l: Service[]) => l.find((s) => s.project === project && s.name === 'user-service');
  const service = find(await untilServices(core, (l) => find(l)?.running === 1, 30_000))!;
  const port = service.instances[0]!.ports.find((p) => p.containerPort === 5000)!.hostPort!;

  // A URL that answers, but not as Prometheus, is refused and nothing is saved.
  await assert.rejects(
    async () => core.api.methods['environments.setPrometheus']({ id: 'docker:local', url: `http://127.0.0.1:${port}` }),
    /did not answer as Prometheus does/,
  );
  assert.equal((await core.api.methods['environments.list']({})).find((e) => e.id === 'docker:local')!.prometheus, undefined);

  const env = await core.api.methods['environments.setPrometheus']({ id: 'docker:local', url: prom.url, scrapeIntervalSeconds: 1 });
  assert.equal(env.prometheus?.url, prom.url);
  assert.ok(env.capabilities.metrics.includes('requests'));

  // Prometheus has found the container through docker_sd and scrapes it.
  const client = new PromClient(urlTransport(prom.url));
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const up = await client.query('up{service="user-service"}');
    if (up[0]?.samples[0]?.[1] === 1) break;
    await sleep(500);
  }
  assert.equal((await client.query('up{service="user-service"}'))[0]?.samples[0]?.[1], 1, 'Prometheus scrapes user-service on its 127.0.0.1 port');

  // A quiet moment so both sources start the load from nothing, then the load, then both catch up.
  await sleep(4_000);
  const loadFrom = Date.now();
  const read = async () => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return { t: Date.now(), counters: readRequestCounters(text)! };
  };
  const before = await read();
  for (let i = 0; i < REQUESTS; i++) {
    const r = await fetch(`http://127.0.0.1:${port}/user/${i}`);
    await r.arrayBuffer();
    const next = loadFrom + ((i + 1) * LOAD_MS) / REQUESTS;
    if (next > Date.now()) await sleep(next - Date.now());
  }
  const loadTo = Date.now();
  const after = await read();
  await sleep(8_000);
  const from = loadFrom - 4_000;
  const to = loadTo + 6_000;

  const local = core.metrics.range(service.id, from, to, 900);
  assert.equal(local.source, 'local');
  const remote = await core.prometheus.range('docker:local', service.id, from, to, 900, local.points);
  assert.equal(remote.source, 'prometheus');
  const l = totals(local.points, local.stepMs, from, to);
  const r = totals(remote.points, remote.stepMs, from, to);
  t.diagnostic(`local: ${JSON.stringify(l)}; prometheus: ${JSON.stringify(r)}`);
  assert.ok(l.withRps > 5 && r.withRps > 5, 'both sources have request figures over the load');
  assert.ok(within(l.requests, REQUESTS, 0.1), `the local store counts about ${REQUESTS} requests (${l.requests.toFixed(1)})`);
  assert.ok(within(r.requests, l.requests, 0.1), `Prometheus counts the same requests within 10 % (${r.requests.toFixed(1)} vs ${l.requests.toFixed(1)})`);
  assert.equal(Math.round(r.errors), Math.round(l.errors), 'the same 5xx count (none: user-service answers 200)');
  // The same requests both ways: every one of the load, between a read of the replica's /metrics before
  // it and one after it, the local way (main/core/metrics/prometheus.ts), and Fleetdeck's PromQL with a
  // window from before the load to after it (p95 over a few requests of a 1 s step jumps about).
  const whole = ratesBetween(before.counters, after.counters, (after.t - before.t) / 1000);
  const at = after.t + 2_000; // Prometheus has scraped the last requests by then
  const spanQ = figureQueries({ kind: 'docker', service: 'user-service' }, metricNamesOf(undefined, 'docker'), (at - before.t) / 1000 + 2);
  const [spanP95, spanRps, spanErrors] = await Promise.all([
    client.query(spanQ.p95Ms, at),
    client.query(spanQ.rps, at),
    client.query(spanQ.errorsPerSecond, at),
  ]);
  const rp = spanP95[0]?.samples[0]?.[1];
  const promRequests = (spanRps[0]?.samples[0]?.[1] ?? 0) * ((at - before.t) / 1000 + 2);
  const localRequests = whole.rps * ((after.t - before.t) / 1000);
  t.diagnostic(
    `whole load: local ${JSON.stringify(whole)} (${localRequests.toFixed(1)} requests); prometheus p95 ${rp} ms, ${promRequests.toFixed(1)} requests`,
  );
  assert.ok(within(localRequests, REQUESTS, 0.01), `the replica counted the ${REQUESTS} requests (${localRequests})`);
  assert.ok(within(promRequests, localRequests, 0.1), `Prometheus counts them within 10 % (${promRequests.toFixed(1)})`);
  assert.equal(spanErrors[0]?.samples[0]?.[1] ?? 0, whole.errorsPerSecond, 'the same 5xx rate (none: user-service answers 200)');
  assert.ok(whole.p95Ms !== undefined && rp !== undefined, 'both have a p95');
  assert.ok(within(rp, whole.p95Ms, 0.1), `p95 within 10 % (${rp.toFixed(2)} vs ${whole.p95Ms.toFixed(2)} ms)`);

  // The pods' queries (Kubernetes' instant figures), on the same server and the same requests: the
  // container stands in for a pod (the scrape config gives it `namespace` and `pod` labels).
  const podWindow = (at - before.t) / 1000 + 2;
  const podQ = podFigureQueries([POD_NAMESPACE], metricNamesOf(undefined, 'kubernetes'), podWindow);
  const [pr, pe, pb] = await Promise.all([client.query(podQ.rps, at), client.query(podQ.errorsPerSecond, at), client.query(podQ.buckets, at)]);
  const pod = service.instances[0]!.name;
  const point: MetricPoint = { t: at, cpuPercent: 0, memMiB: 0, instances: {} };
  fillRequestFigures(point, POD_NAMESPACE, [pod], podFiguresOf(pr, pe, pb));
  assert.ok(point.rps !== undefined && within(point.rps * podWindow, localRequests, 0.1), `the pod's requests within 10 % (${point.rps! * podWindow})`);
  assert.equal(point.errorsPerSecond, 0);
  assert.ok(point.p95Ms !== undefined && within(point.p95Ms, whole.p95Ms, 0.1), `the pod's p95 within 10 % (${point.p95Ms} vs ${whole.p95Ms} ms)`);
  assert.equal(point.instances[pod]?.p95Ms, point.p95Ms, 'one pod: its own p95 is the service’s');

  // metrics.range for a day: the store holds a minute of it, so Prometheus answers, with the store's markers.
  const day = await core.api.methods['metrics.range']({ envId: 'docker:local', serviceId: service.id, from: to - 86_400_000, to, maxPoints: 900 });
  assert.equal(day.source, 'prometheus');
  assert.ok(day.points.some((p) => (p.rps ?? 0) > 0));
  // The range the store covers stays local.
  const recent = await core.api.methods['metrics.range']({ envId: 'docker:local', serviceId: service.id, from, to, maxPoints: 900 });
  assert.equal(recent.source, 'local');

  if (process.env.FLEETDECK_CAPTURE_FIXTURES === '1') {
    mkdirSync(FIXTURES, { recursive: true });
    const raw = urlTransport(prom.url);
    const q = figureQueries({ kind: 'docker', service: 'user-service' }, metricNamesOf(undefined, 'docker'), 4);
    const save = async (name: string, path: string, params: Record<string, string>) =>
      writeFileSync(join(FIXTURES, name), (await raw.get(path, new URLSearchParams(params), 10_000)).body);
    const range = { start: String(from / 1000), end: String(to / 1000), step: '1' };
    await save('range-rps.json', '/api/v1/query_range', { query: q.rps, ...range });
    await save('range-errors.json', '/api/v1/query_range', { query: q.errorsPerSecond, ...range });
    await save('range-p95.json', '/api/v1/query_range', { query: q.p95Ms, ...range });
    await save('instant-by-container.json', '/api/v1/query', {
      query: figureQueries({ kind: 'docker', service: 'user-service' }, metricNamesOf(undefined, 'docker'), 10, 'container').rps,
      time: String(loadTo / 1000),
    });
    await save('instant-pods-rps.json', '/api/v1/query', { query: podQ.rps, time: String(at / 1000) });
    await save('instant-pods-buckets.json', '/api/v1/query', { query: podQ.buckets, time: String(at / 1000) });
    await save('error-bad-query.json', '/api/v1/query', { query: 'sum(rate(http_requests_total[5m]' });
  }

  // Cleared, the environment shows no Prometheus and its ranges are the store's again.
  const cleared = await core.api.methods['environments.setPrometheus']({ id: 'docker:local' });
  assert.equal(cleared.prometheus, undefined);
});
