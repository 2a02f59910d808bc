/**
 * The store as the core holds it: opened on first use (the CLI opens it only when a command
 * searches), or a store that keeps nothing and says so (FLEETDECK_LOGS=off).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteLogStore } from './sqlite-store';
import { log } from '../log';
import type { LogStore, LogStoreLimits } from './types';

export type LogsMode = 'collect' | 'search' | 'off';

const OFF = 'Logs are not kept: FLEETDECK_LOGS is off. Unset it and restart Fleetdeck to keep and search them.';

export function logsModeOf(env: NodeJS.ProcessEnv, fallback: LogsMode): LogsMode {
  const v = env.FLEETDECK_LOGS?.toLowerCase();
  return v === 'off' || v === '0' || v === 'false' ? 'off' : fallback;
}

/** Limits from FLEETDECK_LOGS_MAX_MB and FLEETDECK_LOGS_MAX_DAYS, where set and sensible. */
export function limitsOf(env: NodeJS.ProcessEnv): Partial<LogStoreLimits> {
  const mb = Number(env.FLEETDECK_LOGS_MAX_MB);
  const days = Number(env.FLEETDECK_LOGS_MAX_DAYS);
  return {
    ...(mb > 0 ? { maxBytes: Math.round(mb * 1024 * 1024) } : {}),
    ...(days > 0 ? { maxAgeMs: Math.round(days * 86_400_000) } : {}),
  };
}

export function openLogStore(stateDir: string, mode: LogsMode, limits: Partial<LogStoreLimits>): LogStore {
  if (mode === 'off') return offStore();
  let store: SqliteLogStore | undefined;
  const dir = join(stateDir, 'logs');
  const get = () => {
    if (!store) {
      mkdirSync(dir, { recursive: true, mode: 0o700 }); // the lines may hold what the containers print: the owner's only
      store = new SqliteLogStore({ dir, limits, log: log('logstore') });
    }
    return store;
  };
  return {
    append: (lines) => get().append(lines),
    appendFrom: (source, lines) => get().appendFrom(source, lines),
    room: () => (store ? store.room() : Promise.resolve()),
    onLost: (fn) => get().onLost(fn),
    flush: () => (store ? store.flush() : Promise.resolve()),
    search: (s) => get().search(s),
    histogram: (s) => get().histogram(s),
    around: (id, before, after) => get().around(id, before, after),
    mark: (env, id) => get().mark(env, id),
    stats: () => get().stats(),
    close: () => (store ? store.close() : Promise.resolve()),
  };
}

function offStore(): LogStore {
  return {
    // Nothing is kept: every line is taken (and let go).
    append: (lines) => lines.length,
    appendFrom: (_source, lines) => lines.length,
    room: () => Promise.resolve(),
    onLost: () => () => {},
    flush: () => Promise.resolve(),
    search: () => Promise.resolve({ hits: [], more: false, scanned: 0, tookMs: 0 }),
    histogram: (s) =>
      Promise.resolve({ from: s.from, step: Math.max(1, Math.ceil((s.to - s.from) / s.buckets)), counts: new Array<number>(s.buckets).fill(0) }),
    around: () => Promise.resolve([]),
    mark: () => Promise.resolve(undefined),
    stats: () => Promise.resolve({ lines: 0, bytes: 0, problem: OFF }),
    close: () => Promise.resolve(),
  };
}
