/**
 * The Metrics tab's arithmetic, kept out of React so it can be tested: which lines a chart draws
 * (every instance, or the total, the busiest few and the rest as one line), the rows recharts
 * reads (built once per point and reused), live seconds folded into the range's step, time
 * ticks, and the words a screen reader gets instead of the picture.
 */
import type { MetricMarker, MetricRangeName } from '../../../../main/common/metrics-model';
import { MANY_INSTANCES, meanPoint, TOP_N, topInstances, type InstanceField } from '../../../../main/common/metric-points';
import type { MetricPoint } from '../../../../main/common/model';

/** Points asked of metrics.range: about one per pixel of a chart. */
export const MAX_POINTS = 600;
/** Rows the table view lists (the newest). */
export const TABLE_ROWS = 60;
/** Markers kept for a range (the newest). */
export const MAX_MARKERS = 500;

export const RANGE_BUTTON: Record<MetricRangeName, string> = { '15m': '15 min', '1h': '1 h', '24h': '24 h', '7d': '7 d' };
export const RANGE_WORDS: Record<MetricRangeName, string> = {
  '15m': 'the last 15 minutes',
  '1h': 'the last hour',
  '24h': 'the last 24 hours',
  '7d': 'the last 7 days',
};
/** Ranges short enough to follow second by second; the others are read again every REFRESH_MS. */
export const LIVE_RANGES: ReadonlySet<MetricRangeName> = new Set(['15m', '1h']);
export const REFRESH_MS = 30_000;

/** One line of a chart: `key` is stable (hidden lines and colours follow it), `pick` reads its value. */
export interface LineDef {
  key: string;
  label: string;
  pick(p: MetricPoint): number | undefined;
  dashed?: boolean;
  /** Drawn thicker: the line the chart's current value and summary describe. */
  main?: boolean;
}

/**
 * A CPU or memory chart's lines: one per instance when there are few (or `everyInstance`), else
 * the sum over all, the TOP_N highest and the mean of the others; a lone instance is its own line.
 */
export function instanceLines(
  points: readonly MetricPoint[],
  names: readonly string[],
  field: InstanceField,
  everyInstance: boolean,
  label: (name: string) => string = (n) => n,
): LineDef[] {
  const total: LineDef = { key: 'total', label: 'all instances (sum)', pick: (p) => p[field], main: true };
  if (names.length === 0) return [{ ...total, label: 'all instances' }];
  const one = (name: string, main = false): LineDef => ({ key: `i:${name}`, label: label(name), pick: (p) => p.instances[name]?.[field], main });
  if (names.length === 1) return [one(names[0]!, true)];
  if (names.length <= MANY_INSTANCES || everyInstance) return [total, ...names.map((n) => one(n))];
  const top = topInstances(points, field, TOP_N);
  const shown = new Set(top);
  const rest = names.filter((n) => !shown.has(n));
  const others: LineDef = {
    key: 'others',
    label: `others (mean of ${rest.length})`,
    dashed: true,
    pick: (p) => meanOf(rest, p, field),
  };
  return [total, ...top.map((n) => one(n)), ...(rest.length ? [others] : [])];
}

/** The mean over `names` at a point; a range read with `instances: 'top'` brings the left-out ones summed. */
function meanOf(names: readonly string[], p: MetricPoint, field: InstanceField): number | undefined {
  let s = p.others?.[field] ?? 0;
  let n = p.others?.count ?? 0;
  for (const name of names) {
    const f = p.instances[name];
    if (f) {
      s += f[field];
      n++;
    }
  }
  return n ? Math.round((s / n) * 100) / 100 : undefined;
}

export type Row = Record<string, number | undefined> & { t: number };

/**
 * Rows for recharts, one per point, `s0…sN` the lines' values. A row is built once per point and
 * line set and reused on every later draw, so a new second costs one row, not the whole range.
 */
export class RowCache {
  private cache = new WeakMap<MetricPoint, Row>();
  private signature = '';

  rows(points: readonly MetricPoint[], lines: readonly LineDef[]): Row[] {
    const sig = lines.map((l) => l.key).join('\0');
    if (sig !== this.signature) {
      this.signature = sig;
      this.cache = new WeakMap();
    }
    return points.map((p) => {
      let row = this.cache.get(p);
      if (!row) {
        row = { t: p.t };
        lines.forEach((l, i) => (row![`s${i}`] = l.pick(p)));
        this.cache.set(p, row);
      }
      return row;
    });
  }
}

/**
 * Folds live seconds into the range's step, as the store does: `add` keeps the seconds of the
 * current bucket and returns the finished bucket's mean when a point of a later one arrives.
 */
export class LiveBucket {
  private bucket = -1;
  private pending: MetricPoint[] = [];
  constructor(private readonly stepMs: number) {}

