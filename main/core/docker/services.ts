/**
 * The services of one Docker engine, as the panel shows them, and what can be done to
 * them: scale (clone newest replica / stop newest first), rolling restart, instance actions.
 * Operations on one service run one after another; different services in parallel.
 * Scales and rolling restarts are journalled (op-journal.ts): one a killed Fleetdeck left
 * half done is finished after the next sync with the engine.
 */
import { EventEmitter } from 'node:events';
import type { Container, ContainerInspectInfo } from 'dockerode';
import { ApiError } from '../../common/errors';
import { plainText } from '../../common/output-policy';
import { resolveService } from '../../common/service-ref';
import type { Instance, Service } from '../../common/model';
import { replicaName, replicaSpec, templateFrom, type ReplicaTemplate } from './clone';
import type { DiscoveredContainer, DockerDiscovery } from './discovery';
import type { DockerEngine } from './engine';
import { dockerError } from './errors';
import { FLEETDECK_OP, serviceIdOf, type ServiceKey } from './labels';
import type { OpJournal, OpRecord } from './op-journal';
import type { TemplateStore } from './templates';

import type { InstanceAction } from '../env/driver';
import { KeyedQueue, ProgressBoard, validateReplicas, waitUntil } from '../env/operations';
import { readiness } from '../../common/readiness';
import { degradedOf, type BreakerReading, type DegradedSignals } from '../../common/degraded';

/** What the scrapes of /metrics say of one service (metrics/scraper.ts). */
export type ScrapedHealthOf = (serviceId: string) => { breakers?: BreakerReading[]; signals: DegradedSignals } | undefined;

export type { InstanceAction };

export interface DockerServicesOptions {
  maxReplicas: number;
  /** How long a replica gets to become running/healthy before an operation reports it. */
  readyTimeoutMs?: number;
}

const DEFAULT_STOP_SECONDS = 10;
/**
 * A never-started replica whose operation is in no journal of ours may be another Fleetdeck's
 * (with another state folder) between create and start: left alone until it is this old.
 */
const UNKNOWN_LEFTOVER_MS = 60_000;

export class DockerServices extends EventEmitter<{ change: [] }> {
  private readonly ops = new ProgressBoard(() => this.changed());
  private readonly queue = new KeyedQueue();
  private cache: Service[] | undefined;
  private last: Service[] = [];
  private recovery: Promise<void> = Promise.resolve();
  private sweep: NodeJS.Timeout | undefined;
  private scraped: ScrapedHealthOf = () => undefined;

  constructor(
    readonly envId: string,
    private readonly engine: DockerEngine,
    private readonly discovery: DockerDiscovery,
    private readonly templates: TemplateStore,
    private readonly journal: OpJournal,
    private readonly options: DockerServicesOptions,
  ) {
    super();
    this.setMaxListeners(0); // every open log, metrics and services stream listens for changes
    discovery.on('change', () => this.changed());
    // Every (re)sync: what a crash left half done may only now be visible.
    discovery.on('synced', () => this.startRecovery());
    if (discovery.isSynced) this.startRecovery();
  }

  /** Resolves once what the last sync found left behind by a killed Fleetdeck is dealt with. */
  whenRecovered(): Promise<void> {
    return this.recovery;
  }

  close(): void {
    clearTimeout(this.sweep);
  }

  private startRecovery(): void {
    // Chained: a resync while a recovery runs must not make whenRecovered() forget the first.
    this.recovery = Promise.all([this.recovery, this.recover()]).then(() => {});
  }

  /** Where each service's breakers and 5xx come from; call `healthChanged` when they change. */
  setScrapedHealth(of: ScrapedHealthOf): void {
    this.scraped = of;
    this.changed();
  }

  healthChanged(): void {
    this.changed();
  }

  list(): Service[] {
    this.cache ??= this.keepUnchanged(this.build());
    return this.cache;
  }

