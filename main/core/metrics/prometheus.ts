/**
 * The services' own figures from their Prometheus /metrics: request count, errors (5xx) and
 * the latency histogram, summed over every label set but those of probes (/health, /ready,
 * /metrics: a `route`, `path`, `handler` or `url` label that is a probe's path), which are counted
 * apart; and each `circuit_breaker_state{breaker,state}` gauge. Rates come from two scrapes.
 *
 * The text format's sample lines are parsed here: the npm parser we tried
 * (parse-prometheus-text-format) merges the label sets of a histogram into one, which loses
 * every route but the last.
 */

import type { BreakerReading, BreakerState } from '../../common/degraded';
import { isProbePath } from '../../common/probes';
import { plainText } from '../../common/output-policy';

export interface RequestCounters {
  /** Requests other than probes. */
  requests: number;
  /** Probe requests (health, readiness, metrics scrapes), left out of every other figure. */
  probeRequests: number;
  errors: number;
  /** Cumulative histogram buckets by upper bound in seconds (+Inf included). */
  buckets: Map<number, number>;
  durationSum: number;
  durationCount: number;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?/g;

/** Every sample line of a text-format page (comments and blank lines skipped, bad lines too). */
export function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const v = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
    if (!Number.isNaN(v)) out.push({ name: m[1]!, labels, value: v });
  }
  return out;
}

const REQUESTS = new Set(['http_requests_total', 'http_server_requests_total']);
const DURATION = ['http_request_duration_seconds', 'http_server_request_duration_seconds'];
const isError = (labels: Record<string, string>) => Number(labels.status ?? labels.code ?? labels.status_code ?? 0) >= 500;
const PATH_LABELS = ['route', 'path', 'handler', 'url', 'uri'];
const isProbe = (labels: Record<string, string>) => PATH_LABELS.some((l) => labels[l] !== undefined && isProbePath(labels[l]));

export function readRequestCounters(text: string): RequestCounters | undefined {
  return readScrape(text).counters;
}

/** What one scrape of /metrics says: its request counters (if it has any) and its breakers' states. */
export interface Scrape {
  counters?: RequestCounters;
  /** One per breaker: the state whose gauge is 1 (`instance` is left empty for the caller to fill). */
  breakers: Omit<BreakerReading, 'instance'>[];
}

const BREAKER_STATES = new Set<string>(['closed', 'open', 'half_open']);

export function readScrape(text: string): Scrape {
  const out: RequestCounters = { requests: 0, probeRequests: 0, errors: 0, buckets: new Map(), durationSum: 0, durationCount: 0 };
  const breakers = new Map<string, BreakerState>();
  let found = false;
  for (const s of parseSamples(text)) {
    if (s.name === 'circuit_breaker_state') {
      // A label value is what the container says: shown only after the output policy, and bounded.
      const b = s.labels.breaker === undefined ? undefined : plainText(s.labels.breaker).slice(0, 120);
      const st = s.labels.state;
      if (b !== undefined && st !== undefined && BREAKER_STATES.has(st) && s.value >= 1 && breakers.size < 64) breakers.set(b, st as BreakerState);
      continue;
    }
    if (REQUESTS.has(s.name)) {
      found = true;
      if (isProbe(s.labels)) {
        out.probeRequests += s.value;
        continue;
      }
      out.requests += s.value;
      if (isError(s.labels)) out.errors += s.value;
      continue;
    }
    const base = DURATION.find((d) => s.name.startsWith(d));
    if (!base) continue;
    found = true;
    if (isProbe(s.labels)) continue;
    const suffix = s.name.slice(base.length);
    if (suffix === '_bucket') {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      if (!Number.isNaN(le)) out.buckets.set(le, (out.buckets.get(le) ?? 0) + s.value);
    } else if (suffix === '_sum') out.durationSum += s.value;
    else if (suffix === '_count') out.durationCount += s.value;
  }
  return {
    ...(found ? { counters: out } : {}),
    breakers: [...breakers].map(([breaker, state]) => ({ breaker, state })),
  };
}

export interface RequestRates {
  /** Requests per second, probes left out. */
  rps: number;
  /** Probe requests per second (health, readiness, metrics scrapes). */
  probeRps: number;
  /** 5xx answers per second. */
  errorsPerSecond: number;
  /** 95th percentile latency over the interval, ms; undefined without requests. */
  p95Ms?: number;
}

/** Rates between two scrapes `seconds` apart; a counter that went down (a restart) starts over. */
export function ratesBetween(a: RequestCounters, b: RequestCounters, seconds: number): RequestRates {
  const d = (x: number, y: number) => (y >= x ? y - x : y);
  const out: RequestRates = {
    rps: d(a.requests, b.requests) / seconds,
    probeRps: d(a.probeRequests, b.probeRequests) / seconds,
    errorsPerSecond: d(a.errors, b.errors) / seconds,
  };
  const bounds = [...b.buckets.keys()].sort((x, y) => x - y);
  const total = d(a.durationCount, b.durationCount);
  if (total > 0 && bounds.length) {
    const rank = total * 0.95;
    let prevBound = 0;
    let prevCount = 0;
    for (const le of bounds) {
      const c = d(a.buckets.get(le) ?? 0, b.buckets.get(le) ?? 0);
      if (c >= rank) {
        // Linear within the bucket, as PromQL's histogram_quantile does; +Inf answers the last finite bound.
        const upper = Number.isFinite(le) ? le : prevBound;
        const within = c === prevCount ? 0 : (rank - prevCount) / (c - prevCount);
        out.p95Ms = (prevBound + (upper - prevBound) * within) * 1000;
        break;
      }
      prevBound = Number.isFinite(le) ? le : prevBound;
      prevCount = c;
    }
  }
  return out;
}
