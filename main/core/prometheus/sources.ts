/**
 * Every environment's Prometheus: the settings (prometheus.json in the state folder, 0600: a URL
 * may carry a password), a client per environment, and the two uses: a service's figures over a
 * range (history beyond the local store, request figures the store lacks) and the pods' request
 * figures for the Kubernetes metrics poll. docs/prometheus.md says which queries are asked.
 */
import { EventEmitter } from 'node:events';
import type * as K8s from '@kubernetes/client-node';
import { ApiError } from '../../common/errors';
import type { MetricPoint, Environment } from '../../common/model';
import type { MetricsRangeResult } from '../../common/metrics-model';
import { plainText } from '../../common/output-policy';
import { DEFAULT_SCRAPE_INTERVAL_SECONDS, type PrometheusMetricNames, type PrometheusServiceRef, type PrometheusView } from '../../common/prometheus-model';
import type { EnvironmentDriver } from '../env/driver';
import { readJson, writeJsonAtomic } from '../env/json-store';
import { configFor, loadKubeConfig } from '../kubernetes/kubeconfig';
import { parseServiceId } from '../kubernetes/model';
import { PromClient, serviceProxyTransport, shownUrl, urlTransport } from './client';
import type { PodFigures, PodFiguresSource } from './pod-figures';
import { figureQueries, metricNamesOf, podFigureQueries, rateWindowSeconds, type QueryTarget } from './queries';
import type { Series } from './responses';

/** One environment's settings as stored. */
export interface PrometheusConfig {
  /** With its user and password, if the user gave them: kept here only. */
  url?: string;
  service?: PrometheusServiceRef;
  metricNames?: Partial<PrometheusMetricNames>;
  scrapeIntervalSeconds?: number;
}

export interface SetPrometheus extends PrometheusConfig {
  id: string;
}

interface Drivers {
  get(id: string): EnvironmentDriver;
}

/** The pods' figures move with the rate window (a minute at 15 s scrapes): one poll of a context's Prometheus at most this often. */
const POD_FIGURES_TTL_MS = 5_000;

export class PrometheusSources extends EventEmitter<{ change: [] }> {
  private configs = new Map<string, PrometheusConfig>();
  private readonly clients = new Map<string, Promise<PromClient>>();
  private readonly podCache = new Map<string, { at: number; key: string; value: Promise<PodFigures> }>();

  constructor(
    private readonly file: string,
    private readonly drivers: Drivers,
    private readonly processEnv: NodeJS.ProcessEnv = process.env,
  ) {
    super();
    this.setMaxListeners(0);
    const saved = readJson(file);
    if (saved && typeof saved === 'object') {
      for (const [id, c] of Object.entries(saved as Record<string, PrometheusConfig>)) if (c && (c.url || c.service)) this.configs.set(id, c);
    }
  }

  has(envId: string): boolean {
    return this.configs.has(envId);
  }

  /** What the window may see of an environment's settings: never a password or a token. */
  view(envId: string): PrometheusView | undefined {
    const c = this.configs.get(envId);
    if (!c) return undefined;
    const kind = envId.startsWith('kube:') ? 'kubernetes' : 'docker';
    const names = metricNamesOf(c.metricNames, kind);
    return {
      ...(c.url ? { url: plainText(shownUrl(c.url)) } : {}),
      ...(c.service ? { service: { ...c.service } } : {}),
      metricNames: names,
      scrapeIntervalSeconds: c.scrapeIntervalSeconds ?? DEFAULT_SCRAPE_INTERVAL_SECONDS,
    };
  }

  /** The environment as the window sees it, with its Prometheus and the request figures it brings. */
  decorate(e: Environment): Environment {
    const view = this.view(e.id);
    if (!view) return e;
    const metrics = e.capabilities.metrics.includes('requests') ? e.capabilities.metrics : [...e.capabilities.metrics, 'requests' as const];
    return { ...e, prometheus: view, capabilities: { ...e.capabilities, metrics } };
  }

  /**
   * Names (or, with neither url nor service, forgets) an environment's Prometheus. It is asked
   * once before anything is saved: a URL that does not answer as Prometheus is refused and the
   * settings stay as they were.
   */
  async set(p: SetPrometheus): Promise<void> {
    const d = this.drivers.get(p.id); // NOT_FOUND for an unknown environment
    if (!p.url && !p.service) {
      if (!this.configs.delete(p.id)) return;
      this.forget(p.id);
      this.save();
      this.emit('change');
      return;
    }
    if (p.service && d.kind !== 'kubernetes') {
      throw new ApiError('INVALID_PARAMS', `${d.name} is a Docker engine: it has no services to reach Prometheus through.`, 'Give Prometheus’s URL instead.');
    }
    const config: PrometheusConfig = {
      ...(p.url ? { url: p.url } : {}),
      ...(p.service ? { service: p.service } : {}),
      ...(p.metricNames ? { metricNames: p.metricNames } : {}),
      ...(p.scrapeIntervalSeconds ? { scrapeIntervalSeconds: p.scrapeIntervalSeconds } : {}),
    };
    const client = await this.clientFor(d, config);
    await client.query('vector(1)'); // throws the ApiError that says why
    this.configs.set(p.id, config);
    this.forget(p.id);
    this.clients.set(p.id, Promise.resolve(client));
    this.save();
    this.emit('change');
  }

