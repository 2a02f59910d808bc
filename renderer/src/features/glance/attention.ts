/**
 * What needs a look across every environment: the count in the window title (and, later, the
 * tray), and the Overview's summary. The same words as the services table (serviceHealth).
 */
import type { Service } from '../../../../main/common/model';
import { serviceHealth } from '../services/format';

export type Attention = 'degraded' | 'unhealthy' | undefined;

/**
 * Exit codes of a deliberate stop (0, Ctrl-C, `docker stop`'s SIGTERM and its SIGKILL after the
 * grace period): a service stopped this way is not counted, one whose instances crashed is.
 */
const STOPPED_ON_PURPOSE = new Set([0, 130, 137, 143]);

export function attention(s: Service): Attention {
  const h = serviceHealth(s);
  if (h.word === 'Degraded') return 'degraded';
  if (h.tone === 'warn') return 'unhealthy'; // a failing health check, or some replicas down
  if (h.tone === 'bad' && s.instances.some((i) => i.state === 'dead' || (i.state === 'exited' && !STOPPED_ON_PURPOSE.has(i.exitCode ?? 0)))) {
    return 'unhealthy';
  }
  return undefined;
}

export interface FleetCounts {
  services: number;
  environments: number;
  degraded: number;
  unhealthy: number;
}

export function countFleet(lists: readonly (readonly Service[])[]): FleetCounts {
  const c: FleetCounts = { services: 0, environments: lists.length, degraded: 0, unhealthy: 0 };
  for (const list of lists) {
    for (const s of list) {
      c.services++;
      const a = attention(s);
      if (a) c[a]++;
    }
  }
  return c;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "12 services in 3 environments · 1 degraded · 0 unhealthy" */
export function fleetSummary(c: FleetCounts): string {
  return `${plural(c.services, 'service')} in ${plural(c.environments, 'environment')} · ${c.degraded} degraded · ${c.unhealthy} unhealthy`;
}

/** "Fleetdeck", or "Fleetdeck (2 unhealthy)": degraded ones count, they need a look as much. */
export function windowTitle(needingAttention: number): string {
  return needingAttention > 0 ? `Fleetdeck (${needingAttention} unhealthy)` : 'Fleetdeck';
}
