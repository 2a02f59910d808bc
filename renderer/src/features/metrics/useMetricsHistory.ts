/**
 * The figures of one service for the Metrics tab: a range read from the recorder's store
 * (metrics.range), the live seconds of metrics.watch folded into that range's step for the short
 * ranges, the long ones read again every 30 s, and the markers of what happened in the range.
 */
import { useEffect, useRef, useState, useSyncExternalStore, type RefObject } from 'react';
import type { ApiErrorBody } from '../../../../main/common/errors';
import { METRIC_RANGES, type MetricMarker, type MetricRangeName } from '../../../../main/common/metrics-model';
import type { MetricPoint } from '../../../../main/common/model';
import { api } from '../../api/instance';
import { appendBounded, LIVE_RANGES, LiveBucket, MAX_MARKERS, MAX_POINTS, mergeMarkers, REFRESH_MS } from './series';

export interface Span {
  from: number;
  to: number;
}

export interface RangeState {
  status: 'loading' | 'ready' | 'error';
  error?: ApiErrorBody;
  points: MetricPoint[];
  markers: MetricMarker[];
  /** The x axis: the range asked for, moving with the live buckets. */
  domain: [number, number];
  stepMs: number;
  source?: 'local' | 'prometheus';
  /** Every instance in the range: the points carry figures only for those a chart draws. */
  names: string[];
}

/** Markers are asked for this often while a short range follows the present. */
const MARKER_POLL_MS = 5_000;
/** Live seconds kept while the first range read is on its way. */
const EARLY_MAX = 600;

/**
 * The newest point of a service, second by second, outside React state: only what shows it (the
 * value beside each title, the probes note) subscribes, so a second redraws a few text nodes and
 * not the panel. `feed` gets each point too.
 */
export class LiveFigures {
  latest?: MetricPoint;
  /** Why no points come (a cluster without metrics-server). */
  problem?: string;
  ended?: ApiErrorBody;
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  set(patch: { latest?: MetricPoint | undefined; problem?: string | undefined; ended?: ApiErrorBody | undefined }): void {
    Object.assign(this, patch);
    for (const fn of this.listeners) fn();
  }
}

const NEVER = () => () => {};

/** A value read from the live figures (a primitive, or an object kept until it changes), re-read each second. */
export function useLive<T>(live: LiveFigures | undefined, select: (l: LiveFigures | undefined) => T): T {
  return useSyncExternalStore(live?.subscribe ?? NEVER, () => select(live));
}

export function useLiveFigures(envId: string, serviceId: string, attempt: number, feed: RefObject<((p: MetricPoint) => void) | undefined>): LiveFigures {
  const [live] = useState(() => new LiveFigures());
  useEffect(() => {
    live.set({ latest: undefined, problem: undefined, ended: undefined });
    return api.subscribe(
      'metrics.watch',
      { envId, serviceId },
      (e) => {
        if (e.kind === 'problem') return live.set({ problem: e.message });
        const points = e.kind === 'history' ? e.points : [e.point];
        for (const p of points) feed.current?.(p);
        const latest = points.at(-1);
        if (latest) live.set({ latest, problem: undefined });
      },
      (err) => err && live.set({ ended: err }),
    );
  }, [envId, serviceId, attempt, feed, live]);
  return live;
}

