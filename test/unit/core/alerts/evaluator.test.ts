import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AlertRule } from '../../../../main/common/alerts-model';
import type { MetricMarker } from '../../../../main/common/metrics-model';
import type { Instance, MetricPoint, Service } from '../../../../main/common/model';
import { AlertEvaluator } from '../../../../main/core/alerts/evaluator';
import { AlertHistory } from '../../../../main/core/alerts/history';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function history(): AlertHistory {
  const d = mkdtempSync(join(tmpdir(), 'fd-alerts-'));
  dirs.push(d);
  return new AlertHistory(join(d, 'alerts-history.json'), true);
}

const instance = (name: string, extra: Partial<Instance> = {}): Instance => ({
  id: name,
  shortId: name,
  name,
  image: 'web:1',
  state: 'running',
  health: 'healthy',
  createdAt: 0,
  ports: [],
  restartCount: 0,
  ...extra,
});
const service = (extra: Partial<Service> = {}, instances = [instance('web-1')]): Service => ({
  id: 'docker:local/shop/web',
  envId: 'docker:local',
  name: 'web',
  group: 'compose',
  image: 'web:1',
  instances,
  desired: instances.length,
  running: instances.length,
  healthy: instances.length,
  unhealthy: 0,
  createdAt: 0,
  scalable: true,
  ...extra,
});
const connected = new Set(['docker:local']);
const restart = (t: number, instance = 'web-1'): MetricMarker => ({ t, kind: 'restart', text: `${instance} restarted`, instance });
const crash = (t: number, instance = 'web-1'): MetricMarker => ({ t, kind: 'crash', text: `${instance} exited with code 1`, instance });
const point = (t: number, f: Partial<MetricPoint>): MetricPoint => ({ t, cpuPercent: 1, memMiB: 10, instances: {}, ...f });

const crashLoop: AlertRule = { id: 'crash-loop', name: 'Crash loop', kind: 'restarts', count: 3, minutes: 5, enabled: true };
const unhealthy: AlertRule = { id: 'unhealthy', name: 'Unhealthy', kind: 'unhealthy', seconds: 60, enabled: true };
const T0 = 1_800_000_000_000;

test('restarts: more than 3 in 5 minutes of one instance fires once, naming it; the window sliding past them resolves it', () => {
  const h = history();
  const ev = new AlertEvaluator(h, T0);
  const s = [service()];
  for (let i = 0; i < 3; i++) ev.onMarker(s[0]!.id, restart(T0 + i * 10_000));
  ev.evaluate([crashLoop], s, connected, T0 + 30_000);
  assert.equal(h.all().length, 0, 'three restarts are not more than three');

  ev.onMarker(s[0]!.id, restart(T0 + 40_000));
  ev.evaluate([crashLoop], s, connected, T0 + 41_000);
  ev.evaluate([crashLoop], s, connected, T0 + 42_000);
  assert.equal(h.all().length, 1);
  const a = h.all()[0]!;
  assert.equal(a.ruleId, 'crash-loop');
  assert.equal(a.serviceId, 'docker:local/shop/web');
  assert.equal(a.resolvedAt, undefined);
  assert.match(a.message, /web-1 restarted or crashed 4 times in the last 5 min/);

  // The first restart leaves the 5-minute window: three remain, which is not more than three.
  // Resolved once that has lasted 30 s, as of when it ended.
  ev.evaluate([crashLoop], s, connected, T0 + 5 * 60_000 + 1_000);
  ev.evaluate([crashLoop], s, connected, T0 + 5 * 60_000 + 30_000);
  assert.equal(h.all()[0]!.resolvedAt, undefined);
  ev.evaluate([crashLoop], s, connected, T0 + 5 * 60_000 + 31_000);
  assert.equal(h.all().length, 1);
  assert.equal(h.all()[0]!.resolvedAt, T0 + 5 * 60_000 + 1_000);
});

