import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricMarker } from '../../../../main/common/metrics-model';
import { instanceNames, topInstances, withTopInstances } from '../../../../main/common/metric-points';
import type { MetricPoint } from '../../../../main/common/model';
import {
  appendBounded,
  formatTick,
  instanceLines,
  LiveBucket,
  mergeMarkers,
  niceCeil,
  RowCache,
  summaryText,
  timeTicks,
  trendWord,
} from '../../../../renderer/src/features/metrics/series';

/** A point at `t` whose instance `web-<i>` uses `cpu(i)` % and `10 * i` MiB. */
const point = (t: number, n: number, cpu: (i: number) => number = (i) => i): MetricPoint => {
  const instances: MetricPoint['instances'] = {};
  let total = 0;
  for (let i = 1; i <= n; i++) {
    instances[`web-${i}`] = { cpuPercent: cpu(i), memMiB: 10 * i };
    total += cpu(i);
  }
  return { t, cpuPercent: total, memMiB: 0, instances };
};

test('the busiest instances by the chart’s figure come first, ties by name', () => {
  const points = [point(0, 12, (i) => (i % 4) * 10), point(1000, 12, (i) => (i % 4) * 10 + (i === 2 ? 50 : 0))];
  // web-3, -7, -11 at 30; web-2 at 20 then 70 (mean 45): highest.
  assert.deepEqual(topInstances(points, 'cpuPercent', 4), ['web-2', 'web-11', 'web-3', 'web-7']);
  assert.deepEqual(topInstances(points, 'memMiB', 2), ['web-12', 'web-11']);
});

test('with more than 8 instances a chart draws the sum, the top 5 and the mean of the others; asked, every instance', () => {
  const points = [point(0, 50)];
  const names = Object.keys(points[0]!.instances).sort();
  const lines = instanceLines(points, names, 'cpuPercent', false);
  assert.deepEqual(
    lines.map((l) => l.label),
    ['all instances (sum)', 'web-50', 'web-49', 'web-48', 'web-47', 'web-46', 'others (mean of 45)'],
  );
  assert.equal(lines[0]!.pick(points[0]!), points[0]!.cpuPercent);
  assert.equal(lines.at(-1)!.pick(points[0]!), 23, 'the mean of web-1 … web-45');
  assert.equal(instanceLines(points, names, 'cpuPercent', true).length, 51);

  const few = [point(0, 3)];
  assert.deepEqual(
    instanceLines(few, ['web-1', 'web-2', 'web-3'], 'memMiB', false).map((l) => l.label),
    ['all instances (sum)', 'web-1', 'web-2', 'web-3'],
  );
  const one = instanceLines([point(0, 1)], ['web-1'], 'cpuPercent', false);
  assert.deepEqual(
    one.map((l) => [l.label, l.main]),
    [['web-1', true]],
    'a lone instance is its own line',
  );
});

test('rows are built once per point: a new point costs one row, the others are the same objects', () => {
  const cache = new RowCache();
  const lines = instanceLines([point(0, 2)], ['web-1', 'web-2'], 'cpuPercent', false);
  const points = [point(0, 2), point(1000, 2)];
  const first = cache.rows(points, lines);
  assert.deepEqual(first[0], { t: 0, s0: 3, s1: 1, s2: 2 });
  const next = cache.rows([...points, point(2000, 2)], lines);
  assert.equal(next[0], first[0]);
  assert.equal(next[1], first[1]);
  assert.equal(next.length, 3);
});

test('live seconds fold into the range’s step: a bucket’s mean comes out when the next bucket starts', () => {
  const b = new LiveBucket(6000);
  assert.equal(b.add(point(6000, 1, () => 10)), undefined);
  assert.equal(b.add(point(7000, 1, () => 20)), undefined);
  const done = b.add(point(12_000, 1, () => 90));
  assert.equal(done?.t, 6000);
  assert.equal(done?.cpuPercent, 15);
  assert.equal(done?.instances['web-1']?.cpuPercent, 15);
});

test('the buffer keeps only the range: older points drop out as new ones come', () => {
  const pts = [point(0, 1), point(1000, 1), point(2000, 1)];
  const out = appendBounded(pts, point(3000, 1), 1500);
  assert.deepEqual(
    out.map((p) => p.t),
    [2000, 3000],
  );
  assert.equal(pts.length, 3, 'the old array is left alone (React compares it)');
  assert.deepEqual(
    appendBounded(out, point(1000, 1), 0).map((p) => p.t),
    [2000, 3000],
    'nothing older than the newest is appended',
  );
});

