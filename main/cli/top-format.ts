/**
 * `fleetdeck top`: the rows it prints and the JSON it writes, from the services and one metrics
 * point each. Pure, so the table and the JSON shape are tested without an engine.
 */
import type { BreakerState, MetricPoint, Service } from '../common/model';
import { plainText } from '../common/output-policy';
import { label } from './services';

export interface TopBreaker {
  breaker: string;
  state: BreakerState;
}

/** One running instance's figures; null where none is known (network on Kubernetes, requests without /metrics, not measured yet). */
export interface TopInstance {
  name: string;
  cpuPercent: number | null;
  memMiB: number | null;
  rxKBps: number | null;
  txKBps: number | null;
  rps: number | null;
  errorsPerSecond: number | null;
  p95Ms: number | null;
  breakers: TopBreaker[];
}

/** What `--json` prints, one per service: documented in `fleetdeck top --help`, kept stable. */
export interface TopRow {
  /** As `fleetdeck ls` names it and `scale` takes it: project/name, or a standalone container's name. */
  service: string;
  env: string;
  instances: TopInstance[];
}

/**
 * The rows, services in the order given; running instances only, as `docker stats` lists running
 * containers (one the point has not measured yet has null figures).
 */
export function topRows(services: readonly Service[], points: ReadonlyMap<string, MetricPoint | undefined>): TopRow[] {
  return services.map((s) => {
    const point = points.get(s.id);
    const instances: TopInstance[] = [];
    for (const i of s.instances) {
      const f = point?.instances[i.name];
      if (!f && i.state !== 'running') continue;
      instances.push({
        name: i.name,
        cpuPercent: f?.cpuPercent ?? null,
        memMiB: f?.memMiB ?? null,
        rxKBps: f?.rxKBps ?? null,
        txKBps: f?.txKBps ?? null,
        rps: f?.rps ?? null,
        errorsPerSecond: f?.errorsPerSecond ?? null,
        p95Ms: f?.p95Ms ?? null,
        breakers: (s.breakers ?? []).filter((b) => b.instance === i.name).map((b) => ({ breaker: b.breaker, state: b.state })),
      });
    }
    return { service: s.group === 'standalone' ? s.name : `${s.project ?? '-'}/${s.name}`, env: s.envId, instances };
  });
}

const HEAD = ['NAME', 'CPU %', 'MEM MiB', 'NET RX KB/s', 'NET TX KB/s', 'RPS', '5XX/S', 'P95 ms', 'BREAKERS'];

/**
 * The table, aligned as `docker stats` aligns its columns: a line per service with its totals
 * (CPU, memory, network, requests and 5xx summed; p95 the slowest instance's), then a line per
 * instance. Names and breaker names come from containers, so every cell passes the output policy.
 */
export function formatTop(rows: readonly TopRow[], services: readonly Service[]): string {
  if (!rows.length) return 'No services or containers on this engine.';
  const byLabel = new Map(services.map((s) => [s.group === 'standalone' ? s.name : `${s.project ?? '-'}/${s.name}`, s]));
  const lines: string[][] = [];
  for (const r of rows) {
    const s = byLabel.get(r.service);
    const name = s ? label(s) : plainText(r.service);
    if (!r.instances.length) {
      lines.push([name, '-', '-', '-', '-', '-', '-', '-', 'no running instance']);
      continue;
    }
    lines.push([
      name,
      percent(sum(r.instances, 'cpuPercent')),
      fixed(sum(r.instances, 'memMiB'), 1),
      fixed(sum(r.instances, 'rxKBps'), 1),
      fixed(sum(r.instances, 'txKBps'), 1),
      fixed(sum(r.instances, 'rps'), 1),
      fixed(sum(r.instances, 'errorsPerSecond'), 2),
      fixed(max(r.instances, 'p95Ms'), 0),
      breakerSummary(r.instances),
    ]);
    for (const i of r.instances) {
      lines.push([
        `  ${plainText(i.name)}`,
        percent(i.cpuPercent),
        fixed(i.memMiB, 1),
        fixed(i.rxKBps, 1),
        fixed(i.txKBps, 1),
        fixed(i.rps, 1),
        fixed(i.errorsPerSecond, 2),
        fixed(i.p95Ms, 0),
        i.breakers.map((b) => `${plainText(b.breaker)}:${b.state}`).join(', ') || '-',
      ]);
    }
  }
  const widths = HEAD.map((h, c) => Math.max(h.length, ...lines.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c] ?? 0)))
      .join('   ')
      .trimEnd();
  return [line(HEAD), ...lines.map(line)].join('\n');
}

type Figure = Exclude<keyof TopInstance, 'name' | 'breakers'>;

/** null when no instance reports the figure (so "-", not a misleading 0). */
function sum(list: readonly TopInstance[], k: Figure): number | null {
  let n: number | null = null;
  for (const i of list) if (i[k] !== null) n = (n ?? 0) + i[k];
  return n;
}

function max(list: readonly TopInstance[], k: Figure): number | null {
  let n: number | null = null;
  for (const i of list) if (i[k] !== null) n = Math.max(n ?? 0, i[k]);
  return n;
}

function percent(n: number | null): string {
  return n === null ? '-' : `${n.toFixed(2)}%`;
}

function fixed(n: number | null, digits: number): string {
  return n === null ? '-' : n.toFixed(digits);
}

/** A service's breakers in one cell: the ones not closed first, by name, else how many are closed. */
function breakerSummary(list: readonly TopInstance[]): string {
  const all = list.flatMap((i) => i.breakers);
  if (!all.length) return '-';
  const notClosed = new Map<string, number>();
  for (const b of all)
    if (b.state !== 'closed') notClosed.set(`${plainText(b.breaker)}:${b.state}`, (notClosed.get(`${plainText(b.breaker)}:${b.state}`) ?? 0) + 1);
  if (!notClosed.size) return `${all.length} closed`;
  return [...notClosed].map(([k, n]) => `${k} (${n}/${list.length})`).join(', ');
}
