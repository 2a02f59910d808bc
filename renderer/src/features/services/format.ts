import type { Instance, Service } from '../../../../main/common/model';
import { plainText } from '../../../../main/common/output-policy';
import { isComingUp, isReady } from '../../../../main/common/readiness';

export function age(fromMs: number, now = Date.now()): string {
  if (!fromMs) return '–';
  const s = Math.max(0, Math.floor((now - fromMs) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** Docker service names come from the containers' labels: shown through the output policy like every other name. */
export function serviceLabel(s: Service): string {
  return plainText(s.project && s.group !== 'standalone' ? `${s.project}/${s.name}` : s.name);
}

export type Tone = 'ok' | 'info' | 'warn' | 'bad' | 'unknown';

/** One word and a tone for a whole service: never colour alone. `reason` says why it is Degraded. */
export function serviceHealth(s: Service): { word: string; tone: Tone; reason?: string } {
  if (s.operation) return { word: s.operation.kind === 'scale' ? 'Scaling' : 'Restarting', tone: 'info' };
  if (s.instances.length === 0) return { word: s.desired === 0 ? 'Scaled to 0' : 'No instances', tone: 'unknown' };
  // Up, but answering degraded (a breaker open, 5xx, some replicas not ready): never green "Healthy".
  if (s.degraded) return { word: 'Degraded', tone: 'warn', reason: s.degraded.reason };
  if (s.unhealthy > 0) return { word: `${s.unhealthy} unhealthy`, tone: 'warn' };
  const starting = s.instances.filter(isComingUp).length;
  const down = s.instances.filter((i) => !isReady(i) && !isComingUp(i) && i.state !== 'stopping' && i.state !== 'removing').length;
  if (s.running === 0 && starting === 0) return { word: 'Stopped', tone: 'bad' };
  if (starting > 0) return { word: `${starting} starting`, tone: 'info' };
  if (down > 0) return { word: `${down} stopped`, tone: 'warn' };
  return { word: s.instances.some((i) => i.health === 'healthy') ? 'Healthy' : 'Running', tone: 'ok' };
}

export function instanceStatus(i: Instance): { word: string; tone: Tone } {
  if (i.state === 'running') {
    if (i.health === 'healthy') return { word: 'Healthy', tone: 'ok' };
    if (i.health === 'unhealthy') return { word: 'Unhealthy', tone: 'warn' };
    if (i.health === 'starting') return { word: 'Starting', tone: 'info' };
    return { word: 'Running', tone: 'ok' };
  }
  if (i.state === 'exited') return { word: `Exited (${i.exitCode ?? '?'})`, tone: i.exitCode === 0 ? 'unknown' : 'bad' };
  if (i.state === 'dead') return { word: 'Dead', tone: 'bad' };
  if (i.state === 'restarting') return { word: 'Restarting', tone: 'info' };
  if (i.state === 'created') return { word: 'Created', tone: 'info' };
  return { word: i.state[0]!.toUpperCase() + i.state.slice(1), tone: 'unknown' };
}