test('trend words: up, down or flat within a 10 % dead band', () => {
  assert.equal(trendWord([1, 1, 1, 2, 2, 2, 5, 5, 5]), 'up');
  assert.equal(trendWord([9, 9, 8, 4, 3, 3, 1, 1, 1]), 'down');
  assert.equal(trendWord([10, 10.2, 9.9, 10, 10.3, 10.1]), 'flat');
  assert.equal(trendWord([0, 0, 0, 0]), 'flat');
  assert.equal(trendWord([undefined, 3]), 'flat', 'too few points to say');
});

test('the summary says now, lowest, highest and the trend, with units', () => {
  assert.equal(
    summaryText('CPU', '%', 'the last hour', [1, 2, 3, undefined, 8], 8.5),
    'CPU over the last hour: now 8.50 %, lowest 1.00 %, highest 8.00 %, trend up.',
  );
  assert.equal(summaryText('Memory', 'MiB', 'the last 7 days', [], undefined), 'Memory: no figures for the last 7 days.');
});

test('axis tops are round and never below the floor', () => {
  assert.equal(niceCeil(3, 10), 10);
  assert.equal(niceCeil(13, 10), 20);
  assert.equal(niceCeil(260, 64), 500);
  assert.equal(niceCeil(0, 0), 1);
});

test('time ticks fall on round local times within the range', () => {
  const utc = () => 0;
  const from = Date.UTC(2026, 11, 2, 9, 7, 30);
  const hhmm = (ts: number[]) => ts.map((t) => new Date(t).toISOString().slice(11, 16));
  assert.deepEqual(hhmm(timeTicks(from, from + 3_600_000, 6, utc)), ['09:10', '09:20', '09:30', '09:40', '09:50', '10:00']);
  assert.deepEqual(hhmm(timeTicks(from, from + 3_600_000, 5, utc)), ['09:15', '09:30', '09:45', '10:00']);
  const week = timeTicks(from, from + 7 * 86_400_000, 6, utc);
  assert.ok(week.length <= 6 && week.length >= 3);
  for (const t of week) assert.equal(new Date(t).toISOString().slice(11, 19), '00:00:00', 'days start at midnight');
  // Two hours ahead of UTC: the ticks are on the local hour.
  const plus2 = timeTicks(from, from + 86_400_000, 6, () => 2 * 3_600_000);
  for (const t of plus2) assert.equal((t + 2 * 3_600_000) % (3 * 3_600_000), 0);
});

test('ticks read HH:MM, with seconds for a short zoom and the date for a week', () => {
  const t = new Date(2026, 11, 2, 9, 5, 7).getTime(); // local time, whatever the zone
  assert.equal(formatTick(t, 3_600_000), '09:05');
  assert.equal(formatTick(t, 60_000), '09:05:07');
  assert.equal(formatTick(t, 7 * 86_400_000), '2 Dec');
});

test('markers polled again are merged once each, in time order', () => {
  const m = (t: number, text: string): MetricMarker => ({ t, kind: 'scale', text });
  const known = [m(1000, 'scaled 1 → 2')];
  assert.equal(mergeMarkers(known, [m(1000, 'scaled 1 → 2')], 0), known, 'nothing new: the same array');
  assert.deepEqual(
    mergeMarkers(known, [m(500, 'old'), m(3000, 'scaled 2 → 3'), m(1000, 'scaled 1 → 2')], 800).map((x) => x.text),
    ['scaled 1 → 2', 'scaled 2 → 3'],
  );
});

test('a range cut to the drawn instances draws the same lines as the whole range', () => {
  const points = [point(0, 50, (i) => (i * 7) % 50), point(1000, 50, (i) => (i * 3) % 50)];
  const whole = instanceNames(points);
  const cut = withTopInstances(points);
  assert.deepEqual(cut.names, whole, 'every instance is still named');
  assert.ok(Object.keys(cut.points[0]!.instances).length <= 10, 'at most the top 5 by CPU and the top 5 by memory');
  assert.equal(cut.points[0]!.others!.count + Object.keys(cut.points[0]!.instances).length, 50);
  for (const field of ['cpuPercent', 'memMiB'] as const) {
    const full = instanceLines(points, whole, field, false);
    const fewer = instanceLines(cut.points, cut.names, field, false);
    assert.deepEqual(
      fewer.map((l) => l.label),
      full.map((l) => l.label),
    );
    for (const [i, p] of cut.points.entries()) {
      assert.deepEqual(
        fewer.map((l) => l.pick(p)),
        full.map((l) => l.pick(points[i]!)),
        `${field} at ${p.t}: the same values, "others" included`,
      );
    }
  }
  const few = [point(0, 8)];
  assert.deepEqual(withTopInstances(few).points, few, 'eight instances are all drawn, so all are sent');
});
