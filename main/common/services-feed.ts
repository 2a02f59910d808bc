/**
 * services.watch as changes (see ServicesEvent in api.ts): the engine diffs one list against the
 * last it sent, clients apply events to the list they hold, and a session merges events a slow
 * client has not been sent yet. Untouched services keep their identity on every side, so a
 * renderer compares rows with === and a diff costs nothing for services a driver did not rebuild.
 */
import type { ServicePatch, ServicesChanges, ServicesEvent } from './api';
import type { Instance, Service } from './model';

/** From this many instances a service whose instances mostly stayed the same is sent as a patch. */
const PATCH_FROM_INSTANCES = 16;

/**
 * The list after `e`. Services the event does not name are the same objects as in `list`, and
 * with nothing to apply the very same array comes back.
 */
export function applyServicesEvent(list: readonly Service[], e: ServicesEvent): Service[] {
  if (e.kind === 'snapshot') return e.services;
  if (e.upserts.length === 0 && e.removed.length === 0 && !e.order && !e.patches?.length) return list as Service[];
  const upserts = new Map(e.upserts.map((s) => [s.id, s]));
  if (e.patches?.length) {
    const current = new Map(list.map((s) => [s.id, s]));
    for (const p of e.patches) {
      const old = upserts.get(p.service.id) ?? current.get(p.service.id);
      // A patch names a service the client holds; one it does not (a bug elsewhere) is left out rather than made up.
      if (old) upserts.set(p.service.id, applyPatch(old, p));
    }
  }
  const removed = new Set(e.removed);
  if (e.order) {
    const byId = new Map(list.map((s) => [s.id, s]));
    for (const [id, s] of upserts) byId.set(id, s);
    const out: Service[] = [];
    for (const id of e.order) {
      const s = byId.get(id);
      if (s && !removed.has(id)) out.push(s);
    }
    return out;
  }
  const out: Service[] = [];
  for (const s of list) {
    if (removed.has(s.id)) continue;
    const u = upserts.get(s.id);
    out.push(u ?? s);
    upserts.delete(s.id);
  }
  // New ids come with `order`; without it (a sender that left it out) they go last rather than nowhere.
  for (const s of upserts.values()) if (!removed.has(s.id)) out.push(s);
  return out;
}

/**
 * What changed from `prev` to `next`, or undefined when nothing did. A service is unchanged when
 * it is the same object or `same(old, now)` says so (a driver that rebuilds equal objects).
 */
export function diffServices(
  prev: readonly Service[],
  next: readonly Service[],
  same: (old: Service, now: Service) => boolean = () => false,
): ServicesChanges | undefined {
  const upserts: Service[] = [];
  const patches: ServicePatch[] = [];
  const changed = (old: Service | undefined, s: Service) => {
    if (old === s || (old && same(old, s))) return;
    const p = old && patchOf(old, s);
    if (p) patches.push(p);
    else upserts.push(s);
  };
  // The usual case on a busy cluster, many times a second: the same services in the same places.
  const aligned = prev.length === next.length && next.every((s, i) => prev[i]!.id === s.id);
  if (aligned) {
    for (let i = 0; i < next.length; i++) changed(prev[i], next[i]!);
    return upserts.length || patches.length ? { kind: 'changes', upserts, removed: [], ...(patches.length ? { patches } : {}) } : undefined;
  }
  const before = new Map(prev.map((s) => [s.id, s]));
  for (const s of next) {
    changed(before.get(s.id), s);
    before.delete(s.id);
  }
  // Not aligned: the order or the membership moved, so the order goes along.
  return { kind: 'changes', upserts, removed: [...before.keys()], order: next.map((s) => s.id), ...(patches.length ? { patches } : {}) };
}

/**
 * A large service of which at most a quarter of the instances changed, as a patch; else undefined
 * (sent whole). Instances are compared by identity: drivers make a new Instance only when a
 * container or pod changed.
 */
function patchOf(old: Service, now: Service): ServicePatch | undefined {
  if (now.instances.length < PATCH_FROM_INSTANCES || old.instances.length < PATCH_FROM_INSTANCES) return undefined;
  const was = new Map(old.instances.map((i) => [i.id, i]));
  const upserts: Instance[] = [];
  let moved = old.instances.length !== now.instances.length;
  for (let k = 0; k < now.instances.length; k++) {
    const i = now.instances[k]!;
    if (!moved && old.instances[k]!.id !== i.id) moved = true;
    if (was.get(i.id) !== i) upserts.push(i);
    was.delete(i.id);
  }
  const removed = [...was.keys()];
  if ((upserts.length + removed.length) * 4 > now.instances.length) return undefined;
  const { instances: _instances, ...service } = now;
  return { service, upserts, removed, ...(moved ? { order: now.instances.map((i) => i.id) } : {}) };
}

function applyPatch(old: Service, p: ServicePatch): Service {
  const up = new Map(p.upserts.map((i) => [i.id, i]));
  const gone = new Set(p.removed);
  let instances: Instance[];
  if (p.order) {
    const byId = new Map(old.instances.map((i) => [i.id, i]));
    instances = [];
    for (const id of p.order) {
      const i = up.get(id) ?? byId.get(id);
      if (i && !gone.has(id)) instances.push(i);
    }
  } else {
    instances = old.instances.filter((i) => !gone.has(i.id)).map((i) => up.get(i.id) ?? i);
  }
  return { ...p.service, instances };
}

/** Two patches of one service in a row as one. */
function mergePatches(a: ServicePatch, b: ServicePatch): ServicePatch {
  const upserts = new Map(a.upserts.map((i) => [i.id, i]));
  const removed = new Set(a.removed);
  for (const id of b.removed) {
    upserts.delete(id);
    removed.add(id);
  }
  for (const i of b.upserts) {
    upserts.set(i.id, i);
    removed.delete(i.id);
  }
  const order = b.order ?? a.order;
  return { service: b.service, upserts: [...upserts.values()], removed: [...removed], ...(order ? { order } : {}) };
}

/** `a` then `b` as one event, for a client that was sent neither yet: applying it equals applying both. */
export function mergeServicesEvents(a: ServicesEvent, b: ServicesEvent): ServicesEvent {
  if (b.kind === 'snapshot') return b;
  if (a.kind === 'snapshot') return { kind: 'snapshot', services: applyServicesEvent(a.services, b) };
  const upserts = new Map(a.upserts.map((s) => [s.id, s]));
  const removed = new Set(a.removed);
  const patches = new Map((a.patches ?? []).map((p) => [p.service.id, p]));
  for (const id of b.removed) {
    upserts.delete(id);
    patches.delete(id);
    removed.add(id);
  }
  for (const s of b.upserts) {
    upserts.set(s.id, s);
    patches.delete(s.id);
    removed.delete(s.id);
  }
  for (const p of b.patches ?? []) {
    const id = p.service.id;
    const whole = upserts.get(id);
    const held = patches.get(id);
    // A service sent whole (or patched) earlier in the merge takes the patch into that.
    if (whole) upserts.set(id, applyPatch(whole, p));
    else patches.set(id, held ? mergePatches(held, p) : p);
  }
  // Without its own order, `b` kept the order `a` left.
  const order = b.order ?? a.order;
  return {
    kind: 'changes',
    upserts: [...upserts.values()],
    removed: [...removed],
    ...(order ? { order } : {}),
    ...(patches.size ? { patches: [...patches.values()] } : {}),
  };
}