  /**
   * The list is rebuilt whole on every engine event; a service whose content did not change stays
   * the object it was (and the list the array it was), so services.watch sends only what changed.
   * Docker lists are tens of services: comparing their JSON costs nothing worth noting.
   */
  private keepUnchanged(built: Service[]): Service[] {
    const before = new Map(this.last.map((s) => [s.id, s]));
    let same = built.length === this.last.length;
    const out = built.map((s, i) => {
      const old = before.get(s.id);
      const keep = old && JSON.stringify(old) === JSON.stringify(s) ? old : s;
      if (keep !== this.last[i]) same = false;
      return keep;
    });
    if (!same) this.last = out;
    return this.last;
  }

  get(id: string): Service {
    const s = this.list().find((x) => x.id === id);
    if (!s) throw new ApiError('NOT_FOUND', `No service "${id}" on ${this.envId}.`, 'It may have been removed; pick one from the list.');
    return s;
  }

  /** By name as users type it: `web`, or `shop/web` where `web` alone is ambiguous. */
  resolve(ref: string): Service {
    return resolveService(this.list(), ref);
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
    validateReplicas(target, this.options.maxReplicas);
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
    return this.queue.run(id, run);
  }

  private setOp(id: string, op: Service['operation'] | undefined): void {
    this.ops.set(id, op);
  }

  private containersOf(serviceId: string): DiscoveredContainer[] {
    return [...this.discovery.containers.values()].filter((c) => serviceIdOf(this.envId, c.key) === serviceId);
  }

  private async doScale(id: string, target: number, resumed?: OpRecord): Promise<Service> {
    const all = this.containersOf(id);
    const leftovers = this.leftoversOf(all, resumed?.id).list;
    // A container that never started is no replica (yet): not counted, whoever created it.
    const current = all.filter((c) => c.instance.state !== 'created');
    const n = current.length;
    if (target === n && !leftovers.length) return this.get(id);
    const op = resumed ?? this.journal.begin({ envId: this.envId, serviceId: id, kind: 'scale', target });
    this.setOp(id, { kind: 'scale', target, message: resumed ? `Finishing the scale to ${target} that was cut short…` : `Scaling ${n} → ${target}…` });
    try {
      // Our own never-started replicas are started where the target needs them, else removed.
      const adopt = target > n ? [...leftovers].sort(byReplica).slice(0, target - n) : [];
      const gone = await this.removeUnstarted(leftovers.filter((c) => !adopt.includes(c)));
      if (target !== n) {
        // Refresh the template from a live replica before anything is removed.
        const stored = await this.refreshTemplate(id, current.length ? current : all);
        // At 0 the service is listed from its template: marked before its last replica goes, so
        // the list never loses it in between (build() leaves the mark alone while the scale runs).
        if (target === 0) this.templates.setZero(id, true);
        if (target > n) await this.scaleUp(id, stored, all, adopt, target - n, target, op.id);
        else await this.scaleDown(id, current, n - target, target);
      }
      this.templates.setZero(id, target === 0);
      this.changed();
      // Done when the engine shows the count, every new replica past 'created' (ports are known then).
      const shown = await this.waitFor(() => {
        const now = this.containersOf(id);
        return (
          now.filter((c) => c.instance.state !== 'created').length === target &&
          !now.some((c) => gone.has(c.instance.id) || (c.instance.state === 'created' && c.labels[FLEETDECK_OP] === op.id))
        );
      }, 10_000);
      if (!shown) {
        const now = this.containersOf(id).filter((c) => c.instance.state !== 'created').length;
        throw new ApiError(
          'TIMEOUT',
          `The engine shows ${now} replicas of ${this.get(id).name} 10 s after scaling to ${target}.`,
          'Check the engine (docker ps -a, its log); the list shows what it reports.',
        );
      }
      return this.get(id);
    } finally {
      if (!resumed) this.journal.end(op.id); // a resumed one is resume()'s to end
      this.setOp(id, undefined);
    }
  }

