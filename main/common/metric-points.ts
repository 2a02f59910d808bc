/**
 * Arithmetic on metric points shared by the store and the Metrics tab: the mean of several points
 * (the coarser tiers, a range wider than the chart, the tab's live buckets), and a range cut down
 * to the instances a chart draws, with the rest summed, so a 24 h range of 50 replicas is not
 * megabytes of lines nobody sees.
 */
import type { InstanceFigures, MetricPoint } from './model';

const OPTIONAL_FIELDS = ['rxKBps', 'txKBps', 'rps', 'probeRps', 'errorsPerSecond', 'p95Ms'] as const;
const OPTIONAL_INSTANCE_FIELDS = ['rxKBps', 'txKBps', 'rps', 'errorsPerSecond', 'p95Ms'] as const;

/** Above this many instances a chart draws the total, the busiest TOP_N and "others". */
export const MANY_INSTANCES = 8;
export const TOP_N = 5;

/** The figures a chart draws one line per instance of. */
export type InstanceField = 'cpuPercent' | 'memMiB';
export const INSTANCE_LINE_FIELDS: readonly InstanceField[] = ['cpuPercent', 'memMiB'];

/**
 * One point standing for `points` (at time `t`): each figure the mean of the points that have it,
 * p95 the highest (a bucket's p95 is at least its slowest second's), instances likewise by name.
 */
export function meanPoint(t: number, points: readonly MetricPoint[]): MetricPoint {
  const out: MetricPoint = { t, cpuPercent: 0, memMiB: 0, instances: {} };
  if (points.length === 0) return out;
  out.cpuPercent = round(mean(points.map((p) => p.cpuPercent)));
  out.memMiB = round(mean(points.map((p) => p.memMiB)));
  for (const k of OPTIONAL_FIELDS) {
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
    for (const k of OPTIONAL_INSTANCE_FIELDS) {
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

/** The `n` instances with the highest mean of `field` over the points (ties by name). */
export function topInstances(points: readonly MetricPoint[], field: InstanceField, n: number): string[] {
  const sum = new Map<string, number>();
  const count = new Map<string, number>();
  for (const p of points) {
    for (const name in p.instances) {
      sum.set(name, (sum.get(name) ?? 0) + p.instances[name]![field]);
      count.set(name, (count.get(name) ?? 0) + 1);
    }
  }
  return [...sum.keys()]
    .map((name) => ({ name, mean: sum.get(name)! / count.get(name)! }))
    .sort((a, b) => b.mean - a.mean || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, n)
    .map((x) => x.name);
}

/** Every instance name in the points, sorted. */
export function instanceNames(points: readonly MetricPoint[]): string[] {
  const names = new Set<string>();
  for (const p of points) for (const n in p.instances) names.add(n);
  return [...names].sort();
}

/**
 * Points keeping only the instances some chart draws (the TOP_N of each line field), the others
 * summed into `others`; unchanged when there are few enough instances to draw every one.
 */
export function withTopInstances(points: readonly MetricPoint[]): { points: MetricPoint[]; names: string[] } {
  const names = instanceNames(points);
  if (names.length <= MANY_INSTANCES) return { points: [...points], names };
  const kept = new Set(INSTANCE_LINE_FIELDS.flatMap((f) => topInstances(points, f, TOP_N)));
  const out = points.map((p) => {
    const instances: Record<string, InstanceFigures> = {};
    const others = { count: 0, cpuPercent: 0, memMiB: 0 };
    for (const [name, f] of Object.entries(p.instances)) {
      if (kept.has(name)) instances[name] = f;
      else {
        others.count++;
        others.cpuPercent += f.cpuPercent;
        others.memMiB += f.memMiB;
      }
    }
    return {
      ...p,
      instances,
      ...(others.count ? { others: { count: others.count, cpuPercent: round(others.cpuPercent), memMiB: round(others.memMiB) } } : {}),
    };
  });
  return { points: out, names };
}
