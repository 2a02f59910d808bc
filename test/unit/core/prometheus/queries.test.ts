import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  PROBE_ROUTES,
  figureQueries,
  metricNamesOf,
  podFigureQueries,
  podPattern,
  quoteLabel,
  rateWindowSeconds,
} from '../../../../main/core/prometheus/queries';

const probes = `route!~"${PROBE_ROUTES}", path!~"${PROBE_ROUTES}", handler!~"${PROBE_ROUTES}", url!~"${PROBE_ROUTES}", uri!~"${PROBE_ROUTES}"`;

test('a Docker service: the documented rps, 5xx and p95 queries on its service label, probes left out', () => {
  const q = figureQueries({ kind: 'docker', service: 'order-service' }, metricNamesOf(undefined, 'docker'), 60);
  assert.equal(q.rps, `sum (rate(http_requests_total{service="order-service", ${probes}}[60s]))`);
  assert.equal(q.errorsPerSecond, `sum (rate(http_requests_total{service="order-service", ${probes}, status=~"5.."}[60s]))`);
  assert.equal(q.p95Ms, `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="order-service", ${probes}}[60s]))) * 1000`);
  assert.equal(q.cpuPercent, undefined, 'no cAdvisor query for Docker');
});

test('metric names and the service label are the environment’s own when it sets them', () => {
  const names = metricNamesOf(
    { requests: 'http_server_requests_total', durationBucket: 'http_server_request_duration_seconds_bucket', serviceLabel: 'app' },
    'docker',
  );
  const q = figureQueries({ kind: 'docker', service: 'web' }, names, 30);
  assert.match(q.rps, /^sum \(rate\(http_server_requests_total\{app="web", /);
  assert.match(q.p95Ms, /http_server_request_duration_seconds_bucket\{app="web", /);
});

test('PROBE_ROUTES, anchored as PromQL anchors it, matches the probes the local scrape leaves out and nothing else', () => {
  const re = new RegExp(`^(?:${PROBE_ROUTES})$`);
  for (const p of ['/health', '/healthz', '/healthcheck', '/ready', '/readyz', '/livez', '/metrics', '/ping', '/health/live', '/ready?full=1'])
    assert.ok(re.test(p), p);
  for (const p of ['/orders/:id', '/user/:id', '/user/health', '/metricsx', '/']) assert.ok(!re.test(p), p);
});

test('a label value a service name cannot break out of', () => {
  assert.equal(quoteLabel('a"b\\c\nd'), '"a\\"b\\\\c\\nd"');
  const q = figureQueries({ kind: 'docker', service: 'x"}) or vector(1) #' }, metricNamesOf(undefined, 'docker'), 60);
  assert.match(q.rps, /service="x\\"}\) or vector\(1\) #"/);
});

test('a Kubernetes workload: its pods by namespace and name pattern, or the pods asked about, or its own label', () => {
  const names = metricNamesOf(undefined, 'kubernetes');
  assert.equal(names.serviceLabel, undefined);
  const dep = figureQueries({ kind: 'kubernetes', namespace: 'shop', workload: 'order.service', workloadKind: 'deployment' }, names, 60);
  assert.match(dep.rps, /\{namespace="shop", pod=~"order\\\\.service-\[a-z0-9\]\+-\[a-z0-9\]\+", /);
  assert.match(dep.cpuPercent!, /container_cpu_usage_seconds_total\{namespace="shop", pod=~"[^"]+", container!="", container!="POD"\}\[60s\]\)\) \* 100$/);
  assert.match(dep.memMiB!, /container_memory_working_set_bytes/);
  assert.equal(new RegExp(`^${podPattern('web', 'statefulset')}$`).test('web-0'), true);
  assert.equal(new RegExp(`^${podPattern('web', 'deployment')}$`).test('web-7d4b9c-x2x9z'), true);
  assert.equal(new RegExp(`^${podPattern('web', 'deployment')}$`).test('web-api-7d4b9c-x2x9z'), false, 'not another workload’s pods');
  const some = figureQueries(
    { kind: 'kubernetes', namespace: 'shop', workload: 'web', workloadKind: 'deployment', pods: ['web-1-a', 'web-1-b'] },
    names,
    60,
    'pod',
  );
  assert.match(some.rps, /^sum by \(pod\) \(rate\(http_requests_total\{namespace="shop", pod=~"web-1-a\|web-1-b", /);
  const none = figureQueries({ kind: 'kubernetes', namespace: 'shop', workload: 'web', workloadKind: 'deployment', pods: [] }, names, 60);
  assert.match(none.rps, /pod="", pod!=""/, 'no pod: a selector nothing matches, not every series');
  const labelled = figureQueries({ kind: 'kubernetes', namespace: 'shop', workload: 'web', workloadKind: 'deployment' }, { ...names, serviceLabel: 'app' }, 60);
  assert.match(labelled.rps, /\{namespace="shop", app="web", /);
});

test('every pod of the watched namespaces in three queries', () => {
  const q = podFigureQueries(['shop', 'default'], metricNamesOf(undefined, 'kubernetes'), 60);
  assert.equal(q.rps, `sum by (namespace, pod) (rate(http_requests_total{namespace=~"shop|default", pod!="", ${probes}}[60s]))`);
  assert.match(q.errorsPerSecond, /status=~"5\.\."\}\[60s\]\)\)$/);
  assert.match(q.buckets, /^sum by \(namespace, pod, le\) \(rate\(http_request_duration_seconds_bucket\{/);
});

test('the rate window covers four scrapes and at least a step', () => {
  assert.equal(rateWindowSeconds(1, 15), 60);
  assert.equal(rateWindowSeconds(96, 15), 111);
  assert.equal(rateWindowSeconds(1, 1), 4);
});
