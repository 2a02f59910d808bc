/**
 * Points as the store keeps them: a compact positional row (a point of a service with three
 * instances is about 150 bytes of JSON), and the mean of several points for the coarser tiers
 * and for ranges that hold more points than the chart asked for.
 */
import type { InstanceFigures, MetricPoint } from '../../common/model';

/** The service-wide fields, in the row's order. */
const FIELDS = ['cpuPercent', 'memMiB', 'rxKBps', 'txKBps', 'rps', 'probeRps', 'errorsPerSecond', 'p95Ms'] as const;
const INSTANCE_FIELDS = ['cpuPercent', 'memMiB', 'rxKBps', 'txKBps', 'rps', 'errorsPerSecond', 'p95Ms'] as const;

type Row = [(number | null)[], Record<string, (number | null)[]>];

export function encodePoint(p: MetricPoint): string {
  const instances: Row[1] = {};
  for (const [name, f] of Object.entries(p.instances)) instances[name] = trim(INSTANCE_FIELDS.map((k) => f[k] ?? null));
  return JSON.stringify([trim(FIELDS.map((k) => p[k] ?? null)), instances] satisfies Row);
}

export function decodePoint(t: number, text: string): MetricPoint {
  const [values, instances] = JSON.parse(text) as Row;
  const p: MetricPoint = { t, cpuPercent: values[0] ?? 0, memMiB: values[1] ?? 0, instances: {} };
  FIELDS.forEach((k, i) => {
    const v = values[i];
    if (i > 1 && v !== null && v !== undefined) p[k] = v;
  });
  for (const [name, vs] of Object.entries(instances)) {
    const f: InstanceFigures = { cpuPercent: vs[0] ?? 0, memMiB: vs[1] ?? 0 };
    INSTANCE_FIELDS.forEach((k, i) => {
      const v = vs[i];
      if (i > 1 && v !== null && v !== undefined) f[k] = v;
    });
    p.instances[name] = f;
  }
  return p;
}

function trim(values: (number | null)[]): (number | null)[] {
  let n = values.length;
  while (n > 0 && values[n - 1] === null) n--;
  return values.slice(0, n);
}

/**
 * One point standing for `points` (at time `t`): each figure the mean of the points that have it,
 * p95 the highest (a bucket's p95 is at least its slowest second's), instances likewise by name.
 */
export function meanPoint(t: number, points: readonly MetricPoint[]): MetricPoint {
  const out: MetricPoint = { t, cpuPercent: 0, memMiB: 0, instances: {} };
  if (points.length === 0) return out;
  out.cpuPercent = round(mean(points.map((p) => p.cpuPercent)));
  out.memMiB = round(mean(points.map((p) => p.memMiB)));
  for (const k of FIELDS.slice(2)) {
    const vs = points.map((p) => p[k]).filter((v): v is number => v !== undefined);
    if (vs.length) out[k] = round(k === 'p95Ms' ? Math.max(...vs) : mean(vs));
  }
  const byName = new Map<string, InstanceFigures[]>();
  for (const p of points) {
    for (const [name, f] of Object.entries(p.instances)) {
      let l = byName.get(name);
      if (!l) byName.set(name, (l = []));
      l.push(f);
    }
  }
  for (const [name, fs] of byName) {
    const f: InstanceFigures = { cpuPercent: round(mean(fs.map((x) => x.cpuPercent))), memMiB: round(mean(fs.map((x) => x.memMiB))) };
    for (const k of INSTANCE_FIELDS.slice(2)) {
      const vs = fs.map((x) => x[k]).filter((v): v is number => v !== undefined);
      if (vs.length) f[k] = round(k === 'p95Ms' ? Math.max(...vs) : mean(vs));
    }
    out.instances[name] = f;
  }
  return out;
}

/** Groups time-ordered points into buckets of `stepMs` (aligned to the epoch) and takes each one's mean. */
export function bucketPoints(points: readonly MetricPoint[], stepMs: number): MetricPoint[] {
  const out: MetricPoint[] = [];
  let start = 0;
  while (start < points.length) {
    const bucket = Math.floor(points[start]!.t / stepMs) * stepMs;
    let end = start + 1;
    while (end < points.length && points[end]!.t < bucket + stepMs) end++;
    out.push(end - start === 1 ? { ...points[start]!, t: bucket } : meanPoint(bucket, points.slice(start, end)));
    start = end;
  }
  return out;
}

function mean(vs: readonly number[]): number {
  let s = 0;
  for (const v of vs) s += v;
  return vs.length ? s / vs.length : 0;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
