/**
 * Request figures of pods from an environment's Prometheus, for the Kubernetes metrics poll
 * (kube-metrics.ts): pods' own /metrics lie on pod addresses Fleetdeck never contacts, but a
 * Prometheus in the cluster scrapes them. The poll finds the Prometheus of its context here,
 * through the resolvers a Core registers, so the driver needs no new dependency.
 */
import type { InstanceFigures, MetricPoint } from '../../common/model';

/** One pod's rates over the last rate window: requests and 5xx per second, latency buckets (per second, by upper bound in s). */
export interface PodRates {
  rps: number;
  errorsPerSecond: number;
  buckets: Map<number, number>;
}

/** By `namespace/pod`. */
export type PodFigures = Map<string, PodRates>;

export interface PodFiguresSource {
  /** Figures of every pod of these namespaces (cached for a few seconds); throws an ApiError in words. */
  podFigures(namespaces: string[]): Promise<PodFigures>;
}

type Resolver = (envId: string) => PodFiguresSource | undefined;
const resolvers = new Set<Resolver>();

/** A Core says which contexts have a Prometheus; returns how to stop. */
export function addPodFiguresResolver(r: Resolver): () => void {
  resolvers.add(r);
  return () => resolvers.delete(r);
}

/** `kube:<context>/<ns>/<kind>/<name>` → `kube:<context>` (a context name may hold slashes). */
export function envIdOfKubeService(serviceId: string): string | undefined {
  return /^(kube:.+)\/[^/]+\/(?:deployment|statefulset)\/[^/]+$/.exec(serviceId)?.[1];
}

/**
 * The figures for the pods of these services' namespaces, when their context names a Prometheus:
 * `undefined` when it names none; `{problem}` when it did not answer (the metrics poll goes on).
 */
export async function podRequestFigures(
  serviceIds: readonly string[],
  namespaceOf: (id: string) => string,
): Promise<{ figures?: PodFigures; problem?: string } | undefined> {
  const first = serviceIds[0];
  const envId = first === undefined ? undefined : envIdOfKubeService(first);
  if (envId === undefined) return undefined;
  let source: PodFiguresSource | undefined;
  for (const r of resolvers) source ??= r(envId);
  if (!source) return undefined;
  try {
    return { figures: await source.podFigures([...new Set(serviceIds.map(namespaceOf))]) };
  } catch (e) {
    return { problem: (e as Error).message };
  }
}

/** The 95th percentile of cumulative buckets (upper bound in s → count), in ms; linear within a bucket, as histogram_quantile. */
export function p95OfBuckets(buckets: Map<number, number>): number | undefined {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) ?? (bounds.length ? buckets.get(bounds[bounds.length - 1]!)! : 0);
  if (!(total > 0)) return undefined;
  const rank = total * 0.95;
  let prevBound = 0;
  let prevCount = 0;
  for (const le of bounds) {
    const c = buckets.get(le)!;
    if (c >= rank) {
      if (!Number.isFinite(le)) return prevBound * 1000; // as Prometheus: the highest finite bound
      const within = c === prevCount ? 0 : (rank - prevCount) / (c - prevCount);
      return (prevBound + (le - prevBound) * within) * 1000;
    }
    prevBound = le;
    prevCount = c;
  }
  return undefined;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** Fills a point's request figures, and each pod's, from `figures`; pods Prometheus does not know are left as they are. */
export function fillRequestFigures(point: MetricPoint, namespace: string, pods: readonly string[], figures: PodFigures): void {
  let rps = 0;
  let errors = 0;
  let any = false;
  const buckets = new Map<number, number>();
  for (const pod of pods) {
    const f = figures.get(`${namespace}/${pod}`);
    if (!f) continue;
    any = true;
    rps += f.rps;
    errors += f.errorsPerSecond;
    for (const [le, c] of f.buckets) buckets.set(le, (buckets.get(le) ?? 0) + c);
    const own: InstanceFigures = (point.instances[pod] ??= { cpuPercent: 0, memMiB: 0 });
    own.rps = round(f.rps);
    own.errorsPerSecond = round(f.errorsPerSecond);
    const p = p95OfBuckets(f.buckets);
    if (p !== undefined) own.p95Ms = round(p);
  }
  if (!any) return;
  point.rps = round(rps);
  point.errorsPerSecond = round(errors);
  const p = p95OfBuckets(buckets);
  if (p !== undefined) point.p95Ms = round(p);
}
