/**
 * The services of one Docker engine, as the panel shows them, and what can be done to
 * them: scale (clone newest replica / stop newest first), rolling restart, instance actions.
 * Operations on one service run one after another; different services in parallel.
 */
import { EventEmitter } from 'node:events';
import type { ContainerInspectInfo } from 'dockerode';
import { ApiError } from '../../common/errors';
import type { Instance, Service } from '../../common/model';
import { replicaName, replicaSpec, templateFrom, type ReplicaTemplate } from './clone';
import type { DiscoveredContainer, DockerDiscovery } from './discovery';
import type { DockerEngine } from './engine';
import { dockerError } from './errors';
import { serviceIdOf, type ServiceKey } from './labels';
import type { TemplateStore } from './templates';

export type InstanceAction = 'start' | 'stop' | 'restart' | 'remove';

export interface DockerServicesOptions {
  maxReplicas: number;
  /** How long a replica gets to become running/healthy before an operation reports it. */
  readyTimeoutMs?: number;
}

const DEFAULT_STOP_SECONDS = 10;

export class DockerServices extends EventEmitter<{ change: [] }> {
  private readonly ops = new Map<string, NonNullable<Service['operation']>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private cache: Service[] | undefined;

  constructor(
    readonly envId: string,
    private readonly engine: DockerEngine,
    private readonly discovery: DockerDiscovery,
    private readonly templates: TemplateStore,
    private readonly options: DockerServicesOptions,
  ) {
    super();
    discovery.on('change', () => this.changed());
  }

  list(): Service[] {
    this.cache ??= this.build();
    return this.cache;
  }

  get(id: string): Service {
    const s = this.list().find((x) => x.id === id);
    if (!s) throw new ApiError('NOT_FOUND', `No service "${id}" on ${this.envId}.`, 'It may have been removed; pick one from the list.');
    return s;
  }

  /** By name as users type it: `web`, or `shop/web` where `web` alone is ambiguous. */
  resolve(ref: string): Service {
    const all = this.list();
    const exact = all.find((s) => s.id === ref);
    if (exact) return exact;
    const [a, b] = ref.includes('/') ? ref.split('/', 2) : [undefined, ref];
    const hits = all.filter((s) => s.name === b && (a === undefined || s.project === a || (a === 'container' && s.group === 'standalone')));
    if (hits.length === 1) return hits[0]!;
    if (hits.length === 0) throw new ApiError('NOT_FOUND', `No service named "${ref}".`, 'Run "fleetdeck ls" to see the services.');
    throw new ApiError(
      'INVALID_PARAMS',
      `"${ref}" names ${hits.length} services: ${hits.map((s) => `${s.project ?? 'container'}/${s.name}`).join(', ')}.`,
      'Name it as project/service.',
    );
  }

