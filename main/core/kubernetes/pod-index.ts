/**
 * Pods by owner, kept slim: the Instance the panel shows (made once per pod change) and the few
 * fields actions need, never the V1Pod itself. 30,000 whole pods cost hundreds of MB; this keeps
 * a few hundred bytes each, and lets one pod event touch only the workload that owns it.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Instance } from '../../common/model';
import { podToInstance } from './model';

export interface PodRecord {
  readonly uid: string;
  readonly ns: string;
  readonly name: string;
  readonly rv: string;
  /** `ns/kind/name` of the Deployment or StatefulSet that owns it; undefined for an orphan. */
  readonly owner: string | undefined;
  /** Only orphans keep labels: they are matched to workloads by selector, as before ownership. */
  readonly labels: Record<string, string> | undefined;
  readonly container: string | undefined;
  readonly instance: Instance;
  /** Which watch delivered it, and in which of its lists it was last seen (for relists). */
  source: string;
  seen: number;
}

/** What changed: workload keys whose pods changed, and namespaces whose orphans did. */
export interface Dirty {
  owner(key: string): void;
  orphans(ns: string): void;
}

/** `ns/kind/name` of the workload controlling the pod; '' for a controller we do not show (Job, DaemonSet…). */
export function ownerKeyOf(p: V1Pod): string | undefined {
  const ns = p.metadata?.namespace ?? 'default';
  const refs = p.metadata?.ownerReferences ?? [];
  const ref = refs.find((r) => r.controller) ?? refs[0];
  if (!ref) return undefined;
  if (ref.kind === 'StatefulSet') return `${ns}/statefulset/${ref.name}`;
  if (ref.kind === 'ReplicaSet') {
    // A Deployment names its ReplicaSets `<deployment>-<pod-template-hash>` and labels their pods with the hash.
    const hash = p.metadata?.labels?.['pod-template-hash'];
    if (hash && ref.name.endsWith(`-${hash}`)) return `${ns}/deployment/${ref.name.slice(0, -hash.length - 1)}`;
    return undefined; // a bare ReplicaSet: matched by selector like an orphan
  }
  return '';
}

export class PodIndex {
  private readonly byKey = new Map<string, PodRecord>();
  private readonly byUid = new Map<string, PodRecord>();
  private readonly byOwner = new Map<string, Set<PodRecord>>();
  private readonly orphanSets = new Map<string, Set<PodRecord>>();

  constructor(private readonly dirty: Dirty) {}

  get size(): number {
    return this.byKey.size;
  }

  upsert(p: V1Pod, source: string, seen: number): void {
    const ns = p.metadata?.namespace ?? 'default';
    const name = p.metadata?.name ?? '';
    const key = `${ns}/${name}`;
    const old = this.byKey.get(key);
    const rv = p.metadata?.resourceVersion ?? '';
    if (old && rv && old.rv === rv && old.uid === (p.metadata?.uid ?? name)) {
      old.source = source;
      old.seen = seen;
      return;
    }
    const owner = ownerKeyOf(p);
    if (owner === '') {
      if (old) this.drop(old);
      return;
    }
    const rec: PodRecord = {
      uid: p.metadata?.uid ?? name,
      ns,
      name,
      rv,
      owner,
      labels: owner === undefined ? { ...(p.metadata?.labels ?? {}) } : undefined,
      container: p.spec?.containers?.[0]?.name,
      instance: podToInstance(p),
      source,
      seen,
    };
    if (old) this.drop(old);
    this.byKey.set(key, rec);
    this.byUid.set(rec.uid, rec);
    this.group(rec).add(rec);
    this.touch(rec);
  }

  remove(p: V1Pod): void {
    const old = this.byKey.get(`${p.metadata?.namespace ?? 'default'}/${p.metadata?.name ?? ''}`);
    if (old) this.drop(old);
  }

  /** After a full list from `source`: what it did not list again is gone (ghosts of a lost watch). */
  sweep(source: string, seen: number): void {
    for (const rec of [...this.byKey.values()]) if (rec.source === source && rec.seen < seen) this.drop(rec);
  }

  /** A watch no longer wanted (namespace unpicked): everything it delivered goes. */
  dropSource(source: string): void {
    for (const rec of [...this.byKey.values()]) if (rec.source === source) this.drop(rec);
  }

  owned(ownerKey: string): Iterable<PodRecord> {
    return this.byOwner.get(ownerKey) ?? [];
  }

  orphans(ns: string): Iterable<PodRecord> {
    return this.orphanSets.get(ns) ?? [];
  }

  get(ns: string, name: string): PodRecord | undefined {
    return this.byKey.get(`${ns}/${name}`);
  }

  getByUid(uid: string): PodRecord | undefined {
    return this.byUid.get(uid);
  }

  /** A pod by name in any watched namespace (names are unique only per namespace: first found). */
  findByName(name: string): PodRecord | undefined {
    for (const rec of this.byKey.values()) if (rec.name === name) return rec;
    return undefined;
  }

  private group(rec: PodRecord): Set<PodRecord> {
    const map = rec.owner === undefined ? this.orphanSets : this.byOwner;
    const k = rec.owner ?? rec.ns;
    let set = map.get(k);
    if (!set) map.set(k, (set = new Set()));
    return set;
  }

  private drop(rec: PodRecord): void {
    const key = `${rec.ns}/${rec.name}`;
    if (this.byKey.get(key) === rec) this.byKey.delete(key);
    if (this.byUid.get(rec.uid) === rec) this.byUid.delete(rec.uid);
    const set = this.group(rec);
    set.delete(rec);
    if (set.size === 0) (rec.owner === undefined ? this.orphanSets : this.byOwner).delete(rec.owner ?? rec.ns);
    this.touch(rec);
  }

  private touch(rec: PodRecord): void {
    if (rec.owner === undefined) this.dirty.orphans(rec.ns);
    else this.dirty.owner(rec.owner);
  }
}
