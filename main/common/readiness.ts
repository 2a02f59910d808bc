/**
 * What "running" means in every count the window and the CLI show: up and ready, as kubectl's
 * READY column counts. A replica whose health check has not passed yet (Docker "starting", a pod
 * not Ready) is on its way, not running; an unhealthy one is up but not serving.
 */
import type { Instance } from './model';

export function isReady(i: Instance): boolean {
  return i.state === 'running' && (i.health === 'healthy' || i.health === 'none');
}

/** One replica still coming up: created, starting, restarting, or running before its first passing check. */
export function isComingUp(i: Instance): boolean {
  return i.state === 'starting' || i.state === 'restarting' || i.state === 'created' || (i.state === 'running' && i.health === 'starting');
}

/** The counts of a Service. Instances on their way out (a terminating pod) are left out. */
export function readiness(instances: readonly Instance[]): { running: number; healthy: number; unhealthy: number } {
  let running = 0;
  let healthy = 0;
  let unhealthy = 0;
  for (const i of instances) {
    if (i.state === 'stopping' || i.state === 'removing') continue;
    if (isReady(i)) running++;
    if (i.state === 'running' && i.health === 'healthy') healthy++;
    else if (i.health === 'unhealthy') unhealthy++;
  }
  return { running, healthy, unhealthy };
}