test('restarts are counted per instance, and a crash followed by its restart is one incident', () => {
  const h = history();
  const ev = new AlertEvaluator(h, T0);
  const s = [service({}, [instance('web-1'), instance('web-2')])];
  // Two restarts each on two instances: four in the service, but no instance restarted more than 3 times.
  for (const name of ['web-1', 'web-2']) for (let i = 0; i < 2; i++) ev.onMarker(s[0]!.id, restart(T0 + i * 1000, name));
  // Three crashes, each followed by its restart: three incidents of web-3, not six.
  for (let i = 0; i < 3; i++) {
    ev.onMarker(s[0]!.id, crash(T0 + i * 60_000, 'web-3'));
    ev.onMarker(s[0]!.id, restart(T0 + i * 60_000 + 2_000, 'web-3'));
  }
  ev.evaluate([crashLoop], s, connected, T0 + 200_000);
  assert.equal(h.all().length, 0);
  ev.onMarker(s[0]!.id, crash(T0 + 210_000, 'web-3'));
  ev.evaluate([crashLoop], s, connected, T0 + 211_000);
  assert.equal(h.all().length, 1);
  assert.match(h.all()[0]!.message, /^web-3 restarted or crashed 4 times/);
});

test('unhealthy or degraded: fires once past the duration, stays one entry while it lasts, resolves when it ends, fires anew next time', () => {
  const h = history();
  const ev = new AlertEvaluator(h, T0);
  const degraded = [service({ degraded: { reason: 'circuit breaker user-service open on order-service-1' } })];
  for (let t = 0; t <= 60_000; t += 1000) ev.evaluate([unhealthy], degraded, connected, T0 + t);
  assert.equal(h.all().length, 0, 'degraded for exactly 60 s is not more than 60 s');
  for (let t = 61_000; t <= 180_000; t += 1000) ev.evaluate([unhealthy], degraded, connected, T0 + t);
  assert.equal(h.all().length, 1, 'one alert however long it lasts');
  assert.equal(h.all()[0]!.firedAt, T0 + 61_000);
  assert.equal(h.all()[0]!.message, 'web has been degraded (circuit breaker user-service open on order-service-1) for more than 60 s.');

  for (let t = 181_000; t <= 211_000; t += 1000) ev.evaluate([unhealthy], [service()], connected, T0 + t);
  assert.equal(h.all()[0]!.resolvedAt, T0 + 181_000);

  const failing = [service({ unhealthy: 1, healthy: 0 }, [instance('web-1', { health: 'unhealthy' })])];
  for (let t = 212_000; t <= 280_000; t += 1000) ev.evaluate([unhealthy], failing, connected, T0 + t);
  assert.equal(h.all().length, 2);
  assert.match(h.all()[0]!.message, /^web has been unhealthy \(1 of 1 instance fails its health check\)/);
  assert.equal(h.all()[0]!.resolvedAt, undefined);
  assert.notEqual(h.all()[1]!.resolvedAt, undefined);
});

test('a service flapping healthy between checks starts its duration over', () => {
  const h = history();
  const ev = new AlertEvaluator(h, T0);
  for (let t = 0; t < 300_000; t += 1000) {
    const bad = Math.floor(t / 30_000) % 2 === 0; // 30 s bad, 30 s good
    ev.evaluate([unhealthy], [service(bad ? { unhealthy: 1 } : {})], connected, T0 + t);
  }
  assert.equal(h.all().length, 0);
});

test('5xx rate and p95: the 30 s average over the threshold fires, under it resolves', () => {
  const h = history();
  const ev = new AlertEvaluator(h, T0);
  const rules: AlertRule[] = [
    { id: 'error-rate', name: '5xx rate', kind: 'errorRate', perSecond: 1, enabled: true },
    { id: 'latency', name: 'Slow', kind: 'latency', p95Ms: 1000, enabled: true },
  ];
  const s = [service()];
  const run = (from: number, to: number, f: Partial<MetricPoint>) => {
    for (let t = from; t < to; t += 1000) {
      ev.onPoint(s[0]!.id, point(T0 + t, f));
      ev.evaluate(rules, s, connected, T0 + t);
    }
  };
  run(0, 30_000, { rps: 10, errorsPerSecond: 2, p95Ms: 300 });
  assert.deepEqual(
    h.all().map((a) => [a.ruleId, a.message]),
    [['error-rate', 'web answers 2.0 5xx per second (30 s average), above 1/s.']],
  );
  // Ten seconds of 0.5/s do not bring the 30 s mean down to 1/s yet (1.5/s).
  run(30_000, 40_000, { rps: 10, errorsPerSecond: 0.5, p95Ms: 2500 });
  assert.equal(h.all().find((a) => a.ruleId === 'error-rate')!.resolvedAt, undefined);
  run(40_000, 100_000, { rps: 10, errorsPerSecond: 0.5, p95Ms: 2500 });
  const byRule = new Map(h.all().map((a) => [a.ruleId, a]));
  assert.equal(h.all().length, 2);
  assert.notEqual(byRule.get('error-rate')!.resolvedAt, undefined);
  assert.equal(byRule.get('latency')!.resolvedAt, undefined);
  assert.match(byRule.get('latency')!.message, /^web answers slowly: p95 \d+ ms \(30 s average\), above 1000 ms\.$/);
});

