/** `fleetdeck ls` and `fleetdeck scale`: the services table, and scaling that waits until done. */
import { ApiError } from '../common/errors';
import type { Instance, Service } from '../common/model';
import { plainText } from '../common/output-policy';
import { isComingUp, isReady as instanceReady } from '../common/readiness';

/** The `fleetdeck ls` table. Every cell passes the output policy (labels and images are the containers' to choose), on a TTY and in a pipe alike. */
export function formatServices(list: Service[], now = Date.now()): string {
  const head = ['SERVICE', 'KIND', 'INSTANCES', 'HEALTH', 'IMAGE', 'AGE'];
  const rows: string[][] = [];
  for (const s of list) {
    rows.push([label(s), s.group, `${s.running}/${s.desired}`, healthSummary(s), s.image, s.createdAt ? age(now - s.createdAt) : '-']);
    for (const i of s.instances)
      rows.push([`  ${i.name}`, i.node ?? i.shortId, i.state, i.health === 'none' ? '-' : i.health, ports(i), i.startedAt ? age(now - i.startedAt) : '-']);
  }
  if (!rows.length) return 'No services or containers on this engine.';
  for (const r of rows) for (const [c, v] of r.entries()) r[c] = plainText(v);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

/** How the CLI names a service, safe to print: `project/name`, or the container's name. */
export function label(s: Service): string {
  return plainText(s.group === 'standalone' ? s.name : `${s.project ?? '-'}/${s.name}`);
}

export function scaledLine(s: Service, replicas: number): string {
  return `${label(s)} scaled to ${replicas} (${s.running}/${s.desired} running)`;
}

function healthSummary(s: Service): string {
  const parts = [];
  if (s.healthy) parts.push(`${s.healthy} healthy`);
  // Ready without a health check of their own.
  if (s.running > s.healthy) parts.push(`${s.running - s.healthy} running`);
  const starting = s.instances.filter(isComingUp).length;
  if (starting) parts.push(`${starting} starting`);
  if (s.unhealthy) parts.push(`${s.unhealthy} unhealthy`);
  const down = s.instances.filter((i) => !instanceReady(i) && !isComingUp(i) && i.health !== 'unhealthy' && i.state !== 'stopping').length;
  if (down) parts.push(`${down} stopped`);
  return parts.join(', ') || '-';
}

function ports(i: Instance): string {
  const p = i.ports.filter((x) => x.hostPort).map((x) => `${x.hostIp}:${x.hostPort}->${x.containerPort}/${x.protocol}`);
  return p.join(', ') || '-';
}

export function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** Ready as the window counts it: every replica running and, where it has a check, healthy. */
export function isReady(s: Service | undefined, replicas: number): boolean {
  return !!s && s.instances.length === replicas && s.running === replicas && !s.operation;
}

/** One line of progress: the counts, what is still coming up, and the operation's own words. */
export function progressLine(s: Service): string {
  const starting = s.instances.filter(isComingUp).length;
  const parts = [`${label(s)}: ${s.running}/${s.desired} ready`];
  if (starting) parts.push(`${starting} starting`);
  if (s.unhealthy) parts.push(`${s.unhealthy} unhealthy`);
  return plainText(`${parts.join(', ')}${s.operation ? ` — ${s.operation.message}` : ''}`);
}

/** Why a wait for readiness ran out: the replicas that are not up, by name and state. */
export function notReadyError(s: Service | undefined, replicas: number, timeoutS: number): ApiError {
  const bad = (s?.instances ?? [])
    .filter((i) => i.state !== 'running' || i.health === 'unhealthy' || i.health === 'starting')
    .map((i) => `${i.name} (${i.state}${i.health !== 'none' ? `, ${i.health}` : ''})`);
  const name = s ? label(s) : 'the service';
  return new ApiError(
    'TIMEOUT',
    `${name} has ${s?.instances.length ?? 0} of ${replicas} replicas, not all ready after ${timeoutS} s: ${bad.join(', ') || 'none started'}.`,
    `See their logs: fleetdeck logs ${bad[0]?.split(' ')[0] ?? (s ? label(s) : '')}`.trim(),
  );
}
