/**
 * One scrape of each running instance's /metrics every 2 s, for every service of a Docker engine,
 * whether or not a chart is open: the service health (circuit breakers, 5xx share over 30 s) needs
 * it, and the Metrics tab reads the same scrapes instead of scraping again. Only ports published on
 * the loopback or all addresses are tried, always at 127.0.0.1; at most 200 instances, 8 scrapes at
 * once, 1 s each; an instance whose ports answer no /metrics is asked again after 5 s, then less and
 * less often (up to a minute).
 */
import { EventEmitter } from 'node:events';
import { sortBreakers, type BreakerReading, type DegradedSignals } from '../../common/degraded';
import type { Instance, Service } from '../../common/model';
import { readScrape, type RequestCounters, type Scrape } from './prometheus';

export const SCRAPE_MS = 2000;
const SCRAPE_TIMEOUT_MS = 1000;
const MAX_INSTANCES = 200;
const CONCURRENCY = 8;
/** The 5xx share is judged over this window. */
export const ERROR_WINDOW_MS = 30_000;
/** A breaker reading older than this (the instance stopped answering) is dropped. */
const STALE_MS = 3 * SCRAPE_MS + SCRAPE_TIMEOUT_MS;
const RETRY_MIN_MS = 5_000;
const RETRY_MAX_MS = 60_000;

export interface TimedScrape {
  t: number;
  c?: RequestCounters;
  breakers: Scrape['breakers'];
}

interface InstanceScrapes {
  name: string;
  url?: string | null;
  retryAt: number;
  retryMs: number;
  scrapes: TimedScrape[];
}

/** What the scraper needs of the services: their list and its changes. */
export interface ScrapedServices {
  list(): Service[];
  on(event: 'change', fn: () => void): unknown;
  off(event: 'change', fn: () => void): unknown;
}

/** What the service record takes from the scrapes: the breakers, and the signals for common/degraded.ts. */
export interface ScrapedHealth {
  breakers?: BreakerReading[];
  signals: DegradedSignals;
}

