/**
 * The metrics history as the core holds it: opened on first use, in `metrics/metrics.db` of the
 * state folder; a file of another layout or one that cannot be opened is set aside with a
 * message, and the panel goes on without history rather than not starting.
 */
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { errorFields, log } from '../log';
import { HistoryDb } from './history-db';

export type MetricsMode = 'collect' | 'read' | 'off';

export function metricsModeOf(env: NodeJS.ProcessEnv, fallback: MetricsMode): MetricsMode {
  const v = env.FLEETDECK_METRICS?.toLowerCase();
  return v === 'off' || v === '0' || v === 'false' ? 'off' : fallback;
}

/** How the recorder reaches the file; undefined when nothing is kept. */
export function openMetricsHistory(stateDir: string, mode: MetricsMode): () => HistoryDb | undefined {
  if (mode === 'off') return () => undefined;
  const file = join(stateDir, 'metrics', 'metrics.db');
  let db: HistoryDb | undefined;
  let failed = false;
  return () => {
    if (db || failed) return db;
    try {
      db = new HistoryDb(file, mode === 'read');
    } catch (e) {
      const message = String((e as Error).message ?? e);
      if (mode === 'collect' && existsSync(file)) {
        const aside = `${file}.unreadable-${Date.now()}`;
        log('metrics').warn({ error: message, aside }, 'metrics history set aside');
        try {
          renameSync(file, aside);
          db = new HistoryDb(file, false);
          return db;
        } catch (again) {
          log('metrics').error(errorFields(again), 'metrics history unavailable');
        }
      } else log('metrics').warn({ error: message }, 'metrics history unavailable');
      failed = true;
    }
    return db;
  };
}
