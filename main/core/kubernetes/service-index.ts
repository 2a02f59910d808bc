/**
 * The services of the watched namespaces, rebuilt incrementally: an event marks the workloads it
 * touches, and `list()` rebuilds only those. Unchanged Service objects keep their identity across
 * lists, so a consumer can tell at a glance (===) which rows changed.
 */
import type { V1Deployment, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import type { Instance, Service } from '../../common/model';
import { selects, serviceOf, slimWorkload, type SlimWorkload } from './model';
import { PodIndex } from './pod-index';

type Kind = 'deployment' | 'statefulset';

interface WorkloadRecord {
  w: SlimWorkload;
  source: string;
  seen: number;
}

export class ServiceIndex {
  readonly pods: PodIndex;
  private readonly workloads = new Map<string, WorkloadRecord>();
  private readonly byNs = new Map<string, Set<string>>();
  private readonly services = new Map<string, Service>();
  private readonly dirty = new Set<string>();
  private readonly dirtyNs = new Set<string>();
  private readonly ops = new Map<string, NonNullable<Service['operation']>>();
  private membershipChanged = true;
  private array: Service[] = [];
  /** Where each workload's service sits in `array`, so a rebuilt one is put in place without a pass over the list. */
  private position = new Map<string, number>();

  constructor(readonly envId: string) {
    this.pods = new PodIndex({ owner: (k) => this.dirty.add(k), orphans: (ns) => this.dirtyNs.add(ns) });
  }

  get hasChanges(): boolean {
    return this.dirty.size > 0 || this.dirtyNs.size > 0 || this.membershipChanged;
  }

  upsertWorkload(obj: V1Deployment | V1StatefulSet, kind: Kind, source: string, seen: number): void {
    const w = slimWorkload(obj, kind);
    const key = `${w.ns}/${kind}/${w.name}`;
    const old = this.workloads.get(key);
    if (old && old.w.resourceVersion && old.w.resourceVersion === w.resourceVersion) {
      old.source = source;
      old.seen = seen;
      return;
    }
    if (!old) {
      let set = this.byNs.get(w.ns);
      if (!set) this.byNs.set(w.ns, (set = new Set()));
      set.add(key);
      this.membershipChanged = true;
    }
    this.workloads.set(key, { w, source, seen });
    this.dirty.add(key);
  }

  removeWorkload(obj: V1Deployment | V1StatefulSet, kind: Kind): void {
    this.dropWorkload(`${obj.metadata?.namespace ?? 'default'}/${kind}/${obj.metadata?.name ?? ''}`);
  }

  upsertPod(p: V1Pod, source: string, seen: number): void {
    this.pods.upsert(p, source, seen);
  }

  removePod(p: V1Pod): void {
    this.pods.remove(p);
  }

  /** After a full list of `kind` from `source`: workloads it did not list again are gone. */
  sweepWorkloads(kind: Kind, source: string, seen: number): void {
    for (const [key, r] of [...this.workloads]) if (r.w.kind === kind && r.source === source && r.seen < seen) this.dropWorkload(key);
  }

  dropSource(source: string): void {
    for (const [key, r] of [...this.workloads]) if (r.source === source) this.dropWorkload(key);
    this.pods.dropSource(source);
  }

  workload(ns: string, kind: Kind, name: string): SlimWorkload | undefined {
    return this.workloads.get(`${ns}/${kind}/${name}`)?.w;
  }

  setOp(serviceId: string, op: Service['operation'] | undefined): void {
    if (op) this.ops.set(serviceId, op);
    else this.ops.delete(serviceId);
    const prefix = `${this.envId}/`;
    if (serviceId.startsWith(prefix)) this.dirty.add(serviceId.slice(prefix.length));
  }

  /** The current list: the same array while nothing changed; a new one reusing unchanged services. */
  list(): Service[] {
    if (!this.hasChanges) return this.array;
    for (const ns of this.dirtyNs) for (const key of this.byNs.get(ns) ?? []) this.dirty.add(key);
    this.dirtyNs.clear();
    const replaced: string[] = [];
    for (const key of this.dirty) {
      const r = this.workloads.get(key);
      if (!r) {
        if (this.services.delete(key)) this.membershipChanged = true;
        continue;
      }
      const instances: Instance[] = [];
      for (const p of this.pods.owned(key)) instances.push(p.instance);
      for (const p of this.pods.orphans(r.w.ns)) if (selects(r.w.selector, p.labels)) instances.push(p.instance);
      const id = `${this.envId}/${key}`;
      this.services.set(key, serviceOf(this.envId, r.w, instances, this.ops.get(id)));
      replaced.push(key);
    }
    this.dirty.clear();
    if (this.membershipChanged) {
      const keyed = [...this.services].sort(
        ([, a], [, b]) => a.name.localeCompare(b.name) || a.group.localeCompare(b.group) || (a.project ?? '').localeCompare(b.project ?? ''),
      );
      this.array = keyed.map(([, s]) => s);
      this.position = new Map(keyed.map(([key], i) => [key, i]));
      this.membershipChanged = false;
    } else if (replaced.length) {
      // Called on every change of a busy cluster: a copy of the array, then only the rebuilt places.
      const next = this.array.slice();
      for (const key of replaced) {
        const i = this.position.get(key);
        if (i !== undefined) next[i] = this.services.get(key)!;
      }
      this.array = next;
    }
    return this.array;
  }

  get(serviceId: string): Service | undefined {
    this.list();
    return this.services.get(serviceId.slice(this.envId.length + 1));
  }

  private dropWorkload(key: string): void {
    const r = this.workloads.get(key);
    if (!r) return;
    this.workloads.delete(key);
    const set = this.byNs.get(r.w.ns);
    set?.delete(key);
    if (set?.size === 0) this.byNs.delete(r.w.ns);
    this.dirty.add(key);
    this.membershipChanged = true;
  }
}
