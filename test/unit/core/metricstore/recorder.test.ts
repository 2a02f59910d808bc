import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { MetricPoint, Service } from '../../../../main/common/model';
import type { EnvironmentDriver } from '../../../../main/core/env/driver';
import { HistoryDb } from '../../../../main/core/metricstore/history-db';
import { MetricsRecorder } from '../../../../main/core/metricstore/recorder';

/** An environment with one service whose points the test sends. */
function fakeEnvironment(service: Service) {
  const services = Object.assign(new EventEmitter(), { list: () => [current], envId: 'docker:local' });
  const driver = Object.assign(new EventEmitter(), {
    id: 'docker:local',
    state: 'connected',
    services,
    watchers: new Map<string, (p: MetricPoint) => void>(),
    watchMetrics(id: string, onPoint: (p: MetricPoint) => void) {
      driver.watchers.set(id, onPoint);
      return { history: [], stop: () => driver.watchers.delete(id) };
    },
  });
  let current = service;
  const envs = Object.assign(new EventEmitter(), { all: () => [driver as unknown as EnvironmentDriver] });
  return {
    envs,
    send: (p: MetricPoint) => driver.watchers.get(service.id)!(p),
    change(next: Service) {
      current = next;
      services.emit('change');
    },
  };
}

const web: Service = {
  id: 'docker:local/p/web',
  envId: 'docker:local',
  name: 'web',
  group: 'compose',
  image: 'web:1',
  instances: [],
  desired: 1,
  running: 1,
  healthy: 1,
  unhealthy: 0,
  createdAt: 0,
  scalable: true,
};

const point = (t: number, cpu: number, rps?: number): MetricPoint => ({
  t,
  cpuPercent: cpu,
  memMiB: 50,
  instances: { 'web-1': { cpuPercent: cpu, memMiB: 50 } },
  ...(rps === undefined ? {} : { rps, errorsPerSecond: rps / 10, p95Ms: 20 }),
});

test('what was recorded is read back after a restart, at the tier the range asks for, with its markers', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'fd-metrics-')), 'metrics.db');
  const env = fakeEnvironment(web);
  const recorder = new MetricsRecorder(
    env.envs,
    once(() => new HistoryDb(file)),
    true,
  );
  recorder.start();
  const now = Date.now();
  const start = Math.floor(now / 60_000) * 60_000 - 5 * 60_000; // five whole minutes ago
  for (let t = start; t < start + 3 * 60_000; t += 1000) env.send(point(t, (t - start) / 60_000 < 1 ? 10 : 30, 5));
  env.change({ ...web, desired: 3 });
  await new Promise((r) => setTimeout(r, 400)); // the list is read once the burst of changes settles
  recorder.stop();

  const again = new MetricsRecorder(
    env.envs,
    once(() => new HistoryDb(file, true)),
    false,
  );
  const fine = again.range(web.id, start, start + 60_000, 900);
  assert.equal(fine.stepMs, 1000);
  assert.equal(fine.points.length, 60);
  assert.equal(fine.points[0]!.cpuPercent, 10);
  assert.equal(fine.points[0]!.rps, 5);

  const later = Date.now();
  const hour = again.range(web.id, later - 3_600_000, later, 900);
  assert.equal(hour.stepMs, 10_000, 'an hour in at most 900 points comes from the 10 s tier');
  assert.equal(hour.points.length, 18);
  assert.deepEqual([...new Set(hour.points.map((p) => p.cpuPercent))], [10, 30]);
  assert.equal(hour.source, 'local');
  assert.deepEqual(
    hour.markers.map((m) => [m.kind, m.text]),
    [['scale', 'scaled 1 → 3']],
  );

  const day = again.range(web.id, later - 86_400_000, later, 900);
  assert.equal(day.stepMs, 60_000 * 2, 'a day in 900 points: the minute tier, two minutes a point');
  assert.ok(day.points.length >= 2 && day.points.length <= 3, `got ${day.points.length} points`);

  const few = again.range(web.id, start, start + 3 * 60_000, 20);
  assert.ok(few.points.length <= 20, 'never more points than asked for');
  assert.equal(few.stepMs % 10_000, 0);
});

test('the glance gives 30 sparkline buckets, the latest values and the error share of the last minute', () => {
  const env = fakeEnvironment(web);
  const recorder = new MetricsRecorder(env.envs, () => undefined, true);
  recorder.start();
  const now = Date.now();
  for (let t = now - 120_000; t <= now; t += 1000) env.send(point(t, 20, 10));
  const [row] = recorder.glance().rows;
  recorder.stop();
  assert.equal(row!.serviceId, web.id);
  assert.equal(row!.cpu.length, 30);
  assert.equal(row!.cpu.filter((v) => v !== null).length >= 4, true);
  assert.equal(
    row!.cpu.slice(0, 20).every((v) => v === null),
    true,
    'nothing was measured 10 minutes ago',
  );
  assert.equal(row!.cpuPercent, 20);
  assert.equal(row!.requestsPerSecond, 10);
  assert.equal(row!.errorRate, 0.1);
});

function once<T>(f: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= f());
}
