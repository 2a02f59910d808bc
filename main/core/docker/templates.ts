/**
 * Replica templates kept on disk, so a service scaled to 0 can be scaled up again, even
 * after a restart. Templates hold env values, so the file is readable by its owner only and
 * never leaves the engine process.
 */
import { readJson, writeJsonAtomic } from '../env/json-store';
import type { ReplicaTemplate } from './clone';
import { errorFields, log } from '../log';

export interface StoredTemplate {
  template: ReplicaTemplate;
  name: string;
  project?: string;
  group: 'compose' | 'fleetdeck';
  /** How replicas are named, e.g. `shop-web-`; the replica number follows. */
  namePrefix?: string;
  /** True once the service was scaled to 0 by Fleetdeck: it stays listed as 0/0. */
  zero: boolean;
}

export class TemplateStore {
  private readonly map = new Map<string, StoredTemplate>();

  constructor(readonly file: string | undefined) {
    if (!file) return;
    // None yet, or unreadable: start empty.
    const data = readJson(file);
    if (data && typeof data === 'object' && !Array.isArray(data))
      for (const [k, v] of Object.entries(data as Record<string, StoredTemplate>)) this.map.set(k, v);
  }

  get(serviceId: string): StoredTemplate | undefined {
    return this.map.get(serviceId);
  }

  entries(): [string, StoredTemplate][] {
    return [...this.map.entries()];
  }

  set(serviceId: string, t: StoredTemplate): void {
    this.map.set(serviceId, t);
    this.save();
  }

  setZero(serviceId: string, zero: boolean): void {
    const t = this.map.get(serviceId);
    if (!t || t.zero === zero) return;
    t.zero = zero;
    this.save();
  }

  delete(serviceId: string): void {
    if (this.map.delete(serviceId)) this.save();
  }

  private save(): void {
    if (!this.file) return;
    try {
      writeJsonAtomic(this.file, Object.fromEntries(this.map));
    } catch (e) {
      // Losing a template only means scale-from-0 needs a container again.
      log('docker').warn({ file: this.file, ...errorFields(e) }, 'could not save replica templates');
    }
  }
}
