/**
 * Live logs of one instance or of a whole service merged (as stern does): one follower per
 * instance, instances that appear later (scale up, a restart) joined as they come, lines
 * batched every few milliseconds. Memory stays bounded however fast containers write: while
 * the pipe is backed up, lines are dropped and counted, and the count is sent as a marker.
 */
import type { Instance, LogEntry, LogEvent } from '../../common/model';
import type { EnvironmentDriver } from '../env/driver';
import { sharedFollow } from './shared-follow';

const FLUSH_MS = 30;
const MAX_PENDING = 5000;
const PIPE_HIGH = 2 << 20;

export interface LogsTarget {
  /** A whole service, merged… */
  serviceId?: string;
  /** …or one instance (name or id). */
  instance?: string;
  tail: number;
}

export interface LogsSink {
  next(e: LogEvent): void;
  backlog(): number;
}

export function followLogs(env: Pick<EnvironmentDriver, 'services' | 'followInstance'>, target: LogsTarget, sink: LogsSink): () => void {
  const follow = sharedFollow(env.followInstance);
  const followers = new Map<string, { stop(): void; lastT: number; ended: boolean }>();
  let pending: LogEntry[] = [];
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const flush = () => {
    timer = undefined;
    if (stopped || (!pending.length && !dropped)) return;
    if (sink.backlog() > PIPE_HIGH) {
      dropped += pending.length;
      pending = [];
      return;
    }
    if (dropped) {
      sink.next({ kind: 'dropped', count: dropped });
      dropped = 0;
    }
    if (pending.length) {
      const entries = pending.sort((a, b) => a.t - b.t);
      pending = [];
      sink.next({ kind: 'lines', entries });
    }
  };
  const add = (entries: LogEntry[]) => {
    if (stopped || !entries.length) return;
    pending.push(...entries);
    if (pending.length > MAX_PENDING) {
      dropped += pending.length - MAX_PENDING;
      pending = pending.slice(-MAX_PENDING);
    }
    timer ??= setTimeout(flush, FLUSH_MS);
  };

  const attach = (i: Instance, tail: number) => {
    const prev = followers.get(i.id);
    const since = prev?.lastT;
    const state = { stop: () => {}, lastT: since ?? 0, ended: false };
    followers.set(i.id, state);
    state.stop = follow(
      i,
      { tail: since ? 0 : tail, ...(since ? { sinceMs: since } : {}) },
      (entries) => {
        const last = entries.at(-1);
        if (last) state.lastT = Math.max(state.lastT, last.t);
        add(entries);
      },
      () => {
        state.ended = true;
      },
    );
    if (!prev) sink.next({ kind: 'instance', name: i.name, event: 'attached' });
  };

  const instancesNow = (): Instance[] => {
    if (target.instance) {
      try {
        return [env.services.findInstance(target.instance).instance];
      } catch {
        return [];
      }
    }
    return env.services.list().find((s) => s.id === target.serviceId)?.instances ?? [];
  };

  // Follow what runs now; on every change, join new or restarted instances and let go of removed ones.
  const sync = (tail: number) => {
    const now = instancesNow();
    const ids = new Set(now.map((i) => i.id));
    for (const i of now) {
      const f = followers.get(i.id);
      if (i.state !== 'running' && f) continue;
      if (!f || (f.ended && i.state === 'running')) attach(i, tail);
    }
    for (const [id, f] of followers) {
      if (ids.has(id)) continue;
      f.stop();
      followers.delete(id);
    }
  };
  for (const i of instancesNow()) attach(i, target.tail);
  const onChange = () => sync(200);
  env.services.on('change', onChange);

  return () => {
    stopped = true;
    clearTimeout(timer);
    env.services.off('change', onChange);
    for (const f of followers.values()) f.stop();
    followers.clear();
  };
}