test('a breaker opening fires with its name made plain; a disabled rule resolves what it fired', () => {
  const h = history();
  const ev = new AlertEvaluator(h, T0);
  const rule: AlertRule = { id: 'breaker-open', name: 'Breaker', kind: 'breakerOpen', enabled: true };
  const s = [service({ breakers: [{ instance: 'web-1', breaker: 'users\u001b[31m', state: 'open' }] })];
  ev.evaluate([rule], s, connected, T0);
  assert.equal(h.all().length, 1);
  assert.equal(h.all()[0]!.message, 'Circuit breaker users^[[31m on web-1 open.');
  ev.evaluate([{ ...rule, enabled: false }], s, connected, T0 + 1000);
  assert.equal(h.all()[0]!.resolvedAt, T0 + 1000);
});

test('a rule scoped to a service leaves the others alone; an environment away keeps its alerts as they were', () => {
  const h = history();
  const ev = new AlertEvaluator(h, T0);
  const rule: AlertRule = { id: 'b', name: 'Breaker of api', kind: 'breakerOpen', enabled: true, scope: { serviceId: 'api' } };
  const open = { breakers: [{ instance: 'x-1', breaker: 'db', state: 'open' as const }] };
  const web = service(open);
  const api = service({ ...open, id: 'docker:local/shop/api', name: 'api' });
  ev.evaluate([rule], [web, api], connected, T0);
  assert.deepEqual(
    h.all().map((a) => a.serviceId),
    ['docker:local/shop/api'],
  );
  ev.evaluate([rule], [], new Set(), T0 + 1000);
  assert.equal(h.all()[0]!.resolvedAt, undefined, 'not resolved while its engine does not answer');
  ev.evaluate([rule], [service({ id: 'docker:local/shop/api', name: 'api' })], connected, T0 + 2000);
  ev.evaluate([rule], [service({ id: 'docker:local/shop/api', name: 'api' })], connected, T0 + 32_000);
  assert.equal(h.all()[0]!.resolvedAt, T0 + 2000);
});

test('a breaker cycling open and half-open stays one alert; closed for 30 s it is resolved; a service gone resolves at once', () => {
  const h = history();
  const ev = new AlertEvaluator(h, T0);
  const rule: AlertRule = { id: 'b', name: 'Breaker', kind: 'breakerOpen', enabled: true };
  const withBreaker = (state: 'open' | 'half_open' | 'closed') => [service({ breakers: [{ instance: 'web-1', breaker: 'db', state }] })];
  for (let t = 0; t < 120_000; t += 1000) {
    const open = Math.floor(t / 10_000) % 2 === 0; // 10 s open, 10 s half-open, as a breaker's reset timeout makes it
    ev.evaluate([rule], withBreaker(open ? 'open' : 'half_open'), connected, T0 + t);
  }
  assert.equal(h.all().length, 1);
  assert.equal(h.all()[0]!.resolvedAt, undefined);
  for (let t = 120_000; t <= 150_000; t += 1000) ev.evaluate([rule], withBreaker('closed'), connected, T0 + t);
  assert.equal(h.all()[0]!.resolvedAt, T0 + 110_000, 'as of when it was last seen open (half-open from 110 s, then closed)');

  ev.evaluate([rule], withBreaker('open'), connected, T0 + 200_000);
  assert.equal(h.firing().length, 1);
  ev.evaluate([rule], [], connected, T0 + 201_000);
  assert.equal(h.firing().length, 0);
  assert.equal(h.all()[0]!.resolvedAt, T0 + 201_000);
});

