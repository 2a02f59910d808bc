/**
 * A service's figures, once a second: CPU, memory and network from each instance's stats
 * stream, and request rate, errors and p95 latency scraped from each instance's /metrics over
 * its port published on the loopback. Kept in a fixed ring (5 minutes) while anyone watches and
 * for a minute after, so switching tabs does not lose the chart.
 */
import type { Instance, MetricPoint } from '../../common/model';
import type Docker from 'dockerode';
import type { ServicesLike } from '../env/driver';
import { streamStats, type ContainerSample } from './docker-stats';
import { ratesBetween, readRequestCounters, type RequestCounters } from './prometheus';

const RING = 300;
const SCRAPE_MS = 2000;
const SCRAPE_TIMEOUT_MS = 1000;
const LINGER_MS = 60_000;

interface InstanceState {
  name: string;
  stopStats: () => void;
  last?: ContainerSample;
  prev?: ContainerSample;
  /** Where its /metrics answers (127.0.0.1 only), once found; `null` when none did. */
  metricsUrl?: string | null;
  probedAt: number;
  scrapes: { t: number; c: RequestCounters }[];
}

/** What the figures are read from: the engine's stats, the services' instances. */
export interface StatsSource {
  readonly services: Pick<ServicesLike, 'list' | 'on' | 'off'>;
  readonly engine: { readonly api: Docker };
}

export class ServiceMetrics {
  private readonly ring: MetricPoint[] = [];
  private readonly listeners = new Set<(p: MetricPoint) => void>();
  private readonly instances = new Map<string, InstanceState>();
  private tick: NodeJS.Timeout | undefined;
  private scrape: NodeJS.Timeout | undefined;
  private linger: NodeJS.Timeout | undefined;
  private readonly onChange = () => this.sync();

  constructor(
    private readonly env: StatsSource,
    private readonly serviceId: string,
    private readonly onIdle: () => void,
  ) {}

  watch(listener: (p: MetricPoint) => void): { history: MetricPoint[]; stop: () => void } {
    clearTimeout(this.linger);
    if (!this.tick) this.start();
    this.listeners.add(listener);
    return {
      history: [...this.ring],
      stop: () => {
        this.listeners.delete(listener);
        if (this.listeners.size === 0) {
          this.linger = setTimeout(() => this.close(), LINGER_MS);
          this.linger.unref?.();
        }
      },
    };
  }

  close(): void {
    clearInterval(this.tick);
    clearInterval(this.scrape);
    clearTimeout(this.linger);
    this.tick = this.scrape = undefined;
    this.env.services.off('change', this.onChange);
    for (const i of this.instances.values()) i.stopStats();
    this.instances.clear();
    this.onIdle();
  }

  private start(): void {
    this.env.services.on('change', this.onChange);
    this.sync();
    this.tick = setInterval(() => this.emitPoint(), 1000);
    this.scrape = setInterval(() => void this.scrapeAll(), SCRAPE_MS);
    void this.scrapeAll();
  }

  private running(): Instance[] {
    return (
      this.env.services
        .list()
        .find((s) => s.id === this.serviceId)
        ?.instances.filter((i) => i.state === 'running') ?? []
    );
  }

  private sync(): void {
    const now = this.running();
    const ids = new Set(now.map((i) => i.id));
    for (const i of now) {
      if (this.instances.has(i.id)) continue;
      const st: InstanceState = { name: i.name, stopStats: () => {}, probedAt: 0, scrapes: [] };
      st.stopStats = streamStats(
        this.env.engine.api,
        i.id,
        (s) => {
          st.prev = st.last;
          st.last = s;
        },
        () => this.instances.delete(i.id),
      );
      this.instances.set(i.id, st);
    }
    for (const [id, st] of this.instances) {
      if (ids.has(id)) continue;
      st.stopStats();
      this.instances.delete(id);
    }
  }

