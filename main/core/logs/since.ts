import type { LogEntry } from '../../common/model';
import type { FollowOptions } from '../env/driver';

/** The lines a follow with `sinceMs` keeps (engines filter by whole seconds at best), or undefined for all. */
export function sinceFilter(options: FollowOptions): ((e: LogEntry) => boolean) | undefined {
  const since = options.sinceMs;
  if (since === undefined) return undefined;
  return options.sinceInclusive ? (e) => e.t >= since : (e) => e.t > since;
}
