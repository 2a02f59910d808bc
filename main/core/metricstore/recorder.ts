/**
 * Collects the figures of every service of every connected environment, chart open or not, and
 * keeps them: each second's point in the store's first tier, 10-second and 1-minute means in the
 * next two, markers of what happened, and each service's glance (sparklines, error rate). Other
 * parts (alerts) listen to its `point` and `marker` events instead of watching again.
 */
import { EventEmitter } from 'node:events';
import {
  METRIC_TIERS,
  GLANCE_STEP_MS,
  GLANCE_SPAN_MS,
  type GlanceEvent,
  type GlanceRow,
  type MetricMarker,
  type MetricsRangeResult,
} from '../../common/metrics-model';
import type { MetricPoint, Service } from '../../common/model';
import type { EnvironmentDriver, MetricsWatch } from '../env/driver';
import { errorFields } from '../log';
import type { Logger } from 'pino';
import { Glance } from './glance';
import type { HistoryDb, MarkerRow, PointRow } from './history-db';
import { markersBetween } from './markers';
import { bucketPoints, meanPoint } from '../../common/metric-points';
import { decodePoint, encodePoint } from './points';

const FLUSH_MS = 2_000;
const PRUNE_MS = 60_000;
/** Service lists change in bursts (a scale of 50): one pass over them at most this often. */
const SYNC_MS = 200;

export interface RecorderEnvironments {
  all(): readonly EnvironmentDriver[];
  on(event: 'change', fn: () => void): unknown;
  off(event: 'change', fn: () => void): unknown;
}

interface Rollup {
  bucket: number;
  points: MetricPoint[];
}

interface Tracked {
  watch: MetricsWatch;
  prev: Service;
  glance: Glance;
  /** The buckets being filled for tiers 1 and 2. */
  rollups: (Rollup | undefined)[];
  latest?: MetricPoint;
}

interface EnvState {
  driver: EnvironmentDriver;
  services: Map<string, Tracked>;
  onChange: () => void;
  timer?: NodeJS.Timeout;
}

export interface RecorderEvents {
  point: [envId: string, serviceId: string, point: MetricPoint];
  marker: [envId: string, serviceId: string, marker: MetricMarker];
}

export class MetricsRecorder extends EventEmitter<RecorderEvents> {
  private readonly envs = new Map<string, EnvState>();
  private pendingPoints: PointRow[] = [];
  private pendingMarkers: MarkerRow[] = [];
  private timers: NodeJS.Timeout[] = [];
  private running = false;
  private readonly onEnvironments = () => this.syncEnvironments();

  /**
   * `db`: the history file, opened on first use (undefined: nothing is kept, only the glance).
   * `collect`: false for the CLI, which reads what the window or serve keeps.
   */
  constructor(
    private readonly environments: RecorderEnvironments,
    private readonly db: () => HistoryDb | undefined,
    private readonly collect: boolean,
    private readonly log?: Logger,
  ) {
    super();
    this.setMaxListeners(0);
  }

  start(): void {
    if (!this.collect || this.running) return;
    this.running = true;
    this.environments.on('change', this.onEnvironments);
    this.syncEnvironments();
    this.timers = [setInterval(() => this.flush(), FLUSH_MS), setInterval(() => this.prune(), PRUNE_MS)];
    for (const t of this.timers) t.unref?.();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.environments.off('change', this.onEnvironments);
    for (const t of this.timers) clearInterval(t);
    for (const id of [...this.envs.keys()]) this.dropEnvironment(id, true);
    this.flush();
  }

  /** The newest point of a service, if one came in the last seconds. */
  latest(serviceId: string): MetricPoint | undefined {
    for (const e of this.envs.values()) {
      const t = e.services.get(serviceId);
      if (t) return t.latest;
    }
    return undefined;
  }

  /** A service's stored figures over [from, to): see the `metrics.range` method. */
  range(serviceId: string, from: number, to: number, maxPoints: number): MetricsRangeResult {
    this.flush();
    const now = Date.now();
    const span = to - from;
    const covers = (i: number) => from >= now - METRIC_TIERS[i]!.keepMs - METRIC_TIERS[i]!.stepMs;
    // The finest tier that covers the range in few enough points; else the coarsest that covers it, bucketed.
    let tier = METRIC_TIERS.findIndex((t, i) => covers(i) && span / t.stepMs <= maxPoints);
    if (tier < 0) tier = METRIC_TIERS.map((_t, i) => i).findLast((i) => covers(i)) ?? METRIC_TIERS.length - 1;
    const tierStep = METRIC_TIERS[tier]!.stepMs;
    const db = this.db();
    let points = db ? db.range(serviceId, tier, from, to).map((r) => decodePoint(r.t, r.data)) : [];
    // The bucket being filled is not on disk yet: it is the newest point of a coarse tier.
    const filling = tier > 0 ? this.tracked(serviceId)?.rollups[tier - 1] : undefined;
    if (filling?.points.length && filling.bucket >= from && filling.bucket < to && points[points.length - 1]?.t !== filling.bucket) {
      points.push(meanPoint(filling.bucket, filling.points));
    }
    const stepMs = Math.max(tierStep, Math.ceil(span / maxPoints / tierStep) * tierStep);
    if (stepMs > tierStep) points = bucketPoints(points, stepMs);
    return { serviceId, from, to, stepMs, points, markers: db ? db.markers(serviceId, from, to) : [], source: 'local' };
  }

