/**
 * Metrics history as the window and the CLI read it: ranges of a service's points from the
 * store (1 s for the last hour, 10 s for a day, 1 min for a week), the markers of what happened
 * to it, and the figures of every service at a glance (sparklines, error rate, p95).
 */
import type { MetricPoint } from './model';

/** What happened to a service, drawn on its charts where it happened. */
export type MetricMarkerKind = 'scale' | 'restart' | 'deploy' | 'crash' | 'breaker';

export interface MetricMarker {
  /** ms since epoch */
  t: number;
  kind: MetricMarkerKind;
  /** In words: "scaled 2 → 4", "order-service-1 exited with code 1", "breaker user-service open on order-service-1". */
  text: string;
  /** The instance it happened to, where it is one. */
  instance?: string;
}

/** The store's tiers: resolution in ms and how long it is kept. */
export const METRIC_TIERS = [
  { stepMs: 1_000, keepMs: 3_600_000 },
  { stepMs: 10_000, keepMs: 86_400_000 },
  { stepMs: 60_000, keepMs: 7 * 86_400_000 },
] as const;

/** The Metrics tab's ranges. */
export const METRIC_RANGES = { '15m': 15 * 60_000, '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type MetricRangeName = keyof typeof METRIC_RANGES;

/** What metrics.range answers: points in time order, each the mean over `stepMs` (p95: the bucket's highest). */
export interface MetricsRangeResult {
  serviceId: string;
  from: number;
  to: number;
  /** The points' spacing: the tier read, or wider where the range held more points than asked for. */
  stepMs: number;
  points: MetricPoint[];
  markers: MetricMarker[];
  /** Where the points came from: the local store, or the environment's Prometheus (history beyond the store, pods' requests). */
  source: 'local' | 'prometheus';
  /** Asked with `instances: 'top'`: every instance in the range, also those left out of the points. */
  instanceNames?: string[];
}

/** One service's figures at a glance: the last 15 minutes as sparklines, and the latest values. */
export interface GlanceRow {
  serviceId: string;
  envId: string;
  /** Oldest first, one value per `stepMs` of GlanceEvent; null where nothing was measured. */
  cpu: (number | null)[];
  rps: (number | null)[];
  /** The latest second (or the last known within 10 s). */
  cpuPercent?: number;
  memMiB?: number;
  requestsPerSecond?: number;
  /** 5xx share of requests (0..1) over the last minute; absent without request figures. */
  errorRate?: number;
  errorsPerSecond?: number;
  p95Ms?: number;
}

/** What metrics.glance sends every few seconds: every service of the environments asked for. */
export interface GlanceEvent {
  t: number;
  /** The sparklines' spacing. */
  stepMs: number;
  rows: GlanceRow[];
}

/** The last 15 minutes, in 30 points. */
export const GLANCE_SPAN_MS = 15 * 60_000;
export const GLANCE_STEP_MS = 30_000;
