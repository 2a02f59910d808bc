/** `fleetdeck ls` and `fleetdeck scale`: the services table, and scaling that waits until done. */
import { ApiError } from '../common/errors';
import type { Instance, Service } from '../common/model';
import { plainText } from '../common/output-policy';
import type { Core } from '../core/core';

/** The `fleetdeck ls` table. Every cell passes the output policy (labels and images are the containers' to choose), on a TTY and in a pipe alike. */
export function formatServices(list: Service[], now = Date.now()): string {
  const head = ['SERVICE', 'KIND', 'INSTANCES', 'HEALTH', 'IMAGE', 'AGE'];
  const rows: string[][] = [];
  for (const s of list) {
    rows.push([label(s), s.group, `${s.running}/${s.desired}`, healthSummary(s), s.image, s.createdAt ? age(now - s.createdAt) : '-']);
    for (const i of s.instances) rows.push([`  ${i.name}`, i.shortId, i.state, i.health === 'none' ? '-' : i.health, ports(i), i.startedAt ? age(now - i.startedAt) : '-']);
  }
  if (!rows.length) return 'No services or containers on this engine.';
  for (const r of rows) for (const [c, v] of r.entries()) r[c] = plainText(v);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c] ?? 0))).join('  ').trimEnd();
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
  const starting = s.instances.filter((i) => i.health === 'starting').length;
  if (starting) parts.push(`${starting} starting`);
  if (s.unhealthy) parts.push(`${s.unhealthy} unhealthy`);
  const down = s.instances.length - s.running;
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

/** Scales, then waits (bounded) until every replica runs and, where it has a healthcheck, is healthy. */
export async function scaleAndWait(core: Core, ref: string, replicas: number, wait: boolean, timeoutMs = 90_000): Promise<Service> {
  const svc = core.services.resolve(ref);
  const after = await core.services.scale(svc.id, replicas);
  if (!wait) return after;
  const ready = (s: Service | undefined) =>
    !!s && s.instances.length === replicas && s.instances.every((i) => i.state === 'running' && i.health !== 'unhealthy' && i.health !== 'starting');
  const current = () => core.services.list().find((s) => s.id === svc.id);
  if (ready(current())) return current()!;
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = current();
      if (!ready(s)) return;
      clearTimeout(t);
      core.services.off('change', check);
      resolve(s!);
    };
    const t = setTimeout(() => {
      core.services.off('change', check);
      const s = current();
      const bad = s?.instances.filter((i) => i.state !== 'running' || i.health === 'unhealthy' || i.health === 'starting').map((i) => `${i.name} (${i.state}${i.health !== 'none' ? `, ${i.health}` : ''})`);
      reject(new ApiError('TIMEOUT', `${label(svc)} has ${s?.instances.length ?? 0} replicas, but not all are up after ${timeoutMs / 1000} s: ${bad?.join(', ') || 'unknown'}.`, `See their logs: docker logs ${bad?.[0]?.split(' ')[0] ?? ''}`.trim()));
    }, timeoutMs);
    core.services.on('change', check);
  });
}