  /** Every service's glance row, of the environments named (all when none). */
  glance(envIds?: readonly string[]): GlanceEvent {
    const now = Date.now();
    const rows: GlanceRow[] = [];
    const empty = (envId: string, serviceId: string): GlanceRow => new Glance().row(envId, serviceId, now);
    for (const d of this.environments.all()) {
      if (envIds && !envIds.includes(d.id)) continue;
      const state = this.envs.get(d.id);
      for (const s of d.services.list()) rows.push(state?.services.get(s.id)?.glance.row(d.id, s.id, now) ?? empty(d.id, s.id));
    }
    return { t: now, stepMs: GLANCE_STEP_MS, rows };
  }

  /** Writes what waits; the store is the history, so a failure is logged and the points let go. */
  flush(): void {
    if (this.pendingPoints.length === 0 && this.pendingMarkers.length === 0) return;
    const points = this.pendingPoints;
    const markers = this.pendingMarkers;
    this.pendingPoints = [];
    this.pendingMarkers = [];
    try {
      this.db()?.write(points, markers);
    } catch (e) {
      this.log?.warn({ ...errorFields(e), points: points.length }, 'metrics history write failed');
    }
  }

  private prune(): void {
    try {
      this.db()?.prune(Date.now());
    } catch (e) {
      this.log?.warn(errorFields(e), 'metrics history prune failed');
    }
  }

  private tracked(serviceId: string): Tracked | undefined {
    for (const e of this.envs.values()) {
      const t = e.services.get(serviceId);
      if (t) return t;
    }
    return undefined;
  }

  private syncEnvironments(): void {
    const now = new Set(this.environments.all().map((d) => d.id));
    for (const id of [...this.envs.keys()]) if (!now.has(id)) this.dropEnvironment(id, false);
    for (const d of this.environments.all()) {
      if (this.envs.has(d.id)) continue;
      const state: EnvState = { driver: d, services: new Map(), onChange: () => {} };
      state.onChange = () => {
        state.timer ??= setTimeout(() => {
          state.timer = undefined;
          this.syncServices(state);
        }, SYNC_MS);
      };
      d.services.on('change', state.onChange);
      d.on('change', state.onChange);
      this.envs.set(d.id, state);
      this.syncServices(state);
    }
  }

  private dropEnvironment(id: string, closing: boolean): void {
    const state = this.envs.get(id);
    if (!state) return;
    clearTimeout(state.timer);
    state.driver.services.off('change', state.onChange);
    state.driver.off('change', state.onChange);
    for (const [serviceId, t] of state.services) this.untrack(serviceId, t, closing);
    this.envs.delete(id);
  }

  private syncServices(state: EnvState): void {
    if (!this.running) return;
    const d = state.driver;
    const list = d.state === 'connected' ? d.services.list() : [];
    const ids = new Set(list.map((s) => s.id));
    const t = Date.now();
    for (const s of list) {
      const known = state.services.get(s.id);
      if (known) {
        for (const m of markersBetween(known.prev, s, t)) this.addMarker(d.id, s.id, m);
        known.prev = s;
        continue;
      }
      const tracked: Tracked = { prev: s, glance: this.seededGlance(s.id, t), rollups: [undefined, undefined], watch: { history: [], stop: () => {} } };
      state.services.set(s.id, tracked);
      try {
        tracked.watch = d.watchMetrics(
          s.id,
          (p) => this.addPoint(d.id, s.id, tracked, p),
          () => {}, // the environment says why there are none where a chart is open; the history just has a gap
        );
      } catch (e) {
        this.log?.warn({ ...errorFields(e), serviceId: s.id }, 'metrics watch failed');
      }
    }
    // While an environment is away, what it had stays tracked (its history resumes when it returns).
    if (d.state !== 'connected') return;
    for (const [id, tracked] of state.services) {
      if (ids.has(id)) continue;
      this.untrack(id, tracked, false);
      state.services.delete(id);
    }
  }

  private untrack(serviceId: string, t: Tracked, closing: boolean): void {
    t.watch.stop();
    // The half-filled buckets are kept: a restart or a service coming back continues them.
    t.rollups.forEach(
      (r, i) => r?.points.length && this.pendingPoints.push({ service: serviceId, tier: i + 1, t: r.bucket, data: encodePoint(meanPoint(r.bucket, r.points)) }),
    );
    if (closing) t.rollups = [undefined, undefined];
  }

  private seededGlance(serviceId: string, now: number): Glance {
    const g = new Glance();
    try {
      for (const r of this.db()?.range(serviceId, 1, now - GLANCE_SPAN_MS, now) ?? []) g.add(decodePoint(r.t, r.data));
    } catch {
      /* no history yet: the sparkline starts empty */
    }
    return g;
  }

  private addPoint(envId: string, serviceId: string, t: Tracked, p: MetricPoint): void {
    t.latest = p;
    t.glance.add(p);
    this.pendingPoints.push({ service: serviceId, tier: 0, t: p.t, data: encodePoint(p) });
    for (let i = 1; i < METRIC_TIERS.length; i++) {
      const step = METRIC_TIERS[i]!.stepMs;
      const bucket = Math.floor(p.t / step) * step;
      const r = t.rollups[i - 1];
      if (r && r.bucket === bucket) r.points.push(p);
      else {
        if (r?.points.length) this.pendingPoints.push({ service: serviceId, tier: i, t: r.bucket, data: encodePoint(meanPoint(r.bucket, r.points)) });
        t.rollups[i - 1] = { bucket, points: [p] };
      }
    }
    this.emit('point', envId, serviceId, p);
  }

  private addMarker(envId: string, serviceId: string, m: MetricMarker): void {
    this.pendingMarkers.push({ ...m, service: serviceId });
    this.emit('marker', envId, serviceId, m);
  }
}
