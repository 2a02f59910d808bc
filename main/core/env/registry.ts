/**
 * Every environment the panel can show, as drivers: the local Docker engine first, then what
 * each provider adds (engines the user added, contexts from kubeconfig). It never asks what
 * kind a driver is; it keeps the order, pushes the whole (small) list on every change, and
 * finds which driver owns an id.
 */
import { EventEmitter } from 'node:events';
import { ApiError } from '../../common/errors';
import type { Environment } from '../../common/model';
import type { EnvironmentDriver } from './driver';

/** Adds drivers to a registry: once at start, and later as what it reads changes. */
export interface EnvironmentProvider {
  /** What can be added at once, without waiting (listed from the first moment). */
  load?(registry: DriverRegistry): void;
  start(registry: DriverRegistry): Promise<void>;
  stop(): void;
  /** What went wrong reading the provider's source, if anything (e.g. an unreadable kubeconfig). */
  readonly problem?: string | undefined;
}

export interface DriverRegistry {
  add(driver: EnvironmentDriver): void;
  remove(id: string): void;
  has(id: string): boolean;
  /** Something a provider says changed without adding or removing (its problem). */
  touch(): void;
}

export class DriverList extends EventEmitter<{ change: [] }> implements DriverRegistry {
  private readonly drivers: EnvironmentDriver[] = [];
  private readonly onChange = new Map<string, () => void>();
  private started = false;
  private stopped = false;

  add(d: EnvironmentDriver): void {
    if (this.has(d.id)) throw new ApiError('CONFLICT', `An environment with the id ${d.id} exists already.`, 'Pick another name.');
    this.drivers.push(d);
    const on = () => this.changed();
    this.onChange.set(d.id, on);
    d.on('change', on);
    if (this.started && !this.stopped) d.start();
    this.changed();
  }

  remove(id: string): void {
    const i = this.drivers.findIndex((d) => d.id === id);
    if (i < 0) return;
    const [d] = this.drivers.splice(i, 1);
    d!.off('change', this.onChange.get(id)!);
    this.onChange.delete(id);
    d!.remove();
    this.changed();
  }

  has(id: string): boolean {
    return this.drivers.some((d) => d.id === id);
  }

  touch(): void {
    this.changed();
  }

  all(): readonly EnvironmentDriver[] {
    return this.drivers;
  }

  find(id: string): EnvironmentDriver | undefined {
    return this.drivers.find((d) => d.id === id);
  }

  get(id: string): EnvironmentDriver {
    const d = this.find(id);
    if (!d) throw new ApiError('NOT_FOUND', `No environment "${id}".`, 'Pick one from the sidebar; the list may have changed.');
    return d;
  }

  /** The driver whose id prefixes `<envId>/…` (ids may hold slashes: the longest match wins). */
  owner(childId: string): EnvironmentDriver {
    let best: EnvironmentDriver | undefined;
    for (const d of this.drivers) if (childId.startsWith(`${d.id}/`) && (!best || d.id.length > best.id.length)) best = d;
    if (!best) throw new ApiError('NOT_FOUND', `No environment holds "${childId}".`, 'Pick a service from the list; it may have changed.');
    return best;
  }

  startAll(): void {
    this.started = true;
    for (const d of this.drivers) d.start();
  }

  stopAll(): void {
    this.stopped = true;
    for (const d of this.drivers) d.stop();
  }

  describe(): Environment[] {
    return this.drivers.map((d) => d.describe());
  }

  private changed(): void {
    if (!this.stopped) this.emit('change');
  }
}