  /**
   * Replicas Fleetdeck created and never started, that no live operation will start: their
   * operation (label) is `current`, or on record but its process is gone, or on no record
   * and old. `nextAt`: when the youngest unknown one becomes old enough.
   */
  private leftoversOf(
    members: DiscoveredContainer[],
    current?: string,
    records = new Map(this.journal.list().map((r) => [r.id, r])),
  ): { list: DiscoveredContainer[]; nextAt?: number } {
    const now = Date.now();
    let nextAt: number | undefined;
    const list = members.filter((c) => {
      const op = c.labels[FLEETDECK_OP];
      if (c.instance.state !== 'created' || !op) return false;
      if (op === current) return true;
      const r = records.get(op);
      if (r) return !this.journal.isLive(r);
      const at = c.instance.createdAt + UNKNOWN_LEFTOVER_MS;
      if (at <= now) return true;
      nextAt = Math.min(nextAt ?? at, at);
      return false;
    });
    return { list, ...(nextAt !== undefined ? { nextAt } : {}) };
  }

  /** Removes never-started containers; one started meanwhile (409) stays. Returns the ids removed. */
  private async removeUnstarted(list: DiscoveredContainer[]): Promise<Set<string>> {
    const gone = new Set<string>();
    await Promise.all(
      list.map(async (c) => {
        try {
          await this.engine.api.getContainer(c.instance.id).remove({ force: false });
          gone.add(c.instance.id);
        } catch (e) {
          const code = (e as { statusCode?: number }).statusCode;
          if (code === 404) gone.add(c.instance.id);
          else if (code !== 409) throw dockerError(e, `remove ${c.instance.name}, which never started`);
        }
      }),
    );
    return gone;
  }

  /**
   * After a (re)sync: operations on record whose process is gone are finished (the newest per
   * service: what the user asked for last), and services holding leftovers are cleaned, each
   * through the service's queue like any operation.
   */
  private recover(): Promise<void> {
    clearTimeout(this.sweep);
    const abandoned = new Map<string, OpRecord>();
    const all = this.journal.list();
    for (const r of all) {
      if (r.envId !== this.envId || this.journal.isLive(r)) continue;
      const prev = abandoned.get(r.serviceId);
      const [keep, drop] = !prev || r.startedAt > prev.startedAt ? [r, prev] : [prev, r];
      if (drop) this.journal.end(drop.id);
      abandoned.set(r.serviceId, keep);
    }
    const byService = new Map<string, DiscoveredContainer[]>();
    for (const c of this.discovery.containers.values()) {
      const id = serviceIdOf(this.envId, c.key);
      const list = byService.get(id);
      if (list) list.push(c);
      else byService.set(id, [c]);
    }
    const todo = new Set(abandoned.keys());
    let nextAt: number | undefined;
    const records = new Map(all.map((r) => [r.id, r]));
    for (const [id, members] of byService) {
      const found = this.leftoversOf(members, undefined, records);
      if (found.list.length) todo.add(id);
      if (found.nextAt !== undefined) nextAt = Math.min(nextAt ?? found.nextAt, found.nextAt);
    }
    if (nextAt !== undefined) {
      // Not while the engine is away: the sync after it reconnects looks again anyway.
      this.sweep = setTimeout(() => this.engine.status.state === 'connected' && this.startRecovery(), Math.max(1000, nextAt - Date.now()));
      this.sweep.unref?.();
    }
    const runs = [...todo].map((id) =>
      this.serialize(id, () => this.resume(id, abandoned.get(id))).catch(() => {
        /* nobody to tell: the list shows what the engine has, and the next sync tries again */
      }),
    );
    return Promise.all(runs).then(() => {});
  }

