/**
 * What happened to a service, read from two successive states of it as the driver lists them
 * (so a Compose service and a Deployment give the same markers): a scale, a restart, a new
 * image, a crash, a circuit breaker changing state.
 */
import { breakerStateWord } from '../../common/degraded';
import type { MetricMarker } from '../../common/metrics-model';
import type { Service } from '../../common/model';
import { plainText } from '../../common/output-policy';

/** Exit codes of an instance that was asked to stop (SIGTERM), not one that crashed. */
const ASKED_TO_STOP = new Set([0, 143]);

/** A service first listed while its containers are only created counts 0 desired: starting them is not a scale. */
function justCreated(s: Service): boolean {
  return s.desired === 0 && s.instances.length > 0 && s.instances.every((i) => i.state === 'created');
}

export function markersBetween(prev: Service | undefined, next: Service, t: number): MetricMarker[] {
  if (!prev) return [];
  const out: MetricMarker[] = [];
  const add = (kind: MetricMarker['kind'], text: string, instance?: string) =>
    out.push({ t, kind, text: plainText(text).slice(0, 300), ...(instance ? { instance: plainText(instance) } : {}) });

  if (prev.desired !== next.desired && !justCreated(prev)) add('scale', `scaled ${prev.desired} → ${next.desired}`);
  if (next.operation?.kind === 'rolling-restart' && prev.operation?.kind !== 'rolling-restart') add('restart', 'rolling restart');
  if (prev.image !== next.image) add('deploy', `image ${prev.image} → ${next.image}`);

  const before = new Map(prev.instances.map((i) => [i.id, i]));
  for (const i of next.instances) {
    const was = before.get(i.id);
    if (!was) continue;
    if (i.restartCount > was.restartCount) add('restart', `${i.name} restarted (${i.restartCount} restarts)`, i.name);
    const down = (s: string) => s === 'exited' || s === 'dead';
    if (down(i.state) && !down(was.state) && i.exitCode !== undefined && !ASKED_TO_STOP.has(i.exitCode)) {
      add('crash', `${i.name} exited with code ${i.exitCode}`, i.name);
    }
  }

  const states = new Map((prev.breakers ?? []).map((b) => [`${b.instance}\0${b.breaker}`, b.state]));
  for (const b of next.breakers ?? []) {
    const was = states.get(`${b.instance}\0${b.breaker}`);
    if (was === b.state || (was === undefined && b.state === 'closed')) continue;
    add('breaker', `breaker ${b.breaker} ${breakerStateWord(b.state)} on ${b.instance}`, b.instance);
  }
  return out;
}
