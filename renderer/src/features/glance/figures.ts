/** The figures of a service at a glance, in words with units: the table's cells and their sort values. */
import type { GlanceRow } from '../../../../main/common/metrics-model';

export function cpuText(v: number | undefined): string | undefined {
  if (v === undefined) return undefined;
  return `${v < 10 ? trim(v.toFixed(1)) : Math.round(v)} %`;
}

export function rpsText(v: number | undefined): string | undefined {
  if (v === undefined) return undefined;
  return `${v < 10 ? trim(v.toFixed(1)) : Math.round(v)} req/s`;
}

/** A share 0..1 as a percentage; a small one still shows it is not zero. */
export function errorRateText(v: number | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v === 0) return '0 %';
  const p = v * 100;
  if (p < 0.1) return '<0.1 %';
  return `${p < 10 ? trim(p.toFixed(1)) : Math.round(p)} %`;
}

export function p95Text(v: number | undefined): string | undefined {
  if (v === undefined) return undefined;
  return `${v < 10 ? trim(v.toFixed(1)) : Math.round(v)} ms`;
}

/** The latest CPU: the second just measured, else the newest bucket of the sparkline. */
export function latestCpu(g: GlanceRow | undefined): number | undefined {
  return g ? (g.cpuPercent ?? lastKnown(g.cpu)) : undefined;
}

export function latestRps(g: GlanceRow | undefined): number | undefined {
  return g ? (g.requestsPerSecond ?? lastKnown(g.rps)) : undefined;
}

function lastKnown(xs: readonly (number | null)[]): number | undefined {
  for (let i = xs.length - 1; i >= 0; i--) {
    const v = xs[i];
    if (v !== null && v !== undefined) return v;
  }
  return undefined;
}

function trim(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/** The Requests cell's own short form ("3.2/s"); the unit is in the header and the spoken text. */
export function rpsShort(v: number | undefined): string | undefined {
  return rpsText(v)?.replace(' req/s', '/s');
}
