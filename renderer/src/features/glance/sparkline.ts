/** The path of a sparkline and its words: pure, so the table draws a few hundred of them cheaply. */

export interface SparkBox {
  width: number;
  height: number;
  /** The top of the scale at least this (5 % CPU, 1 req/s): an idle service draws a flat line near the floor, not noise blown up to full height. */
  floor: number;
}

/**
 * An SVG path through `values`, oldest first, spread over the width; a null is a gap (the line
 * starts again after it). A lone value between gaps is a short dash, so it still shows.
 */
export function sparklinePath(values: readonly (number | null)[], box: SparkBox): string {
  const n = values.length;
  if (n === 0) return '';
  let max = box.floor;
  for (const v of values) if (v !== null && Number.isFinite(v) && v > max) max = v;
  const dx = n > 1 ? box.width / (n - 1) : 0;
  // Half a pixel inside so a 1 px stroke at 0 or at the top is not clipped.
  const y = (v: number) => round(box.height - 0.5 - (Math.max(0, v) / max) * (box.height - 1));
  const parts: string[] = [];
  let run = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      if (run === 1) parts.push(`h${round(Math.max(1, dx / 2))}`);
      run = 0;
      continue;
    }
    parts.push(`${run === 0 ? 'M' : 'L'}${round(i * dx)} ${y(v)}`);
    run++;
  }
  if (run === 1) parts.push(`h${n === 1 ? round(box.width) : -round(Math.max(1, dx / 2))}`);
  return parts.join('');
}

export type Trend = 'rising' | 'falling' | 'steady';

/**
 * Whether the last few minutes are above or below the ten before: the means of the last
 * `recent` values and of the rest, a change of 20 % of the larger (and more than `minDelta`)
 * counting. Undefined with too little to compare.
 */
export function trend(values: readonly (number | null)[], recent = 6, minDelta = 0.5): Trend | undefined {
  const known = (xs: readonly (number | null)[]) => xs.filter((v): v is number => v !== null && Number.isFinite(v));
  const late = known(values.slice(-recent));
  const early = known(values.slice(0, -recent));
  if (late.length === 0 || early.length === 0) return undefined;
  const a = mean(early);
  const b = mean(late);
  const delta = b - a;
  if (Math.abs(delta) <= minDelta || Math.abs(delta) < 0.2 * Math.max(Math.abs(a), Math.abs(b))) return 'steady';
  return delta > 0 ? 'rising' : 'falling';
}

/** What a screen reader hears for a sparkline cell: "CPU 12 %, rising", "Requests 3.2 req/s, steady", "CPU not measured". */
export function sparkText(label: string, current: string | undefined, t: Trend | undefined): string {
  if (current === undefined) return `${label} not measured`;
  return t ? `${label} ${current}, ${t}` : `${label} ${current}`;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
