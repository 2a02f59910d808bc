/**
 * Points as the store keeps them: a compact positional row (a point of a service with three
 * instances is about 150 bytes of JSON). Their means (coarser tiers, wide ranges) are in
 * common/metric-points.ts, which the Metrics tab shares for its live buckets.
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
