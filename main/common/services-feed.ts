/**
 * services.watch as changes (see ServicesEvent in api.ts): the engine diffs one list against the
 * last it sent, clients apply events to the list they hold, and a session merges events a slow
 * client has not been sent yet. Untouched services keep their identity on every side, so a
 * renderer compares rows with === and a diff costs nothing for services a driver did not rebuild.
 */
import type { ServicesChanges, ServicesEvent } from './api';
import type { Service } from './model';

/**
 * The list after `e`. Services the event does not name are the same objects as in `list`, and
 * with nothing to apply the very same array comes back.
 */
export function applyServicesEvent(list: readonly Service[], e: ServicesEvent): Service[] {
  if (e.kind === 'snapshot') return e.services;
  if (e.upserts.length === 0 && e.removed.length === 0 && !e.order) return list as Service[];
  const upserts = new Map(e.upserts.map((s) => [s.id, s]));
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
  const before = new Map(prev.map((s) => [s.id, s]));
  const upserts: Service[] = [];
  let reordered = prev.length !== next.length;
  for (let i = 0; i < next.length; i++) {
    const s = next[i]!;
    if (!reordered && prev[i]!.id !== s.id) reordered = true;
    const old = before.get(s.id);
    before.delete(s.id);
    if (old === s || (old && same(old, s))) continue;
    upserts.push(s);
  }
  const removed = [...before.keys()];
  if (upserts.length === 0 && removed.length === 0 && !reordered) return undefined;
  return { kind: 'changes', upserts, removed, ...(reordered ? { order: next.map((s) => s.id) } : {}) };
}

/** `a` then `b` as one event, for a client that was sent neither yet: applying it equals applying both. */
export function mergeServicesEvents(a: ServicesEvent, b: ServicesEvent): ServicesEvent {
  if (b.kind === 'snapshot') return b;
  if (a.kind === 'snapshot') return { kind: 'snapshot', services: applyServicesEvent(a.services, b) };
  const upserts = new Map(a.upserts.map((s) => [s.id, s]));
  const removed = new Set(a.removed);
  for (const id of b.removed) {
    upserts.delete(id);
    removed.add(id);
  }
  for (const s of b.upserts) {
    upserts.set(s.id, s);
    removed.delete(s.id);
  }
  // Without its own order, `b` kept the order `a` left.
  const order = b.order ?? a.order;
  return { kind: 'changes', upserts: [...upserts.values()], removed: [...removed], ...(order ? { order } : {}) };
}