  private emitPoint(): void {
    const point: MetricPoint & { rxKBps: number; txKBps: number } = { t: Date.now(), cpuPercent: 0, memMiB: 0, rxKBps: 0, txKBps: 0, instances: {} };
    let withRequests = 0;
    let rps = 0;
    let errors = 0;
    let p95: number | undefined;
    for (const st of this.instances.values()) {
      if (st.last) {
        const mem = st.last.memBytes / (1 << 20);
        point.cpuPercent += st.last.cpuPercent;
        point.memMiB += mem;
        point.instances[st.name] = { cpuPercent: round(st.last.cpuPercent), memMiB: round(mem) };
        if (st.prev && st.last.t > st.prev.t) {
          const dt = (st.last.t - st.prev.t) / 1000;
          point.rxKBps += Math.max(0, st.last.rxBytes - st.prev.rxBytes) / 1024 / dt;
          point.txKBps += Math.max(0, st.last.txBytes - st.prev.txBytes) / 1024 / dt;
        }
      }
      const [a, b] = st.scrapes.slice(-2);
      if (a && b) {
        const r = ratesBetween(a.c, b.c, (b.t - a.t) / 1000);
        withRequests++;
        rps += r.rps;
        errors += r.errorsPerSecond;
        if (r.p95Ms !== undefined) p95 = Math.max(p95 ?? 0, r.p95Ms); // the slowest instance's p95: a bound for the service
      }
    }
    point.cpuPercent = round(point.cpuPercent);
    point.memMiB = round(point.memMiB);
    point.rxKBps = round(point.rxKBps);
    point.txKBps = round(point.txKBps);
    if (withRequests) {
      point.rps = round(rps);
      point.errorsPerSecond = round(errors);
      if (p95 !== undefined) point.p95Ms = round(p95);
    }
    this.ring.push(point);
    if (this.ring.length > RING) this.ring.shift();
    for (const l of this.listeners) l(point);
  }

  private async scrapeAll(): Promise<void> {
    const list = this.running();
    await Promise.all(
      list.map(async (i) => {
        const st = this.instances.get(i.id);
        if (!st) return;
        // A replica that is still starting answers nothing yet: look again every few seconds.
        if (st.metricsUrl === undefined || (st.metricsUrl === null && Date.now() - st.probedAt > 5_000)) {
          st.probedAt = Date.now();
          st.metricsUrl = await findMetrics(i);
        }
        if (!st.metricsUrl) return;
        const c = await scrapeOnce(st.metricsUrl);
        if (!c) return;
        st.scrapes.push({ t: Date.now(), c });
        if (st.scrapes.length > 2) st.scrapes.shift();
      }),
    );
  }
}

/** Only ports published on the loopback or all addresses are tried, always at 127.0.0.1. */
async function findMetrics(i: Instance): Promise<string | null> {
  for (const p of i.ports) {
    if (!p.hostPort || p.protocol !== 'tcp') continue;
    const ip = p.hostIp ?? '';
    if (!(ip === '' || ip === '0.0.0.0' || ip === '::' || ip.startsWith('127.'))) continue;
    const url = `http://127.0.0.1:${p.hostPort}/metrics`;
    if (await scrapeOnce(url)) return url;
  }
  return null;
}

async function scrapeOnce(url: string): Promise<RequestCounters | undefined> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
    if (!r.ok) return undefined;
    return readRequestCounters(await r.text());
  } catch {
    return undefined;
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** One ServiceMetrics per watched service of an environment. */
export class MetricsHub {
  private readonly services = new Map<string, ServiceMetrics>();
  constructor(private readonly env: StatsSource) {}

  watch(serviceId: string, listener: (p: MetricPoint) => void) {
    let m = this.services.get(serviceId);
    if (!m) {
      m = new ServiceMetrics(this.env, serviceId, () => this.services.delete(serviceId));
      this.services.set(serviceId, m);
    }
    return m.watch(listener);
  }

  close(): void {
    for (const m of [...this.services.values()]) m.close();
  }
}
