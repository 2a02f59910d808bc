/**
 * What every driver's scale and restart share: one operation at a time per service, waiting
 * for the live view (events, informers) to show a condition, the progress shown on the service,
 * and the same rules for a replica count.
 */
import { ApiError } from '../../common/errors';
import type { Service } from '../../common/model';

/** Runs tasks one after another per key; a failed task does not stop the next. */
export class KeyedQueue {
  private readonly queues = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(key) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(task);
    this.queues.set(key, next);
    void next
      .catch(() => {})
      .finally(() => {
        if (this.queues.get(key) === next) this.queues.delete(key);
      });
    return next;
  }
}

interface Emits {
  on(event: 'change', fn: () => void): unknown;
  off(event: 'change', fn: () => void): unknown;
}

/** Resolves true once `pred` holds (checked on every 'change'), or `pred()` after `ms`; leaves no listener. */
export function waitUntil(source: Emits, pred: () => boolean, ms: number): Promise<boolean> {
  if (pred()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (v: boolean) => {
      clearTimeout(t);
      source.off('change', check);
      resolve(v);
    };
    const check = () => pred() && done(true);
    const t = setTimeout(() => done(pred()), ms);
    source.on('change', check);
  });
}

/** Rejects after `ms` with `what` as the message, and clears its timer either way. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<never>((_, reject) => {
      t = setTimeout(() => reject(new Error(what)), ms);
    }),
  ]);
}

/** The same words for a bad replica count whichever engine is asked. */
export function validateReplicas(target: number, maxReplicas: number): void {
  if (!Number.isInteger(target) || target < 0) throw new ApiError('INVALID_PARAMS', `Replicas must be a whole number of 0 or more, not ${target}.`);
  if (target > maxReplicas) {
    throw new ApiError('INVALID_PARAMS', `At most ${maxReplicas} replicas per service.`, 'Set FLEETDECK_MAX_REPLICAS to allow more.');
  }
}

export type Progress = NonNullable<Service['operation']>;

/** Operations in progress per service, as the service list shows them; `changed` runs on each change. */
export class ProgressBoard {
  private readonly ops = new Map<string, Progress>();

  constructor(private readonly changed: () => void) {}

  get(id: string): Progress | undefined {
    return this.ops.get(id);
  }

  set(id: string, op: Progress | undefined): void {
    if (op) this.ops.set(id, op);
    else this.ops.delete(id);
    this.changed();
  }
}
