/**
 * The PromQL Fleetdeck asks, built in one place (docs/prometheus.md lists each query). A service is
 * a label selector: on Docker its `service` label (Compose's service label, relabelled by the
 * user's scrape config); on Kubernetes its workload's pods by `namespace` and `pod` name. Probe
 * routes are left out as the local scrape leaves them out (main/common/probes.ts).
 */
import { DEFAULT_DOCKER_SERVICE_LABEL, DEFAULT_METRIC_NAMES, type PrometheusMetricNames } from '../../common/prometheus-model';

/** Whom a query is about. */
export type QueryTarget =
  | { kind: 'docker'; service: string }
  /** `pods`: the pods to ask about now; absent, every pod the workload ever had (history). */
  | { kind: 'kubernetes'; namespace: string; workload: string; workloadKind: 'deployment' | 'statefulset'; pods?: string[] };

/**
 * The probe paths of main/common/probes.ts in RE2, which PromQL anchors at both ends: /health,
 * /healthz, /healthcheck, /livez, /ready, /readyz, /metrics, /ping, with or without more after a / ? #.
 */
export const PROBE_ROUTES = '/(health(check|z)?|livez|readyz?|metrics|ping)([/?#].*)?';
/** The labels a request's path may be in, as the local parser reads them. A series without one has it "" and is kept. */
const PATH_LABELS = ['route', 'path', 'handler', 'url', 'uri'];

/** A label value inside double quotes: backslash, quote and line breaks escaped as PromQL reads them. */
export function quoteLabel(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** A literal inside an RE2 regex: every metacharacter escaped. */
export function regexLiteral(v: string): string {
  return v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function metricNamesOf(m: Partial<PrometheusMetricNames> | undefined, kind: 'docker' | 'kubernetes'): PrometheusMetricNames {
  const serviceLabel = m?.serviceLabel ?? (kind === 'docker' ? DEFAULT_DOCKER_SERVICE_LABEL : undefined);
  return {
    requests: m?.requests ?? DEFAULT_METRIC_NAMES.requests,
    durationBucket: m?.durationBucket ?? DEFAULT_METRIC_NAMES.durationBucket,
    ...(serviceLabel ? { serviceLabel } : {}),
  };
}

/** The regex of a workload's pod names: a Deployment's `<name>-<replicaset hash>-<suffix>`, a StatefulSet's `<name>-<ordinal>`. */
export function podPattern(workload: string, kind: 'deployment' | 'statefulset'): string {
  const base = regexLiteral(workload);
  return kind === 'statefulset' ? `${base}-[0-9]+` : `${base}-[a-z0-9]+-[a-z0-9]+`;
}

/** The matchers naming the target, without braces. */
export function targetMatchers(target: QueryTarget, names: PrometheusMetricNames): string[] {
  if (target.kind === 'docker') return [`${names.serviceLabel ?? DEFAULT_DOCKER_SERVICE_LABEL}=${quoteLabel(target.service)}`];
  const out = [`namespace=${quoteLabel(target.namespace)}`];
  if (names.serviceLabel) out.push(`${names.serviceLabel}=${quoteLabel(target.workload)}`);
  else if (target.pods?.length) out.push(`pod=~${quoteLabel(target.pods.map(regexLiteral).join('|'))}`);
  else if (target.pods)
    out.push('pod=""', 'pod!=""'); // no pod now: a selector nothing matches
  else out.push(`pod=~${quoteLabel(podPattern(target.workload, target.workloadKind))}`);
  return out;
}

const notProbe = PATH_LABELS.map((l) => `${l}!~${quoteLabel(PROBE_ROUTES)}`);

/** A rate window as PromQL writes it, whole seconds. */
export function windowOf(seconds: number): string {
  return `${Math.max(1, Math.round(seconds))}s`;
}

/**
 * The rate window for a step, as Grafana's $__rate_interval: at least four scrapes (a rate needs
 * two samples, and a missed scrape must not empty it) and at least one step (no request between
 * two points goes uncounted).
 */
export function rateWindowSeconds(stepSeconds: number, scrapeIntervalSeconds: number): number {
  return Math.max(stepSeconds + scrapeIntervalSeconds, 4 * scrapeIntervalSeconds);
}

export interface FigureQueries {
  rps: string;
  errorsPerSecond: string;
  p95Ms: string;
  /** cAdvisor's, as a kubelet exports them; Kubernetes only (empty where nobody scrapes them). */
  cpuPercent?: string;
  memMiB?: string;
}

/** The queries of one service's figures; `by`: one series per value of that label (per-pod figures) instead of one sum. */
export function figureQueries(target: QueryTarget, names: PrometheusMetricNames, windowSeconds: number, by?: string): FigureQueries {
  const sel = [...targetMatchers(target, names), ...notProbe];
  const w = windowOf(windowSeconds);
  const group = by ? ` by (${by})` : '';
  const bucketGroup = by ? ` by (le, ${by})` : ' by (le)';
  const out: FigureQueries = {
    rps: `sum${group} (rate(${names.requests}{${sel.join(', ')}}[${w}]))`,
    errorsPerSecond: `sum${group} (rate(${names.requests}{${[...sel, 'status=~"5.."'].join(', ')}}[${w}]))`,
    p95Ms: `histogram_quantile(0.95, sum${bucketGroup} (rate(${names.durationBucket}{${sel.join(', ')}}[${w}]))) * 1000`,
  };
  if (target.kind === 'kubernetes') {
    // The pod's containers only: cAdvisor also reports the pod's sandbox (container="POD") and the whole pod (container="").
    const pods = [...targetMatchers(target, { ...names, serviceLabel: undefined }), 'container!=""', 'container!="POD"'].join(', ');
    out.cpuPercent = `sum${group} (rate(container_cpu_usage_seconds_total{${pods}}[${w}])) * 100`;
    out.memMiB = `sum${group} (container_memory_working_set_bytes{${pods}}) / 1048576`;
  }
  return out;
}

/** Every pod's rates in these namespaces at once (one poll for a whole context): requests, 5xx, latency buckets. */
export function podFigureQueries(
  namespaces: readonly string[],
  names: PrometheusMetricNames,
  windowSeconds: number,
): { rps: string; errorsPerSecond: string; buckets: string } {
  const ns = `namespace=~${quoteLabel(namespaces.map(regexLiteral).join('|'))}`;
  const sel = [ns, 'pod!=""', ...notProbe];
  const w = windowOf(windowSeconds);
  return {
    rps: `sum by (namespace, pod) (rate(${names.requests}{${sel.join(', ')}}[${w}]))`,
    errorsPerSecond: `sum by (namespace, pod) (rate(${names.requests}{${[...sel, 'status=~"5.."'].join(', ')}}[${w}]))`,
    buckets: `sum by (namespace, pod, le) (rate(${names.durationBucket}{${sel.join(', ')}}[${w}]))`,
  };
}