  private async resume(id: string, rec: OpRecord | undefined): Promise<void> {
    if (!rec) {
      await this.doScale(id, this.containersOf(id).filter((c) => c.instance.state !== 'created').length);
      return;
    }
    const mine = this.journal.claim(rec);
    if (!mine) return; // another Fleetdeck took it on
    try {
      if (mine.kind === 'rolling-restart') await this.doRollingRestart(id, mine);
      else if (mine.target !== undefined) await this.doScale(id, mine.target, mine);
    } finally {
      // Cut short again by the engine going away: the next sync takes it up again.
      if (this.engine.status.state === 'connected') this.journal.end(mine.id);
      else this.journal.release(mine.id);
    }
  }

  private async refreshTemplate(id: string, current: DiscoveredContainer[]) {
    const source = newest(current.filter((c) => c.instance.state === 'running' && c.instance.health !== 'unhealthy')) ?? newest(current);
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
    all: DiscoveredContainer[],
    adopt: DiscoveredContainer[],
    count: number,
    target: number,
    opId: string,
  ): Promise<void> {
    const taken = new Set(all.map((c) => c.instance.name));
    const numbers = new Set(all.map((c) => c.instance.replica ?? 0));
    // New replicas follow the naming the service already uses (`shop-web-3`, `fleetdeck-samples-web-3`).
    const named = all.find((c) => c.instance.replica !== undefined && c.instance.name.endsWith(`-${c.instance.replica}`));
    const prefix = named ? named.instance.name.slice(0, -String(named.instance.replica).length) : stored.namePrefix;
    const plan: { n: number; name: string }[] = [];
    for (let n = 1; plan.length < count - adopt.length; n++) {
      const name = prefix ? `${prefix}${n}` : replicaName(stored.project, stored.name, n);
      if (!numbers.has(n) && !taken.has(name)) plan.push({ n, name });
    }
    let started = 0;
    const startIt = async (created: Container) => {
      try {
        await created.start();
      } catch (e) {
        // 304: a crashed Fleetdeck's own start of it landed first. Never forced: if it runs, it stays.
        if ((e as { statusCode?: number }).statusCode !== 304) {
          await created.remove({ force: false }).catch(() => {});
          throw e;
        }
      }
      started++;
      this.setOp(id, { kind: 'scale', target, message: `Started ${started} of ${count} new replicas…` });
    };
    const results = await Promise.allSettled([
      ...adopt.map(async (c) => startIt(await this.completeUnstarted(c, stored.template))),
      ...plan.map(async ({ n, name }) => startIt(await this.createReplica(stored.template, name, n, opId))),
    ]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) {
      const err = dockerError(failed[0]!.reason, `start ${failed.length} of ${count} new replicas`);
      throw new ApiError(err.code, err.message, err.hint);
    }
  }

  /** A never-started replica made ready to start: a crash between create and connect may have left networks out. */
  private async completeUnstarted(c: DiscoveredContainer, t: ReplicaTemplate) {
    const api = this.engine.api;
    const container = api.getContainer(c.instance.id);
    const info = (await container.inspect()) as ContainerInspectInfo;
    const has = new Set(Object.keys(info.NetworkSettings.Networks ?? {}));
    for (const net of t.extraNetworks) {
      if (!has.has(net.name)) await api.getNetwork(net.name).connect({ Container: c.instance.id, EndpointConfig: { Aliases: net.aliases } });
    }
    return container;
  }