  add(p: MetricPoint): MetricPoint | undefined {
    const b = Math.floor(p.t / this.stepMs) * this.stepMs;
    if (b === this.bucket) {
      this.pending.push(p);
      return undefined;
    }
    const done = this.pending.length ? meanPoint(this.bucket, this.pending) : undefined;
    this.bucket = b;
    this.pending = [p];
    return done;
  }
}

function avg(vs: readonly (number | undefined)[]): number | undefined {
  let s = 0;
  let n = 0;
  for (const v of vs)
    if (v !== undefined) {
      s += v;
      n++;
    }
  return n ? Math.round((s / n) * 100) / 100 : undefined;
}

/** Appends `p` to time-ordered points, dropping those before `from`: the range's buffer never grows past the range. */
export function appendBounded(points: readonly MetricPoint[], p: MetricPoint, from: number): MetricPoint[] {
  let start = 0;
  while (start < points.length && points[start]!.t < from) start++;
  const last = points.at(-1);
  const kept = start ? points.slice(start) : points.slice();
  if (last && last.t >= p.t) {
    if (last.t === p.t) kept[kept.length - 1] = p; // the same bucket read again (from the store, then live)
    return kept;
  }
  kept.push(p);
  return kept;
}

/** "up", "down" or "flat": the last third's mean against the first third's, 10 % of the larger as the dead band. */
export function trendWord(values: readonly (number | undefined)[]): 'up' | 'down' | 'flat' {
  const v = values.filter((x): x is number => x !== undefined && Number.isFinite(x));
  if (v.length < 3) return 'flat';
  const third = Math.max(1, Math.floor(v.length / 3));
  const a = avg(v.slice(0, third))!;
  const b = avg(v.slice(-third))!;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  if (scale === 0 || Math.abs(b - a) < 0.1 * scale) return 'flat';
  return b > a ? 'up' : 'down';
}

/** A figure as charts print it: three significant digits at most, no trailing noise. */
export function fmt(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** The text alternative of a chart's main line: now, lowest, highest and the trend over the range. */
export function summaryText(title: string, unit: string, rangeWords: string, values: readonly (number | undefined)[], current: number | undefined): string {
  const v = values.filter((x): x is number => x !== undefined);
  if (v.length === 0 && current === undefined) return `${title}: no figures for ${rangeWords}.`;
  const now = current ?? v.at(-1)!;
  const parts = [`${title} over ${rangeWords}: now ${fmt(now)} ${unit}`];
  if (v.length) parts.push(`lowest ${fmt(Math.min(...v))} ${unit}`, `highest ${fmt(Math.max(...v))} ${unit}`, `trend ${trendWord(v)}`);
  return `${parts.join(', ')}.`;
}

/** An axis top that does not jump: at least `floor`, rounded up to 1, 2 or 5 times a power of ten. */
export function niceCeil(v: number, floor: number): number {
  const x = Math.max(v, floor);
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TICK_STEPS = [10_000, 15_000, 30_000, MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY];

/**
 * Ticks on round local times (every 5 min, every 3 h, at midnight…) within [from, to], at most
 * `most` of them. `offsetMs(t)`: the local time's offset from UTC (given, so tests pin it).
 */
export function timeTicks(from: number, to: number, most = 6, offsetMs: (t: number) => number = localOffset): number[] {
  const span = to - from;
  if (!(span > 0)) return [];
  const step = TICK_STEPS.find((s) => span / s <= most) ?? Math.ceil(span / most / DAY) * DAY;
  const off = offsetMs(from);
  const out: number[] = [];
  for (let t = Math.ceil((from + off) / step) * step - off; t <= to; t += step) out.push(t);
  return out;
}

function localOffset(t: number): number {
  return -new Date(t).getTimezoneOffset() * MIN;
}

/** A tick's words: HH:MM, with seconds below two minutes of span, the day and month over two days. */
export function formatTick(t: number, spanMs: number): string {
  const d = new Date(t);
  const two = (n: number) => String(n).padStart(2, '0');
  if (spanMs > 2 * DAY) return `${d.getDate()} ${MONTHS[d.getMonth()]}`;
  const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
  return spanMs < 2 * MIN ? `${hm}:${two(d.getSeconds())}` : hm;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A moment in full for tooltips, lists and tables: "2 Dec 14:05:09". */
export function formatMoment(t: number): string {
  const d = new Date(t);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `known` with the markers of `more` it lacks, in time order, none before `from`; `known` itself when nothing is new. */
export function mergeMarkers(known: readonly MetricMarker[], more: readonly MetricMarker[], from: number): MetricMarker[] {
  const id = (m: MetricMarker) => `${m.t}\0${m.kind}\0${m.text}`;
  const seen = new Set(known.map(id));
  const added = more.filter((m) => !seen.has(id(m)));
  if (added.length === 0) return known as MetricMarker[];
  return [...known, ...added]
    .filter((m) => m.t >= from)
    .sort((a, b) => a.t - b.t)
    .slice(-MAX_MARKERS);
}
