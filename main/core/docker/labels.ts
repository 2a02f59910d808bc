/** The labels that make containers a service. Compose's own, or Fleetdeck's for plain `docker run`. */
export const COMPOSE_PROJECT = 'com.docker.compose.project';
export const COMPOSE_SERVICE = 'com.docker.compose.service';
export const COMPOSE_NUMBER = 'com.docker.compose.container-number';
export const FLEETDECK_SERVICE = 'dev.fleetdeck.service';
export const FLEETDECK_PROJECT = 'dev.fleetdeck.project';
export const FLEETDECK_REPLICA = 'dev.fleetdeck.replica';
/** On every replica Fleetdeck creates: the operation that created it (see op-journal.ts). */
export const FLEETDECK_OP = 'dev.fleetdeck.op';

export interface ServiceKey {
  group: 'compose' | 'fleetdeck' | 'standalone';
  project?: string;
  name: string;
}

export function serviceKeyOf(labels: Record<string, string> | undefined, containerName: string): ServiceKey {
  const l = labels ?? {};
  if (l[COMPOSE_SERVICE]) return { group: 'compose', name: l[COMPOSE_SERVICE], ...(l[COMPOSE_PROJECT] ? { project: l[COMPOSE_PROJECT] } : {}) };
  if (l[FLEETDECK_SERVICE]) return { group: 'fleetdeck', name: l[FLEETDECK_SERVICE], ...(l[FLEETDECK_PROJECT] ? { project: l[FLEETDECK_PROJECT] } : {}) };
  return { group: 'standalone', name: containerName };
}

export function serviceIdOf(envId: string, k: ServiceKey): string {
  return k.group === 'standalone' ? `${envId}/container/${k.name}` : `${envId}/${k.project ?? '-'}/${k.name}`;
}

export function replicaOf(labels: Record<string, string> | undefined): number | undefined {
  const v = labels?.[COMPOSE_NUMBER] ?? labels?.[FLEETDECK_REPLICA];
  const n = v === undefined ? NaN : Number(v);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}
