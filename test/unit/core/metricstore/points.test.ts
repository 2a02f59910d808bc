import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricPoint } from '../../../../main/common/model';
import { bucketPoints, meanPoint } from '../../../../main/common/metric-points';
import { decodePoint, encodePoint } from '../../../../main/core/metricstore/points';

const point = (t: number, cpu: number, extra: Partial<MetricPoint> = {}): MetricPoint => ({
  t,
  cpuPercent: cpu,
  memMiB: 10,
  instances: { 'web-1': { cpuPercent: cpu, memMiB: 10, rps: 2 } },
  ...extra,
});

test('a point read back from its row is the point that was written, absent figures staying absent', () => {
  const p = point(1000, 12.5, { rxKBps: 1.5, txKBps: 0, rps: 4, p95Ms: 30 });
  assert.deepEqual(decodePoint(1000, encodePoint(p)), p);
  const bare: MetricPoint = { t: 5, cpuPercent: 0, memMiB: 0, instances: {} };
  assert.deepEqual(decodePoint(5, encodePoint(bare)), bare);
  assert.equal('rps' in decodePoint(5, encodePoint(bare)), false);
});

test('the mean of points averages figures, keeps the highest p95, and averages each instance by name', () => {
  const m = meanPoint(0, [point(0, 10, { rps: 2, p95Ms: 20 }), point(1000, 30, { rps: 4, p95Ms: 80 }), point(2000, 20)]);
  assert.equal(m.cpuPercent, 20);
  assert.equal(m.rps, 3, 'the mean over the points that have request figures');
  assert.equal(m.p95Ms, 80);
  assert.deepEqual(m.instances['web-1'], { cpuPercent: 20, memMiB: 10, rps: 2 });
});

test('bucketing time-ordered points gives one point per step, aligned to the step', () => {
  const points = [point(10_500, 1), point(11_500, 3), point(20_100, 5), point(45_000, 7)];
  const out = bucketPoints(points, 10_000);
  assert.deepEqual(
    out.map((p) => [p.t, p.cpuPercent]),
    [
      [10_000, 2],
      [20_000, 5],
      [40_000, 7],
    ],
  );
});