test('an alert firing when Fleetdeck stopped is the same entry after a start if it still holds, and resolved after the grace if not', () => {
  const h = history();
  const sick = [service({ unhealthy: 1 })];
  const first = new AlertEvaluator(h, T0);
  for (let t = 0; t <= 61_000; t += 1000) first.evaluate([unhealthy], sick, connected, T0 + t);
  assert.equal(h.firing().length, 1);
  const fired = h.firing()[0]!;

  // Started again: "unhealthy since" starts over, so the condition is seen again only after 60 s.
  const restarted = new AlertEvaluator(h, T0 + 100_000);
  for (let t = 100_000; t <= 170_000; t += 1000) restarted.evaluate([unhealthy], sick, connected, T0 + t);
  assert.deepEqual(
    h.all().map((a) => [a.id, a.resolvedAt]),
    [[fired.id, undefined]],
    'still the one entry: no second alert for the same condition',
  );

  const again = new AlertEvaluator(h, T0 + 200_000);
  again.evaluate([unhealthy], [service()], connected, T0 + 200_000);
  assert.equal(h.firing().length, 1, 'within the grace it waits');
  again.evaluate([unhealthy], [service()], connected, T0 + 291_000);
  assert.equal(h.firing().length, 0);
  assert.equal(h.all()[0]!.resolvedAt, T0 + 291_000);
});

test('logMatch: counts over the threshold fire per service; counts under it resolve', () => {
  const h = history();
  const ev = new AlertEvaluator(h, T0);
  const rule: AlertRule = { id: 'oops', name: 'Oops', kind: 'logMatch', query: 'oops', count: 2, minutes: 5, enabled: true };
  ev.setLogCounts('oops', [
    { envId: 'docker:local', serviceId: 'docker:local/shop/web', serviceName: 'web', count: 3 },
    { envId: 'docker:local', serviceId: 'docker:local/shop/api', serviceName: 'api', count: 2 },
  ]);
  ev.evaluate([rule], [], connected, T0);
  assert.deepEqual(
    h.all().map((a) => a.message),
    ['The log search "oops" matched 3 lines of web in the last 5 min (more than 2).'],
  );
  ev.setLogCounts('oops', []);
  ev.evaluate([rule], [], connected, T0 + 15_000);
  ev.evaluate([rule], [], connected, T0 + 45_000);
  assert.equal(h.all()[0]!.resolvedAt, T0 + 15_000);
});

test('history is kept in its file: a second history on the same file has the alerts, acknowledged', async () => {
  const d = mkdtempSync(join(tmpdir(), 'fd-alerts-'));
  dirs.push(d);
  const file = join(d, 'alerts-history.json');
  const h = new AlertHistory(file, true);
  const ev = new AlertEvaluator(h, T0);
  ev.evaluate(
    [{ id: 'b', name: 'Breaker', kind: 'breakerOpen', enabled: true }],
    [service({ breakers: [{ instance: 'web-1', breaker: 'db', state: 'open' }] })],
    connected,
    T0,
  );
  const a = h.acknowledge(h.all()[0]!.id, T0 + 5);
  assert.equal(a?.acknowledgedAt, T0 + 5);
  h.flush();
  const read = new AlertHistory(file, false);
  assert.deepEqual(read.all(), h.all());
  assert.deepEqual(read.event(false), { alerts: h.all(), firing: 1, unacknowledged: 0, evaluating: false });
});

test('an unhealthy alert with a long duration taken up at start waits that duration for its condition, and stays one entry', () => {
  const h = history();
  const slow: AlertRule = { ...unhealthy, seconds: 300 };
  const sick = [service({ unhealthy: 1 })];
  const first = new AlertEvaluator(h, T0);
  for (let t = 0; t <= 301_000; t += 1000) first.evaluate([slow], sick, connected, T0 + t);
  assert.equal(h.firing().length, 1);
  const restarted = new AlertEvaluator(h, T0 + 400_000);
  for (let t = 400_000; t <= 720_000; t += 1000) restarted.evaluate([slow], sick, connected, T0 + t);
  assert.equal(h.all().length, 1);
  assert.equal(h.all()[0]!.resolvedAt, undefined);
});
