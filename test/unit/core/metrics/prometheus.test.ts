import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ratesBetween, readRequestCounters, readScrape } from '../../../../main/core/metrics/prometheus';
import { toSample } from '../../../../main/core/metrics/docker-stats';

// As prom-client writes them (the sample services' format).
const scrape = (ok: number, err: number, buckets: [number, number][]) => `# HELP http_requests_total Requests
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/user/:id",status="200"} ${ok}
http_requests_total{method="GET",route="/boom",status="503"} ${err}
http_requests_total{method="GET",route="/x",status="404"} 7
# HELP http_request_duration_seconds Latency
# TYPE http_request_duration_seconds histogram
${buckets.map(([le, c]) => `http_request_duration_seconds_bucket{le="${le}",method="GET",route="/user/:id",status_code="200"} ${c}`).join('\n')}
http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/user/:id",status_code="200"} ${buckets.at(-1)![1]}
http_request_duration_seconds_sum{method="GET",route="/user/:id",status_code="200"} 1.5
http_request_duration_seconds_count{method="GET",route="/user/:id",status_code="200"} ${buckets.at(-1)![1]}
`;

test('request and 5xx counts are summed over label sets; 4xx are not errors', () => {
  const c = readRequestCounters(
    scrape(100, 3, [
      [0.01, 50],
      [0.1, 100],
    ]),
  )!;
  assert.equal(c.requests, 110);
  assert.equal(c.errors, 3);
  assert.equal(c.buckets.get(0.1), 100);
  assert.equal(c.buckets.get(Infinity), 100);
});

test('rates and the p95 come from the difference of two scrapes', () => {
  const a = readRequestCounters(
    scrape(100, 3, [
      [0.01, 50],
      [0.05, 90],
      [0.1, 100],
    ]),
  )!;
  // 200 more requests in 2 s: 100 under 10 ms, 80 more under 50 ms, the last 20 under 100 ms.
  const b = readRequestCounters(
    scrape(300, 7, [
      [0.01, 150],
      [0.05, 270],
      [0.1, 300],
    ]),
  )!;
  const r = ratesBetween(a, b, 2);
  assert.equal(r.rps, 102); // (310 - 110) / 2 + (7 - 3) / 2 is in the total too: 204 / 2
  assert.equal(r.errorsPerSecond, 2);
  // rank 0.95 × 200 = 190 falls in the 50–100 ms bucket (180 → 200): 50 + 50 × (10 / 20) = 75 ms.
  assert.equal(Math.round(r.p95Ms!), 75);
});

test('a counter that went down (the instance restarted) starts over instead of going negative', () => {
  const before = readRequestCounters(scrape(1000, 0, [[0.1, 1000]]))!;
  const after = readRequestCounters(scrape(10, 0, [[0.1, 10]]))!;
  assert.ok(ratesBetween(before, after, 1).rps >= 0);
});

test('a page without request metrics is not a service metrics page', () => {
  assert.equal(readRequestCounters('# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 3\n'), undefined);
});

test('CPU percent, memory without page cache, and network totals from an engine stats sample', () => {
  const s = toSample({
    read: '2026-11-27T10:00:01Z',
    cpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 20_000_000_000, online_cpus: 2 },
    precpu_stats: { cpu_usage: { total_usage: 1_000_000_000 }, system_cpu_usage: 10_000_000_000 },
    memory_stats: { usage: 100 << 20, stats: { inactive_file: 20 << 20 } },
    networks: { eth0: { rx_bytes: 1000, tx_bytes: 500 }, eth1: { rx_bytes: 24, tx_bytes: 12 } },
  });
  assert.equal(s.cpuPercent, 20); // 1e9 / 1e10 × 2 CPUs × 100
  assert.equal(s.memBytes, 80 << 20);
  assert.equal(s.rxBytes, 1024);
  assert.equal(s.txBytes, 512);
});

test('histograms of several label sets are summed, not merged; escaped label values parse', async () => {
  const { parseSamples } = await import('../../../../main/core/metrics/prometheus');
  const text = `# TYPE h histogram
http_request_duration_seconds_bucket{le="0.1",route="/a"} 5
http_request_duration_seconds_bucket{le="+Inf",route="/a"} 9
http_request_duration_seconds_count{route="/a"} 9
http_request_duration_seconds_bucket{le="0.1",route="/b"} 1
http_request_duration_seconds_bucket{le="+Inf",route="/b"} 2
http_request_duration_seconds_count{route="/b"} 2
weird{path="C:\\\\DIR",msg="say \\"hi\\"\\nbye"} 1.5e3 1395066363000
`;
  const c = readRequestCounters(text)!;
  assert.equal(c.buckets.get(0.1), 6);
  assert.equal(c.buckets.get(Infinity), 11);
  assert.equal(c.durationCount, 11);
  const weird = parseSamples(text).find((s) => s.name === 'weird')!;
  assert.deepEqual(weird, { name: 'weird', labels: { path: 'C:\\DIR', msg: 'say "hi"\nbye' }, value: 1500 });
});

// A real page of order-service (user-service unreachable, so its breaker is open), as prom-client writes it.
const orderPage = readFileSync(join(import.meta.dirname, 'order-service.metrics.txt'), 'utf8');

test("order-service's real page: probes are counted apart and left out of requests and latency; the open breaker is read", () => {
  const s = readScrape(orderPage);
  assert.deepEqual(s.breakers, [{ breaker: 'user-service', state: 'open' }]);
  const c = s.counters!;
  assert.equal(c.requests, 31); // /orders/:id only
  assert.equal(c.probeRequests, 3); // /ready, /health, /metrics
  assert.equal(c.errors, 0); // a degraded order is a 200
  assert.equal(c.durationCount, 31);
  assert.equal(c.buckets.get(Infinity), 31);
});

test('probe rates come apart from the request rate', () => {
  const a = readRequestCounters(orderPage)!;
  const b = { ...a, probeRequests: a.probeRequests + 4, requests: a.requests + 10 };
  const r = ratesBetween(a, b, 2);
  assert.equal(r.rps, 5);
  assert.equal(r.probeRps, 2);
});

test('a page without breakers has none; unknown states and gauges at 0 are ignored', () => {
  assert.deepEqual(readScrape('circuit_breaker_state{breaker="x",state="weird"} 1\ncircuit_breaker_state{breaker="x",state="open"} 0\n').breakers, []);
  assert.deepEqual(readScrape('circuit_breaker_state{breaker="db",state="half_open"} 1\n').breakers, [{ breaker: 'db', state: 'half_open' }]);
});

test('a breaker name from a container reaches the window only as plain text, and bounded', () => {
  const page = `circuit_breaker_state{breaker="evil\\n\u001b]52;c;aGk=\u0007${'x'.repeat(300)}",state="open"} 1\n`;
  const [b] = readScrape(page).breakers;
  assert.ok(b, 'the breaker is read');
  assert.equal(b.state, 'open');
  assert.doesNotMatch(b.breaker, /[\u0000-\u001f\u007f-\u009f]/, 'no control character or line break');
  assert.ok(b.breaker.length <= 120);
});