  /**
   * A service's figures over [from, to) from Prometheus, at most `maxPoints` points; `local`, the
   * store's points, lends CPU and memory where Prometheus has none.
   */
  async range(
    envId: string,
    serviceId: string,
    from: number,
    to: number,
    maxPoints: number,
    local: MetricPoint[] = [],
  ): Promise<Omit<MetricsRangeResult, 'markers'>> {
    const { client, config, driver } = await this.use(envId);
    const target = this.targetOf(driver, serviceId);
    const kind = driver.kind === 'kubernetes' ? 'kubernetes' : 'docker';
    const names = metricNamesOf(config.metricNames, kind);
    const stepMs = Math.max(1000, Math.ceil((to - from) / maxPoints / 1000) * 1000);
    // Evaluated at the end of each step and shown at its start, as the store's points are the mean
    // over [t, t + step); counted back from `to`, so the newest requests are in the last point.
    const end = Math.max(to, from + stepMs);
    const start = end - Math.max(0, Math.floor((end - from - stepMs) / stepMs)) * stepMs;
    const windowS = rateWindowSeconds(stepMs / 1000, config.scrapeIntervalSeconds ?? DEFAULT_SCRAPE_INTERVAL_SECONDS);
    const q = figureQueries(target, names, windowS);
    const ask = (expr: string | undefined) => (expr ? client.queryRange(expr, start, end, stepMs) : Promise.resolve([] as Series[]));
    const [rps, errors, p95, cpu, mem] = await Promise.all([ask(q.rps), ask(q.errorsPerSecond), ask(q.p95Ms), ask(q.cpuPercent), ask(q.memMiB)]);
    return { serviceId, from, to, stepMs, points: toPoints({ rps, errors, p95, cpu, mem }, local, stepMs, stepMs), source: 'prometheus' };
  }

  /** For the Kubernetes metrics poll (pod-figures.ts): undefined when this context names no Prometheus. */
  podSource(envId: string): PodFiguresSource | undefined {
    if (!this.configs.has(envId)) return undefined;
    return { podFigures: (namespaces) => this.podFigures(envId, namespaces) };
  }

  private podFigures(envId: string, namespaces: string[]): Promise<PodFigures> {
    const key = [...namespaces].sort().join(',');
    const hit = this.podCache.get(envId);
    if (hit && hit.key === key && Date.now() - hit.at < POD_FIGURES_TTL_MS) return hit.value;
    const value = (async () => {
      const { client, config } = await this.use(envId);
      const names = metricNamesOf(config.metricNames, 'kubernetes');
      // A poll is every 2 s; the window covers four scrapes.
      const q = podFigureQueries(namespaces, names, rateWindowSeconds(2, config.scrapeIntervalSeconds ?? DEFAULT_SCRAPE_INTERVAL_SECONDS));
      const [rps, errors, buckets] = await Promise.all([client.query(q.rps), client.query(q.errorsPerSecond), client.query(q.buckets)]);
      return podFiguresOf(rps, errors, buckets);
    })();
    this.podCache.set(envId, { at: Date.now(), key, value });
    value.catch(() => this.podCache.delete(envId));
    return value;
  }

  private async use(envId: string): Promise<{ client: PromClient; config: PrometheusConfig; driver: EnvironmentDriver }> {
    const driver = this.drivers.get(envId);
    const config = this.configs.get(envId);
    if (!config) throw new ApiError('NOT_FOUND', `${driver.name} names no Prometheus.`, 'Set one in the environment’s Prometheus settings.');
    let client = this.clients.get(envId);
    if (!client) {
      client = this.clientFor(driver, config);
      this.clients.set(envId, client);
      client.catch(() => this.clients.delete(envId));
    }
    return { client: await client, config, driver };
  }

  private async clientFor(d: EnvironmentDriver, c: PrometheusConfig): Promise<PromClient> {
    if (c.url) return new PromClient(urlTransport(c.url));
    const kc = await this.kubeConfigOf(d);
    return new PromClient(serviceProxyTransport(kc, c.service!, d.name));
  }

