// Bodies in fixtures/ were answered by the real Prometheus server (Debian's 2.42) in the integration
// test (FLEETDECK_CAPTURE_FIXTURES=1 node --import tsx --test test/integration/prometheus/docker-source.test.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fillRequestFigures, p95OfBuckets } from '../../../../main/core/prometheus/pod-figures';
import { parseQueryAnswer, type Series } from '../../../../main/core/prometheus/responses';
import { podFiguresOf, toPoints } from '../../../../main/core/prometheus/sources';
import type { MetricPoint } from '../../../../main/common/model';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));
const series = (name: string): Series[] => {
  const a = parseQueryAnswer(fixture(name));
  assert.ok(a.ok);
  return a.series;
};

test('a range answer: one series of [ms, value] in time order', () => {
  const rps = series('range-rps.json');
  assert.equal(rps.length, 1);
  const s = rps[0]!.samples;
  assert.ok(s.length > 10);
  for (let i = 1; i < s.length; i++) assert.ok(s[i]![0] > s[i - 1]![0]);
  assert.ok(s[0]![0] > 1.6e12 && Number.isInteger(s[0]![0]), 'ms since epoch');
  assert.ok(s.some(([, v]) => v > 0));
});

test('NaN (a quantile over no requests) is left out; an empty result is no series', () => {
  const raw = JSON.stringify(fixture('range-p95.json'));
  assert.match(raw, /"NaN"/);
  const p95 = series('range-p95.json');
  assert.ok(p95[0]!.samples.every(([, v]) => Number.isFinite(v)));
  assert.ok(p95[0]!.samples.length < (raw.match(/\],\[/g)?.length ?? 0) + 1);
  assert.deepEqual(series('range-errors.json'), []);
});

test('an error answer says what Prometheus said', () => {
  const a = parseQueryAnswer(fixture('error-bad-query.json'));
  assert.equal(a.ok, false);
  assert.ok(!a.ok && a.errorType === 'bad_data' && /unclosed left parenthesis/.test(a.error));
});

test('what is not Prometheus’s envelope is refused', () => {
  assert.throws(() => parseQueryAnswer('<html>'), TypeError);
  assert.throws(() => parseQueryAnswer({ status: 'success' }), TypeError);
  assert.throws(() => parseQueryAnswer({ status: 'success', data: { resultType: 'streams', result: [] } }), TypeError);
});

test('label values pass the output policy', () => {
  const a = parseQueryAnswer({ status: 'success', data: { resultType: 'vector', result: [{ metric: { pod: 'evil\u001b[31m\npod' }, value: [1, '2'] }] } });
  assert.ok(a.ok);
  assert.doesNotMatch(a.series[0]!.labels.pod!, /\u001b|\n/);
});

test('range answers become points at the start of their step, CPU and memory lent by the store', () => {
  const rps = series('range-rps.json');
  const p95 = series('range-p95.json');
  const t0 = rps[0]!.samples[0]![0];
  const local: MetricPoint[] = [{ t: t0 - 1000, cpuPercent: 12.5, memMiB: 40, rxKBps: 1, txKBps: 2, instances: {} }];
  const points = toPoints({ rps, errors: [], p95, cpu: [], mem: [] }, local, 1000, 1000);
  assert.equal(points.length, rps[0]!.samples.length);
  assert.equal(points[0]!.t, t0 - 1000, 'shown at the start of the step it measures');
  assert.equal(points[0]!.cpuPercent, 12.5);
  assert.equal(points[0]!.rxKBps, 1);
  assert.equal(points[points.length - 1]!.cpuPercent, 0, 'no stored point near: 0, not a guess');
  const busy = points.filter((p) => (p.rps ?? 0) > 0);
  assert.ok(busy.length > 0 && busy.every((p) => p.errorsPerSecond === 0), 'no 5xx series: 0 errors where there are requests');
  assert.ok(points.some((p) => p.p95Ms !== undefined) && points.some((p) => p.p95Ms === undefined), 'p95 only where there were requests');
});

test('pods’ instant answers fill a point and each pod; the p95 interpolates within a bucket as histogram_quantile does', () => {
  const figures = podFiguresOf(series('instant-pods-rps.json'), [], series('instant-pods-buckets.json'));
  assert.equal(figures.size, 1);
  const [key, f] = [...figures][0]!;
  const [ns, pod] = key.split('/') as [string, string];
  assert.equal(ns, 'fdtest');
  assert.ok(f.rps > 0 && f.buckets.get(Infinity)! > 0);
  const point: MetricPoint = { t: 0, cpuPercent: 1, memMiB: 2, instances: { [pod]: { cpuPercent: 1, memMiB: 2 } } };
  fillRequestFigures(point, ns, [pod, 'gone-pod'], figures);
  assert.equal(point.rps, Math.round(f.rps * 1000) / 1000);
  assert.equal(point.errorsPerSecond, 0);
  assert.ok(point.p95Ms! > 0);
  assert.equal(point.instances[pod]!.cpuPercent, 1, 'the metrics API’s figures are kept');
  assert.equal(point.instances['gone-pod'], undefined);

  assert.equal(
    p95OfBuckets(
      new Map([
        [0.1, 50],
        [0.2, 100],
        [Infinity, 100],
      ]),
    ),
    190,
  );
  assert.equal(
    p95OfBuckets(
      new Map([
        [0.1, 10],
        [Infinity, 100],
      ]),
    ),
    100,
    'past the last bound: the highest finite bound',
  );
  assert.equal(
    p95OfBuckets(
      new Map([
        [0.1, 0],
        [Infinity, 0],
      ]),
    ),
    undefined,
  );
});

test('a point of pods Prometheus does not know keeps no request figures', () => {
  const point: MetricPoint = { t: 0, cpuPercent: 0, memMiB: 0, instances: {} };
  fillRequestFigures(point, 'shop', ['web-1'], new Map());
  assert.equal(point.rps, undefined);
});