  private async createReplica(t: ReplicaTemplate, name: string, n: number, opId: string) {
    const api = this.engine.api;
    let attempt = 0;
    for (;;) {
      const finalName = attempt === 0 ? name : `${name}-${attempt}`;
      try {
        const c = await api.createContainer(replicaSpec(t, finalName, n, opId));
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

  private async doRollingRestart(id: string, resumed?: OpRecord): Promise<Service> {
    const was = resumed?.replicas;
    const order = this.containersOf(id)
      .filter((c) =>
        was
          ? // Finishing one cut short: those not restarted yet, and any the cut left stopped.
            c.instance.id in was && (c.instance.state !== 'running' || (c.instance.startedAt ?? 0) === was[c.instance.id])
          : c.instance.state === 'running',
      )
      .sort((a, b) => a.instance.createdAt - b.instance.createdAt);
    const op =
      resumed ??
      this.journal.begin({
        envId: this.envId,
        serviceId: id,
        kind: 'rolling-restart',
        replicas: Object.fromEntries(order.map((c) => [c.instance.id, c.instance.startedAt ?? 0])),
      });
    try {
      for (const [i, c] of order.entries()) {
        this.setOp(id, { kind: 'rolling-restart', message: `Restarting ${i + 1} of ${order.length} (${c.instance.name})…` });
        const now = this.discovery.containers.get(c.instance.id)?.instance ?? c.instance;
        const before = now.startedAt ?? 0;
        const stopped = now.state === 'exited' || now.state === 'created' || now.state === 'dead';
        try {
          const container = this.engine.api.getContainer(c.instance.id);
          if (stopped) await container.start();
          else await container.restart({ t: await this.stopSeconds(c.instance.id) });
        } catch (e) {
          if ((e as { statusCode?: number }).statusCode !== 304) throw dockerError(e, `restart ${c.instance.name}`);
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
      if (!resumed) this.journal.end(op.id); // a resumed one is resume()'s to end
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
    return waitUntil(this.discovery, pred, ms);
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
      if (key.group !== 'standalone' && !this.ops.get(id)) this.templates.setZero(id, false);
      out.push(this.service(id, key, instances, newest(members)?.instance.image ?? ''));
    }
    for (const [id, t] of this.templates.entries()) {
      if (!t.zero || groups.has(id)) continue;
      const key: ServiceKey = { group: t.group, name: t.name, ...(t.project ? { project: t.project } : {}) };
      out.push(this.service(id, key, [], t.template.create.Image ?? ''));
    }
    const groupRank = (s: Service) => (s.group === 'standalone' ? 1 : 0);
    return out.sort((a, b) => groupRank(a) - groupRank(b) || (a.project ?? '').localeCompare(b.project ?? '') || a.name.localeCompare(b.name));
  }

  private service(id: string, key: ServiceKey, instances: Instance[], image: string): Service {
    const op = this.ops.get(id);
    const { running, healthy, unhealthy } = readiness(instances);
    const scraped = instances.length ? this.scraped(id) : undefined;
    const up = instances.filter((i) => i.state === 'running');
    const degraded = up.length
      ? degradedOf({ ...scraped?.signals, readiness: { up: up.length, failing: up.filter((i) => i.health === 'unhealthy').length } })
      : undefined;
    return {
      id,
      envId: this.envId,
      // Labels are whatever a container was given: shown as plain text, the id stays raw for calls.
      name: plainText(key.name),
      ...(key.project ? { project: plainText(key.project) } : {}),
      group: key.group,
      image: plainText(image),
      instances,
      // Never-started containers are not replicas: a scale a crash cut short leaves such.
      desired: op?.target ?? instances.filter((i) => i.state !== 'created').length,
      running,
      healthy,
      unhealthy,
      createdAt: instances.length ? Math.min(...instances.map((i) => i.createdAt)) : 0,
      ...(op ? { operation: op } : {}),
      scalable: key.group !== 'standalone' && (instances.length > 0 || !!this.templates.get(id)),
      ...(degraded ? { degraded } : {}),
      ...(scraped?.breakers ? { breakers: scraped.breakers } : {}),
    };
  }
}

function byReplica(a: DiscoveredContainer, b: DiscoveredContainer): number {
  return (a.instance.replica ?? Infinity) - (b.instance.replica ?? Infinity);
}

function newest(list: DiscoveredContainer[]): DiscoveredContainer | undefined {
  return list.reduce<DiscoveredContainer | undefined>((a, b) => (!a || b.instance.createdAt > a.instance.createdAt ? b : a), undefined);
}