export class MetricsScraper extends EventEmitter<{ change: [] }> {
  private readonly instances = new Map<string, InstanceScrapes>();
  private readonly health = new Map<string, ScrapedHealth>();
  private readonly fingerprints = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly services: ScrapedServices,
    private readonly fetchText: (url: string) => Promise<string | undefined> = fetchMetrics,
  ) {
    super();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), SCRAPE_MS);
    this.timer.unref?.();
    void this.tick();
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.instances.clear();
    this.health.clear();
    this.fingerprints.clear();
  }

  /** The scrapes of one instance, oldest first (up to the last 30 s). */
  scrapesOf(instanceId: string): readonly TimedScrape[] {
    return this.instances.get(instanceId)?.scrapes ?? [];
  }

  /** What the last round of scrapes says of a service; undefined when none of its instances has /metrics. */
  healthOf(serviceId: string): ScrapedHealth | undefined {
    return this.health.get(serviceId);
  }

  /** One round: scrape every instance due, then recompute each service's health and say if any changed. */
  async tick(now = Date.now): Promise<void> {
    if (this.busy) return; // a round still waiting on slow answers: this one is skipped, never piled up
    this.busy = true;
    try {
      const services = this.services.list();
      const targets: Instance[] = [];
      for (const s of services)
        for (const i of s.instances) if (i.state === 'running' && loopbackPorts(i).length && targets.length < MAX_INSTANCES) targets.push(i);
      const live = new Set(targets.map((i) => i.id));
      for (const id of this.instances.keys()) if (!live.has(id)) this.instances.delete(id);
      let next = 0;
      const worker = async () => {
        while (next < targets.length) await this.scrapeInstance(targets[next++]!, now);
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, targets.length) }, worker));
      if (!this.timer) return; // closed meanwhile
      this.recompute(services, now());
    } finally {
      this.busy = false;
    }
  }

  private async scrapeInstance(i: Instance, now: () => number): Promise<void> {
    let st = this.instances.get(i.id);
    if (!st) this.instances.set(i.id, (st = { name: i.name, retryAt: 0, retryMs: RETRY_MIN_MS, scrapes: [] }));
    st.name = i.name;
    if (!st.url) {
      if (st.url === null && now() < st.retryAt) return;
      st.url = await this.find(i);
      if (!st.url) {
        // A replica still starting answers nothing yet; a port that is no HTTP never will: ask less and less often.
        st.retryAt = now() + st.retryMs;
        st.retryMs = Math.min(RETRY_MAX_MS, st.retryMs * 2);
        return;
      }
      st.retryMs = RETRY_MIN_MS;
    }
    const text = await this.fetchText(st.url);
    if (text === undefined) return;
    const s = readScrape(text);
    const t = now();
    st.scrapes.push({ t, ...(s.counters ? { c: s.counters } : {}), breakers: s.breakers });
    while (st.scrapes.length > 2 && t - st.scrapes[1]!.t >= ERROR_WINDOW_MS) st.scrapes.shift();
  }

  private async find(i: Instance): Promise<string | null> {
    for (const port of loopbackPorts(i)) {
      const url = `http://127.0.0.1:${port}/metrics`;
      const text = await this.fetchText(url);
      if (text === undefined) continue;
      const s = readScrape(text);
      if (s.counters || s.breakers.length) return url;
    }
    return null;
  }

  private recompute(services: Service[], t: number): void {
    let changed = false;
    const seen = new Set<string>();
    for (const s of services) {
      const h = this.serviceHealth(s, t);
      const fp = h ? JSON.stringify([h.breakers, degradedFingerprint(h.signals)]) : '';
      if (h) {
        this.health.set(s.id, h);
        seen.add(s.id);
      }
      if ((this.fingerprints.get(s.id) ?? '') !== fp) {
        changed = true;
        if (fp) this.fingerprints.set(s.id, fp);
        else this.fingerprints.delete(s.id);
      }
    }
    for (const id of [...this.health.keys()]) if (!seen.has(id)) this.health.delete(id);
    for (const id of [...this.fingerprints.keys()]) {
      if (seen.has(id)) continue;
      this.fingerprints.delete(id);
      changed = true;
    }
    if (changed) this.emit('change');
  }

  private serviceHealth(s: Service, t: number): ScrapedHealth | undefined {
    const breakers: BreakerReading[] = [];
    let total = 0;
    let errors = 0;
    let span = 0;
    let any = false;
    for (const i of s.instances) {
      const st = this.instances.get(i.id);
      const last = st?.scrapes.at(-1);
      if (!st || !last || t - last.t > STALE_MS) continue;
      any = true;
      for (const b of last.breakers) breakers.push({ instance: i.name, breaker: b.breaker, state: b.state });
      const first = st.scrapes.find((x) => x.c);
      if (first?.c && last.c && first !== last) {
        total += grew(first.c.requests, last.c.requests);
        errors += grew(first.c.errors, last.c.errors);
        span = Math.max(span, last.t - first.t);
      }
    }
    if (!any) return undefined;
    return {
      ...(breakers.length ? { breakers: sortBreakers(breakers) } : {}),
      signals: { breakers, ...(span > 0 ? { requests: { total, errors, windowSeconds: ERROR_WINDOW_MS / 1000 } } : {}) },
    };
  }
}

/** A counter that went down (the instance restarted) started over. */
const grew = (a: number, b: number) => (b >= a ? b - a : b);

/** What changes the badge: the breakers' states and whether (and how far) 5xx are over the line, not every new request. */
function degradedFingerprint(s: DegradedSignals): string {
  const r = s.requests;
  return r && r.total ? String(Math.round((r.errors / r.total) * 100)) : '';
}

/** TCP ports published on the loopback or all addresses: the only ones ever scraped, at 127.0.0.1. */
export function loopbackPorts(i: Instance): number[] {
  const out: number[] = [];
  for (const p of i.ports) {
    if (!p.hostPort || p.protocol !== 'tcp') continue;
    const ip = p.hostIp ?? '';
    if (!(ip === '' || ip === '0.0.0.0' || ip === '::' || ip.startsWith('127.'))) continue;
    if (!out.includes(p.hostPort)) out.push(p.hostPort);
  }
  return out;
}

const MAX_PAGE = 4 << 20;

async function fetchMetrics(url: string): Promise<string | undefined> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS), redirect: 'error' });
    if (!r.ok) return undefined;
    const text = await r.text();
    return text.length > MAX_PAGE ? undefined : text;
  } catch {
    return undefined;
  }
}