  findInstance(ref: string): { service: Service; instance: Instance } {
    const matches: { service: Service; instance: Instance }[] = [];
    for (const service of this.list()) {
      for (const instance of service.instances) {
        if (instance.id === ref || instance.name === ref) return { service, instance };
        if (ref.length >= 4 && /^[0-9a-f]+$/.test(ref) && instance.id.startsWith(ref)) matches.push({ service, instance });
      }
    }
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) throw new ApiError('INVALID_PARAMS', `"${ref}" matches ${matches.length} containers.`, 'Give more of the id.');
    throw new ApiError('NOT_FOUND', `No container "${ref}" on ${this.envId}.`, 'It may have been removed; the list is current.');
  }

  /** Scale to `target` replicas; resolves when the engine shows them. */
  async scale(serviceId: string, target: number): Promise<Service> {
    const svc = this.get(serviceId);
    if (!svc.scalable) {
      throw new ApiError(
        'INVALID_PARAMS',
        svc.group === 'standalone'
          ? `"${svc.name}" is a standalone container, not a service, so it cannot be scaled.`
          : `"${svc.name}" has no replica to clone.`,
        svc.group === 'standalone' ? 'Give it a dev.fleetdeck.service label (or run it with Compose) to scale it.' : 'Start one instance of it first.',
      );
    }
    if (!Number.isInteger(target) || target < 0) throw new ApiError('INVALID_PARAMS', `Replicas must be a whole number of 0 or more, not ${target}.`);
    if (target > this.options.maxReplicas) {
      throw new ApiError('INVALID_PARAMS', `At most ${this.options.maxReplicas} replicas per service.`, 'Set FLEETDECK_MAX_REPLICAS to allow more.');
    }
    return this.serialize(serviceId, () => this.doScale(serviceId, target));
  }

  async rollingRestart(serviceId: string): Promise<Service> {
    this.get(serviceId);
    return this.serialize(serviceId, () => this.doRollingRestart(serviceId));
  }

  async instanceAction(instanceRef: string, action: InstanceAction): Promise<void> {
    const { instance } = this.findInstance(instanceRef);
    const c = this.engine.api.getContainer(instance.id);
    const doing = `${action} ${instance.name}`;
    try {
      switch (action) {
        case 'start':
          if (instance.state === 'running') return;
          await c.start();
          return;
        case 'stop':
          if (instance.state !== 'running' && instance.state !== 'restarting') return;
          await c.stop({ t: await this.stopSeconds(instance.id) });
          return;
        case 'restart':
          await c.restart({ t: await this.stopSeconds(instance.id) });
          return;
        case 'remove':
          if (instance.state === 'running') await c.stop({ t: await this.stopSeconds(instance.id) }).catch(() => {});
          await c.remove({ force: true, v: false });
          return;
      }
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 304) return; // already in that state
      throw dockerError(e, doing);
    }
  }

  // ---- internals ----

  private serialize<T>(id: string, run: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(id) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(run);
    this.queues.set(id, next);
    void next.catch(() => {}).finally(() => {
      if (this.queues.get(id) === next) this.queues.delete(id);
    });
    return next;
  }

  private setOp(id: string, op: Service['operation'] | undefined): void {
    if (op) this.ops.set(id, op);
    else this.ops.delete(id);
    this.changed();
  }

  private containersOf(serviceId: string): DiscoveredContainer[] {
    return [...this.discovery.containers.values()].filter((c) => serviceIdOf(this.envId, c.key) === serviceId);
  }

  private async doScale(id: string, target: number): Promise<Service> {
    const current = this.containersOf(id);
    const n = current.length;
    if (target === n) return this.get(id);
    this.setOp(id, { kind: 'scale', target, message: `Scaling ${n} → ${target}…` });
    try {
      // Refresh the template from a live replica before anything is removed.
      const stored = await this.refreshTemplate(id, current);
      if (target > n) await this.scaleUp(id, stored, current, target - n, target);
      else await this.scaleDown(id, current, n - target, target);
      this.templates.setZero(id, target === 0);
      // Done when the engine shows the count and every new replica past 'created' (ports are known then).
      const shown = await this.waitFor(() => {
        const now = this.containersOf(id);
        return now.length === target && now.every((c) => c.instance.state !== 'created');
      }, 10_000);
      if (!shown) {
        const now = this.containersOf(id).length;
        throw new ApiError(
          'TIMEOUT',
          `The engine shows ${now} replicas of ${this.get(id).name} 10 s after scaling to ${target}.`,
          'Check the engine (docker ps -a, its log); the list shows what it reports.',
        );
      }
      return this.get(id);
    } finally {
      this.setOp(id, undefined);
    }
  }

  private async refreshTemplate(id: string, current: DiscoveredContainer[]) {
    const source =
      newest(current.filter((c) => c.instance.state === 'running' && c.instance.health !== 'unhealthy')) ?? newest(current);
    if (source) {
      try {
        const info = (await this.engine.api.getContainer(source.instance.id).inspect()) as ContainerInspectInfo;
        const key = source.key as ServiceKey & { group: 'compose' | 'fleetdeck' };
        const r = source.instance.replica;
        const namePrefix = r !== undefined && source.instance.name.endsWith(`-${r}`) ? source.instance.name.slice(0, -String(r).length) : undefined;
        const t = {
          template: templateFrom(info),
          name: key.name,
          group: key.group,
          zero: false,
          ...(key.project ? { project: key.project } : {}),
          ...(namePrefix ? { namePrefix } : {}),
        };
        this.templates.set(id, t);
        return t;
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode !== 404) throw dockerError(e, 'read the service spec');
      }
    }
    const t = this.templates.get(id);
    if (!t) throw new ApiError('NOT_FOUND', `No replica of "${id}" is left to clone.`, 'Start one instance of the service first.');
    return t;
  }

  private async scaleUp(
    id: string,
    stored: { template: ReplicaTemplate; name: string; project?: string; namePrefix?: string },
    current: DiscoveredContainer[],
    count: number,
    target: number,
  ): Promise<void> {
    const taken = new Set(current.map((c) => c.instance.name));
    const numbers = new Set(current.map((c) => c.instance.replica ?? 0));
    // New replicas follow the naming the service already uses (`shop-web-3`, `fleetdeck-samples-web-3`).
    const named = current.find((c) => c.instance.replica !== undefined && c.instance.name.endsWith(`-${c.instance.replica}`));
    const prefix = named ? named.instance.name.slice(0, -String(named.instance.replica).length) : stored.namePrefix;
    const plan: { n: number; name: string }[] = [];
    for (let n = 1; plan.length < count; n++) {
      const name = prefix ? `${prefix}${n}` : replicaName(stored.project, stored.name, n);
      if (!numbers.has(n) && !taken.has(name)) plan.push({ n, name });
    }
    let started = 0;
    const results = await Promise.allSettled(
      plan.map(async ({ n, name }) => {
        const created = await this.createReplica(stored.template, name, n);
        try {
          await created.start();
        } catch (e) {
          await created.remove({ force: true }).catch(() => {});
          throw e;
        }
        started++;
        this.setOp(id, { kind: 'scale', target, message: `Started ${started} of ${count} new replicas…` });
      }),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) {
      const err = dockerError(failed[0]!.reason, `start ${failed.length} of ${count} new replicas`);
      throw new ApiError(err.code, err.message, err.hint);
    }
  }

  private async createReplica(t: ReplicaTemplate, name: string, n: number) {
    const api = this.engine.api;
    let attempt = 0;
    for (;;) {
      const finalName = attempt === 0 ? name : `${name}-${attempt}`;
      try {
        const c = await api.createContainer(replicaSpec(t, finalName, n));
        try {
          for (const net of t.extraNetworks) {
            await api.getNetwork(net.name).connect({ Container: c.id, EndpointConfig: { Aliases: net.aliases } });
          }
        } catch (e) {
          await c.remove({ force: true }).catch(() => {}); // never leave a half-made replica behind
          throw e;
        }
        return c;
      } catch (e) {
        // Someone took the name between our look and the create: take the next one.
        if ((e as { statusCode?: number }).statusCode === 409 && attempt < 5) {
          attempt++;
          continue;
        }
        throw e;
      }
    }
  }

  private async scaleDown(id: string, current: DiscoveredContainer[], count: number, target: number): Promise<void> {
    // Broken replicas go first, then the newest: the oldest are the best warmed up.
    const rank = (c: DiscoveredContainer) => (c.instance.state !== 'running' ? 2 : c.instance.health === 'unhealthy' ? 1 : 0);
    const victims = [...current]
      .sort((a, b) => rank(b) - rank(a) || b.instance.createdAt - a.instance.createdAt || (b.instance.replica ?? 0) - (a.instance.replica ?? 0))
      .slice(0, count);
    let done = 0;
    const results = await Promise.allSettled(
      victims.map(async (v) => {
        const c = this.engine.api.getContainer(v.instance.id);
        if (v.instance.state === 'running' || v.instance.state === 'restarting') {
          await c.stop({ t: await this.stopSeconds(v.instance.id) }).catch((e: { statusCode?: number }) => {
            if (e.statusCode !== 304 && e.statusCode !== 404) throw e;
          });
        }
        await c.remove({ force: true }).catch((e: { statusCode?: number }) => {
          if (e.statusCode !== 404) throw e;
        });
        done++;
        this.setOp(id, { kind: 'scale', target, message: `Stopped ${done} of ${count} replicas…` });
      }),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) throw dockerError(failed[0]!.reason, `stop ${failed.length} of ${count} replicas`);
  }

  private async doRollingRestart(id: string): Promise<Service> {
    const order = this.containersOf(id)
      .filter((c) => c.instance.state === 'running')
      .sort((a, b) => a.instance.createdAt - b.instance.createdAt);
    try {
      for (const [i, c] of order.entries()) {
        this.setOp(id, { kind: 'rolling-restart', message: `Restarting ${i + 1} of ${order.length} (${c.instance.name})…` });
        const before = c.instance.startedAt ?? 0;
        try {
          await this.engine.api.getContainer(c.instance.id).restart({ t: await this.stopSeconds(c.instance.id) });
        } catch (e) {
          throw dockerError(e, `restart ${c.instance.name}`);
        }
        const ready = await this.waitFor(() => {
          const now = this.discovery.containers.get(c.instance.id)?.instance;
          return !!now && now.state === 'running' && (now.startedAt ?? 0) > before && (now.health === 'healthy' || now.health === 'none');
        }, this.options.readyTimeoutMs ?? 90_000);
        if (!ready) {
          throw new ApiError(
            'TIMEOUT',
            `${c.instance.name} did not become healthy after its restart; the rolling restart stopped there.`,
            'Check its logs; the remaining replicas were left running.',
          );
        }
      }
      return this.get(id);
    } finally {
      this.setOp(id, undefined);
    }
  }

  private async stopSeconds(containerId: string): Promise<number> {
    try {
      const info = (await this.engine.api.getContainer(containerId).inspect()) as ContainerInspectInfo;
      const t = (info.Config as { StopTimeout?: number }).StopTimeout;
      return typeof t === 'number' && t >= 0 ? t : DEFAULT_STOP_SECONDS;
    } catch {
      return DEFAULT_STOP_SECONDS;
    }
  }

  /** Waits for discovery (driven by engine events) to show a condition; false on timeout. */
  private waitFor(pred: () => boolean, ms: number): Promise<boolean> {
    if (pred()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        clearTimeout(t);
        this.discovery.off('change', check);
        resolve(v);
      };
      const check = () => pred() && done(true);
      const t = setTimeout(() => done(pred()), ms);
      this.discovery.on('change', check);
    });
  }

  private changed(): void {
    this.cache = undefined;
    this.emit('change');
  }

  private build(): Service[] {
    const groups = new Map<string, DiscoveredContainer[]>();
    for (const c of this.discovery.containers.values()) {
      const id = serviceIdOf(this.envId, c.key);
      let g = groups.get(id);
      if (!g) groups.set(id, (g = []));
      g.push(c);
    }
    const out: Service[] = [];
    for (const [id, members] of groups) {
      const key = members[0]!.key;
      const instances = members
        .map((m) => m.instance)
        .sort((a, b) => (a.replica ?? Infinity) - (b.replica ?? Infinity) || a.createdAt - b.createdAt || a.name.localeCompare(b.name));
      if (key.group !== 'standalone') this.templates.setZero(id, false);
      out.push(this.service(id, key, instances, newest(members)?.instance.image ?? ''));
    }
    for (const [id, t] of this.templates.entries()) {
      if (!t.zero || groups.has(id)) continue;
      const key: ServiceKey = { group: t.group, name: t.name, ...(t.project ? { project: t.project } : {}) };
      out.push(this.service(id, key, [], t.template.create.Image ?? ''));
    }
    const groupRank = (s: Service) => (s.group === 'standalone' ? 1 : 0);
    return out.sort(
      (a, b) => groupRank(a) - groupRank(b) || (a.project ?? '').localeCompare(b.project ?? '') || a.name.localeCompare(b.name),
    );
  }

  private service(id: string, key: ServiceKey, instances: Instance[], image: string): Service {
    const op = this.ops.get(id);
    const running = instances.filter((i) => i.state === 'running').length;
    return {
      id,
      envId: this.envId,
      name: key.name,
      ...(key.project ? { project: key.project } : {}),
      group: key.group,
      image,
      instances,
      desired: op?.target ?? instances.length,
      running,
      healthy: instances.filter((i) => i.state === 'running' && (i.health === 'healthy' || i.health === 'none')).length,
      unhealthy: instances.filter((i) => i.health === 'unhealthy').length,
      createdAt: instances.length ? Math.min(...instances.map((i) => i.createdAt)) : 0,
      ...(op ? { operation: op } : {}),
      scalable: key.group !== 'standalone' && (instances.length > 0 || !!this.templates.get(id)),
    };
  }
}

function newest(list: DiscoveredContainer[]): DiscoveredContainer | undefined {
  return list.reduce<DiscoveredContainer | undefined>((a, b) => (!a || b.instance.createdAt > a.instance.createdAt ? b : a), undefined);
}
