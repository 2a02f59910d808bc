/**
 * Live discovery on one Docker engine: a full list on every (re)connect, then the events
 * stream keeps it current. Each container event re-inspects that one container (bursts
 * coalesce), so a container started from a terminal shows up within milliseconds and a
 * resync after an engine restart replaces the whole picture, without duplicates.
 */
import { EventEmitter } from 'node:events';
import type { ContainerInspectInfo } from 'dockerode';
import type { Instance } from '../../common/model';
import type { DockerEngine, DockerEngineEvent } from './engine';
import { toInstance } from './instance';
import { serviceKeyOf, type ServiceKey } from './labels';
import { onceSynced, whenSynced } from '../sync-gate';
import { errorFields, log } from '../log';

export interface DiscoveredContainer {
  instance: Instance;
  key: ServiceKey;
  labels: Record<string, string>;
}

/** Events that change what we show; exec_* and the like do not. */
const RELEVANT = new Set(['create', 'start', 'restart', 'stop', 'die', 'kill', 'pause', 'unpause', 'rename', 'update', 'oom', 'destroy']);
const INSPECT_CONCURRENCY = 8;

export class DockerDiscovery extends EventEmitter<{ change: []; synced: [] }> {
  readonly containers = new Map<string, DiscoveredContainer>();
  private readonly engine: DockerEngine;
  private readonly dirty = new Set<string>();
  /** Ids destroyed recently: an inspect that started before the destroy must not bring them back. */
  private readonly destroyed = new Set<string>();
  private flushing = false;
  private generation = 0;
  private synced = false;
  /** Containers that changed while a resync's list was in flight: re-inspected after it lands. */
  private changedDuringResync: Set<string> | undefined;
  private resyncRetry: NodeJS.Timeout | undefined;
  private recheck: NodeJS.Timeout | undefined;
  private resyncAttempt = 0;

  constructor(engine: DockerEngine) {
    super();
    this.engine = engine;
    engine.on('connected', () => void this.resync());
    engine.on('status', (st) => {
      if (st.state !== 'connected') clearTimeout(this.resyncRetry);
    });
    // A safety net, not a poll: containers in a passing state (health 'starting', 'restarting')
    // are looked at again every 5 s, in case the engine's event for their next state was lost.
    this.recheck = setInterval(() => {
      if (this.engine.status.state !== 'connected') return;
      for (const c of this.containers.values()) {
        if (c.instance.health === 'starting' || c.instance.state === 'restarting' || c.instance.state === 'created') this.dirty.add(c.instance.id);
      }
      if (this.dirty.size) void this.flush();
    }, 5000);
    this.recheck.unref?.();
    engine.on('event', (e) => this.onEvent(e));
    if (engine.status.state === 'connected') void this.resync();
  }

  /** Stops the safety-net timer (the engine's own stop ends the rest). */
  close(): void {
    clearInterval(this.recheck);
  }

  get isSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once the first full list is in (at once if it is), false after `timeoutMs`. */
  whenSynced(timeoutMs = 30_000): Promise<boolean> {
    return whenSynced(this, timeoutMs);
  }

  /** Calls `fn` once synced; returns how to stop waiting. */
  onceSynced(fn: () => void): () => void {
    return onceSynced(this, fn);
  }

  private onEvent(e: DockerEngineEvent): void {
    if (e.Type !== 'container') return;
    const action = e.Action.split(':')[0] ?? '';
    this.changedDuringResync?.add(e.Actor.ID);
    if (action === 'destroy') {
      this.dirty.delete(e.Actor.ID);
      this.destroyed.add(e.Actor.ID);
      if (this.destroyed.size > 10_000) this.destroyed.delete(this.destroyed.values().next().value!);
      if (this.containers.delete(e.Actor.ID)) this.emit('change');
      return;
    }
    if (!RELEVANT.has(action) && !action.startsWith('health_status')) return;
    this.dirty.add(e.Actor.ID);
    void this.flush();
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.dirty.size) {
        const ids = [...this.dirty];
        this.dirty.clear();
        const gen = this.generation;
        let results: (DiscoveredContainer | undefined)[];
        try {
          results = await mapLimit(ids, INSPECT_CONCURRENCY, (id) => this.inspect(id));
        } catch (e) {
          log('docker').debug(errorFields(e), 'inspect failed; the resync after a reconnect covers it');
          return;
        }
        if (gen !== this.generation) continue; // a resync replaced everything meanwhile
        let changed = false;
        for (const [i, r] of results.entries()) {
          const id = ids[i]!;
          if (r && !this.destroyed.has(id)) this.containers.set(id, r);
          else if (!this.containers.delete(id)) continue;
          changed = true;
        }
        if (changed) this.emit('change');
      }
    } finally {
      this.flushing = false;
    }
  }

  private async resync(): Promise<void> {
    const gen = ++this.generation;
    clearTimeout(this.resyncRetry);
    const changed = new Set<string>();
    this.changedDuringResync = changed;
    try {
      const list = await this.engine.api.listContainers({ all: true });
      const results = await mapLimit(
        list.map((c) => c.Id),
        INSPECT_CONCURRENCY,
        (id) => this.inspect(id),
      );
      if (gen !== this.generation) return;
      this.containers.clear();
      for (const r of results) if (r && !this.destroyed.has(r.instance.id)) this.containers.set(r.instance.id, r);
      this.resyncAttempt = 0;
      this.synced = true;
      this.emit('change');
      this.emit('synced');
      // The snapshot may be older than events that arrived meanwhile: look at those containers again.
      for (const id of changed) if (!this.destroyed.has(id)) this.dirty.add(id);
      if (this.dirty.size) void this.flush();
    } catch (e) {
      log('docker').warn(errorFields(e), 'listing containers failed');
      if (gen !== this.generation || this.engine.status.state !== 'connected') return; // the next 'connected' resyncs
      // The engine is up but the list failed: try again, backing off, rather than stay empty.
      const delay = Math.min(500 * 2 ** this.resyncAttempt++, 10_000);
      this.resyncRetry = setTimeout(() => void this.resync(), delay);
      this.resyncRetry.unref?.();
    } finally {
      if (this.changedDuringResync === changed) this.changedDuringResync = undefined;
    }
  }

  private async inspect(id: string): Promise<DiscoveredContainer | undefined> {
    try {
      const c = (await this.engine.api.getContainer(id).inspect()) as ContainerInspectInfo;
      const labels = c.Config.Labels ?? {};
      const instance = toInstance(c as unknown as Parameters<typeof toInstance>[0]);
      return { instance, key: serviceKeyOf(labels, instance.name), labels };
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return undefined;
      throw e;
    }
  }
}

export async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
