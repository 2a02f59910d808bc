/**
 * A service's figures at a glance, kept in memory as points arrive: 30-second buckets of CPU and
 * request rate over the last 15 minutes (the table's sparklines), and the last minute of points
 * for the error rate and the latest values.
 */
import { GLANCE_SPAN_MS, GLANCE_STEP_MS, type GlanceRow } from '../../common/metrics-model';
import type { MetricPoint } from '../../common/model';

const BUCKETS = GLANCE_SPAN_MS / GLANCE_STEP_MS;
const RECENT_MS = 60_000;
/** Latest values older than this are not shown as current. */
const STALE_MS = 10_000;

interface Bucket {
  start: number;
  cpu: number;
  cpuN: number;
  rps: number;
  rpsN: number;
}

export class Glance {
  private readonly buckets: Bucket[] = [];
  private readonly recent: MetricPoint[] = [];

  add(p: MetricPoint): void {
    const start = Math.floor(p.t / GLANCE_STEP_MS) * GLANCE_STEP_MS;
    let b = this.buckets[this.buckets.length - 1];
    if (!b || b.start < start) {
      this.buckets.push((b = { start, cpu: 0, cpuN: 0, rps: 0, rpsN: 0 }));
      while (this.buckets.length > BUCKETS + 1) this.buckets.shift();
    } else if (b.start > start) return; // older than what is kept: a seeded bucket already stands for it
    b.cpu += p.cpuPercent;
    b.cpuN++;
    if (p.rps !== undefined) {
      b.rps += p.rps;
      b.rpsN++;
    }
    this.recent.push(p);
    while (this.recent.length && this.recent[0]!.t < p.t - RECENT_MS) this.recent.shift();
  }

  row(envId: string, serviceId: string, now: number): GlanceRow {
    const first = Math.floor(now / GLANCE_STEP_MS) * GLANCE_STEP_MS - (BUCKETS - 1) * GLANCE_STEP_MS;
    const cpu: (number | null)[] = new Array<number | null>(BUCKETS).fill(null);
    const rps: (number | null)[] = new Array<number | null>(BUCKETS).fill(null);
    for (const b of this.buckets) {
      const i = (b.start - first) / GLANCE_STEP_MS;
      if (i < 0 || i >= BUCKETS) continue;
      if (b.cpuN) cpu[i] = round(b.cpu / b.cpuN);
      if (b.rpsN) rps[i] = round(b.rps / b.rpsN);
    }
    const row: GlanceRow = { serviceId, envId, cpu, rps };
    const last = this.recent[this.recent.length - 1];
    if (last && last.t >= now - STALE_MS) {
      row.cpuPercent = last.cpuPercent;
      row.memMiB = last.memMiB;
      if (last.rps !== undefined) row.requestsPerSecond = last.rps;
      if (last.p95Ms !== undefined) row.p95Ms = last.p95Ms;
      if (last.errorsPerSecond !== undefined) row.errorsPerSecond = last.errorsPerSecond;
    }
    let requests = 0;
    let errors = 0;
    let withRequests = 0;
    for (const p of this.recent) {
      if (p.rps === undefined || p.t < now - RECENT_MS) continue;
      withRequests++;
      requests += p.rps;
      errors += p.errorsPerSecond ?? 0;
    }
    if (withRequests) row.errorRate = requests > 0 ? Math.min(1, round4(errors / requests)) : 0;
    return row;
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