export function useMetricsHistory(
  envId: string,
  serviceId: string,
  range: MetricRangeName,
  zoom: Span | undefined,
  attempt: number,
  everyInstance: boolean,
): RangeState & { feed: RefObject<((p: MetricPoint) => void) | undefined> } {
  const feed = useRef<((p: MetricPoint) => void) | undefined>(undefined);
  const [state, setState] = useState<RangeState>(() => initial(range, zoom));
  const zoomFrom = zoom?.from;
  const zoomTo = zoom?.to;

  useEffect(() => {
    let alive = true;
    const zoomed = zoomFrom !== undefined && zoomTo !== undefined;
    const span = zoomed ? zoomTo - zoomFrom : METRIC_RANGES[range];
    const live = !zoomed && LIVE_RANGES.has(range);
    let points: MetricPoint[] = [];
    let markers: MetricMarker[] = [];
    let stepMs = 1_000;
    let domain: [number, number] = [0, 0];
    let source: RangeState['source'];
    let names: string[] = [];
    let bucket: LiveBucket | undefined;
    let early: MetricPoint[] = [];
    let loaded = false;
    let markersUpTo = 0;
    setState(initial(range, zoomed ? { from: zoomFrom, to: zoomTo } : undefined));

    const publish = (extra: Partial<RangeState> = {}) =>
      setState({ status: 'ready', points, markers, domain, stepMs, names, ...(source ? { source } : {}), ...extra });

    const take = (p: MetricPoint) => {
      const last = points.at(-1);
      // Seconds the store already had (the history sent first, a bucket read from disk) are not drawn twice.
      if (last && p.t < last.t + stepMs) return;
      const done = bucket!.add(p);
      if (!done || (last && done.t <= last.t)) return;
      const end = Math.max(domain[1], done.t + stepMs);
      domain = [end - span, end];
      points = appendBounded(points, done, domain[0]);
      publish();
    };
    feed.current = live
      ? (p) => {
          if (!alive) return;
          if (loaded) take(p);
          else if (early.push(p) > EARLY_MAX) early.shift();
        }
      : undefined;

    const load = (first: boolean) => {
      const now = Date.now();
      const from = zoomed ? zoomFrom : now - span;
      const to = zoomed ? zoomTo : now;
      // Fifty replicas' figures over a day are megabytes; the lines drawn need the busiest few.
      const instances = everyInstance ? 'all' : 'top';
      api.call('metrics.range', { envId, serviceId, from, to, maxPoints: MAX_POINTS, instances }).then(
        (r) => {
          if (!alive) return;
          points = r.points.filter((p) => p.t >= from && p.t < to);
          names = r.instanceNames ?? [];
          markers = r.markers.slice(-MAX_MARKERS);
          // Live buckets no finer than the range's points, so an hour stays about MAX_POINTS points.
          stepMs = Math.max(r.stepMs, Math.ceil(span / MAX_POINTS / 1_000) * 1_000);
          domain = [from, to];
          source = r.source;
          markersUpTo = to;
          if (live) {
            bucket = new LiveBucket(stepMs);
            loaded = true;
            for (const p of early) take(p);
            early = [];
          }
          publish();
        },
        (e: ApiErrorBody) => {
          if (!alive) return;
          // A refresh that fails keeps what is drawn and says why above it.
          publish({ status: 'error', error: e, ...(first ? { points: [], markers: [] } : {}) });
        },
      );
    };
    load(true);

    const timers: ReturnType<typeof setInterval>[] = [];
    if (live) {
      // The store writes a marker within about 2 s of the change: ask for the new ones now and then.
      timers.push(
        setInterval(() => {
          if (!loaded) return;
          const to = Date.now();
          const from = Math.max(domain[0], markersUpTo - 10_000);
          api.call('metrics.range', { envId, serviceId, from, to, maxPoints: 10, instances: 'top' }).then(
            (r) => {
              if (!alive || r.markers.length === 0) return;
              markersUpTo = to;
              const merged = mergeMarkers(markers, r.markers, domain[0]);
              if (merged !== markers) {
                markers = merged;
                publish();
              }
            },
            () => {}, // the next poll asks again; the range read says what is wrong
          );
        }, MARKER_POLL_MS),
      );
    } else if (!zoomed) {
      timers.push(setInterval(() => load(false), REFRESH_MS));
    }
    return () => {
      alive = false;
      feed.current = undefined;
      for (const t of timers) clearInterval(t);
    };
  }, [envId, serviceId, range, zoomFrom, zoomTo, attempt, everyInstance]);

  return { ...state, feed };
}

function initial(range: MetricRangeName, zoom: Span | undefined): RangeState {
  const now = Date.now();
  return { status: 'loading', points: [], markers: [], names: [], domain: zoom ? [zoom.from, zoom.to] : [now - METRIC_RANGES[range], now], stepMs: 1_000 };
}
