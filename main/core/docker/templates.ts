/**
 * Replica templates kept on disk, so a service scaled to 0 can be scaled up again, even
 * after a restart. Templates hold env values, so the file is readable by its owner only and
 * never leaves the engine process.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ReplicaTemplate } from './clone';

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
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, StoredTemplate>;
      for (const [k, v] of Object.entries(data)) this.map.set(k, v);
    } catch {
      /* none yet, or unreadable: start empty */
    }
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
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.map)), { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch {
      /* losing a template only means scale-from-0 needs a container again */
    }
  }
}