  private async kubeConfigOf(d: EnvironmentDriver): Promise<K8s.KubeConfig> {
    const all = await loadKubeConfig(this.processEnv);
    if (!all || !all.getContextObject(d.name)) throw new ApiError('NOT_FOUND', `The kubeconfig no longer has the context ${d.name}.`, 'Check KUBECONFIG.');
    return configFor(all, d.name);
  }

  private targetOf(d: EnvironmentDriver, serviceId: string): QueryTarget {
    if (d.kind === 'kubernetes') {
      const k = parseServiceId(serviceId);
      if (!k) throw new ApiError('NOT_FOUND', `No workload ${serviceId} on ${d.name}.`);
      return { kind: 'kubernetes', namespace: k.ns, workload: k.name, workloadKind: k.kind };
    }
    // A service gone from the engine keeps its history: its name is the id's last part (docker/labels.ts).
    let name: string | undefined;
    try {
      name = d.services.get(serviceId).name;
    } catch {
      name = serviceId.startsWith(`${d.id}/`) ? serviceId.slice(serviceId.lastIndexOf('/') + 1) : undefined;
    }
    if (!name) throw new ApiError('NOT_FOUND', `No service ${serviceId} on ${d.name}.`);
    return { kind: 'docker', service: name };
  }

  private forget(envId: string): void {
    this.clients.delete(envId);
    this.podCache.delete(envId);
  }

  private save(): void {
    writeJsonAtomic(this.file, Object.fromEntries(this.configs), { pretty: true });
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** One value per time of a query without grouping (sums over no series are absent, not 0). */
function byTime(series: Series[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of series) for (const [t, v] of s.samples) out.set(t, (out.get(t) ?? 0) + v);
  return out;
}

/** Range answers as MetricPoints at their times; CPU and memory from `local` (the nearest stored point within a step) where Prometheus has none. */
export function toPoints(
  a: { rps: Series[]; errors: Series[]; p95: Series[]; cpu: Series[]; mem: Series[] },
  local: MetricPoint[],
  stepMs: number,
  /** How far before its evaluation a point is shown: a rate over the step that ends there. */
  shiftMs = 0,
): MetricPoint[] {
  const rps = byTime(a.rps);
  const errors = byTime(a.errors);
  const p95 = byTime(a.p95);
  const cpu = byTime(a.cpu);
  const mem = byTime(a.mem);
  const times = [...new Set([...rps.keys(), ...errors.keys(), ...p95.keys(), ...cpu.keys(), ...mem.keys()])].sort((x, y) => x - y);
  const sorted = [...local].sort((x, y) => x.t - y.t);
  let j = 0;
  return times.map((at) => {
    const t = at - shiftMs;
    while (j + 1 < sorted.length && Math.abs(sorted[j + 1]!.t - t) <= Math.abs(sorted[j]!.t - t)) j++;
    const near = sorted[j] && Math.abs(sorted[j]!.t - t) <= stepMs ? sorted[j] : undefined;
    const point: MetricPoint = {
      t,
      cpuPercent: round(cpu.get(at) ?? near?.cpuPercent ?? 0),
      memMiB: round(mem.get(at) ?? near?.memMiB ?? 0),
      instances: {},
    };
    if (near?.rxKBps !== undefined) point.rxKBps = near.rxKBps;
    if (near?.txKBps !== undefined) point.txKBps = near.txKBps;
    const r = rps.get(at);
    if (r !== undefined) {
      point.rps = round(r);
      point.errorsPerSecond = round(errors.get(at) ?? 0);
    }
    const p = p95.get(at);
    if (p !== undefined) point.p95Ms = round(p);
    return point;
  });
}

/** Instant answers grouped by (namespace, pod[, le]) as per-pod rates. */
export function podFiguresOf(rps: Series[], errors: Series[], buckets: Series[]): PodFigures {
  const out: PodFigures = new Map();
  const entry = (l: Record<string, string>) => {
    const key = `${l.namespace ?? ''}/${l.pod ?? ''}`;
    let e = out.get(key);
    if (!e) out.set(key, (e = { rps: 0, errorsPerSecond: 0, buckets: new Map() }));
    return e;
  };
  for (const s of rps) entry(s.labels).rps += s.samples[0]?.[1] ?? 0;
  for (const s of errors) entry(s.labels).errorsPerSecond += s.samples[0]?.[1] ?? 0;
  for (const s of buckets) {
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    const v = s.samples[0]?.[1];
    if (Number.isNaN(le) || v === undefined) continue;
    const e = entry(s.labels);
    e.buckets.set(le, (e.buckets.get(le) ?? 0) + v);
  }
  return out;
}
