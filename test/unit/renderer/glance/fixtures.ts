import type { GlanceRow } from '../../../../main/common/metrics-model';
import type { Instance, Service } from '../../../../main/common/model';

export const inst = (n: number, extra: Partial<Instance> = {}): Instance => ({
  id: `c${n}`,
  shortId: `c${n}`,
  name: `shop-web-${n}`,
  image: 'web:1',
  state: 'running',
  health: 'healthy',
  createdAt: 1_000,
  ports: [],
  restartCount: 0,
  ...extra,
});

/** A service of `running` healthy instances out of `desired`, on docker:local unless `envId` says otherwise. */
export const svc = (name: string, extra: Partial<Service> = {}): Service => {
  const envId = extra.envId ?? 'docker:local';
  const instances = extra.instances ?? [inst(1), inst(2)];
  return {
    id: `${envId}/shop/${name}`,
    envId,
    name,
    project: 'shop',
    group: 'compose',
    image: 'web:1',
    instances,
    desired: instances.length,
    running: instances.filter((i) => i.state === 'running' && i.health !== 'unhealthy').length,
    healthy: instances.filter((i) => i.health === 'healthy').length,
    unhealthy: instances.filter((i) => i.health === 'unhealthy').length,
    createdAt: 1_000,
    scalable: true,
    ...extra,
  };
};

export const row = (s: Service, extra: Partial<GlanceRow> = {}): GlanceRow => ({
  serviceId: s.id,
  envId: s.envId,
  cpu: new Array<number | null>(30).fill(null),
  rps: new Array<number | null>(30).fill(null),
  ...extra,
});
