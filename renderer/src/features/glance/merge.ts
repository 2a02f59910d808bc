/** Applying metrics.glance to what the window holds, keeping unchanged rows the same objects. */
import type { GlanceEvent, GlanceRow } from '../../../../main/common/metrics-model';

export type GlanceRows = Record<string, GlanceRow>;

/** The rows of `e` by service id; a row whose figures are what they were stays the same object. */
export function mergeGlance(prev: GlanceRows, e: GlanceEvent): GlanceRows {
  const next: GlanceRows = {};
  let changed = Object.keys(prev).length !== e.rows.length;
  for (const r of e.rows) {
    const old = prev[r.serviceId];
    if (old && sameRow(old, r)) next[r.serviceId] = old;
    else {
      next[r.serviceId] = r;
      changed = true;
    }
  }
  return changed ? next : prev;
}

function sameRow(a: GlanceRow, b: GlanceRow): boolean {
  return (
    a.envId === b.envId &&
    a.cpuPercent === b.cpuPercent &&
    a.memMiB === b.memMiB &&
    a.requestsPerSecond === b.requestsPerSecond &&
    a.errorRate === b.errorRate &&
    a.errorsPerSecond === b.errorsPerSecond &&
    a.p95Ms === b.p95Ms &&
    sameSeries(a.cpu, b.cpu) &&
    sameSeries(a.rps, b.rps)
  );
}

function sameSeries(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
