/**
 * A service's figures, once a second: CPU, memory and network from each instance's stats
 * stream, and request rate, errors and p95 latency (probes left out, their rate apart) from the
 * scrapes of each instance's /metrics that the environment's MetricsScraper makes anyway. Kept in a fixed ring (5 minutes) while anyone watches and
 * for a minute after, so switching tabs does not lose the chart.
 */
import type { Instance, InstanceFigures, MetricPoint } from '../../common/model';
import type Docker from 'dockerode';
import type { ServicesLike } from '../env/driver';
import { streamStats, type ContainerSample } from './docker-stats';
import { ratesBetween } from './prometheus';
import type { MetricsScraper } from './scraper';

const RING = 300;
const LINGER_MS = 60_000;

interface InstanceState {
  name: string;
  stopStats: () => void;
  last?: ContainerSample;
  prev?: ContainerSample;
}

/** What the figures are read from: the engine's stats, the services' instances. */
export interface StatsSource {
  readonly services: Pick<ServicesLike, 'list' | 'on' | 'off'>;
  readonly engine: { readonly api: Docker };
  /** Each instance's scrapes of /metrics (one every 2 s, made whether or not a chart is open). */
  readonly scraper: Pick<MetricsScraper, 'scrapesOf'>;
}

export class ServiceMetrics {
  private readonly ring: MetricPoint[] = [];
  private readonly listeners = new Set<(p: MetricPoint) => void>();
  private readonly instances = new Map<string, InstanceState>();
  private tick: NodeJS.Timeout | undefined;
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
    clearTimeout(this.linger);
    this.tick = undefined;
    this.env.services.off('change', this.onChange);
    for (const i of this.instances.values()) i.stopStats();
    this.instances.clear();
    this.onIdle();
  }

  private start(): void {
    this.env.services.on('change', this.onChange);
    this.sync();
    this.tick = setInterval(() => this.emitPoint(), 1000);
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
      const st: InstanceState = { name: i.name, stopStats: () => {} };
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
    let probeRps = 0;
    let errors = 0;
    let p95: number | undefined;
    for (const [id, st] of this.instances) {
      let figures: InstanceFigures | undefined;
      if (st.last) {
        const mem = st.last.memBytes / (1 << 20);
        point.cpuPercent += st.last.cpuPercent;
        point.memMiB += mem;
        figures = point.instances[st.name] = { cpuPercent: round(st.last.cpuPercent), memMiB: round(mem) };
        if (st.prev && st.last.t > st.prev.t) {
          const dt = (st.last.t - st.prev.t) / 1000;
          const rx = Math.max(0, st.last.rxBytes - st.prev.rxBytes) / 1024 / dt;
          const tx = Math.max(0, st.last.txBytes - st.prev.txBytes) / 1024 / dt;
          point.rxKBps += rx;
          point.txKBps += tx;
          figures.rxKBps = round(rx);
          figures.txKBps = round(tx);
        }
      }
      const [a, b] = this.env.scraper.scrapesOf(id).slice(-2);
      if (a?.c && b?.c && b.t > a.t) {
        const r = ratesBetween(a.c, b.c, (b.t - a.t) / 1000);
        withRequests++;
        rps += r.rps;
        probeRps += r.probeRps;
        errors += r.errorsPerSecond;
        if (r.p95Ms !== undefined) p95 = Math.max(p95 ?? 0, r.p95Ms); // the slowest instance's p95: a bound for the service
        if (figures) {
          figures.rps = round(r.rps);
          figures.errorsPerSecond = round(r.errorsPerSecond);
          if (r.p95Ms !== undefined) figures.p95Ms = round(r.p95Ms);
        }
      }
    }
    point.cpuPercent = round(point.cpuPercent);
    point.memMiB = round(point.memMiB);
    point.rxKBps = round(point.rxKBps);
    point.txKBps = round(point.txKBps);
    if (withRequests) {
      point.rps = round(rps);
      point.probeRps = round(probeRps);
      point.errorsPerSecond = round(errors);
      if (p95 !== undefined) point.p95Ms = round(p95);
    }
    this.ring.push(point);
    if (this.ring.length > RING) this.ring.shift();
    for (const l of this.listeners) l(point);
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
