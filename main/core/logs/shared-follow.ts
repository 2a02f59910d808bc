/**
 * One engine log stream per instance, however many viewers follow it: every window, tab and
 * `fleetdeck logs` that follows the same container or pod shares one connection (300 viewers
 * of a 3-replica service once meant 900). A viewer that joins a live stream gets the lines that
 * stream has kept as its history (up to its `tail`, or those after its `sinceMs`), then the
 * live ones; the stream closes when its last viewer leaves.
 */
import type { LogEntry } from '../../common/model';
import type { FollowInstance, FollowOptions } from '../env/driver';
import { sinceFilter } from './since';

interface Viewer {
  onEntries(e: LogEntry[]): void;
  onEnd(error?: Error): void;
}

interface Tap {
  viewers: Set<Viewer>;
  /** The newest lines, for viewers that join later: as many as the largest tail asked for. */
  recent: LogEntry[];
  keep: number;
  stop(): void;
}

const taps = new WeakMap<FollowInstance, FollowInstance>();

/** `follow`, shared: the same function for the same environment, so its viewers meet. */
export function sharedFollow(follow: FollowInstance): FollowInstance {
  let shared = taps.get(follow);
  if (!shared) taps.set(follow, (shared = makeShared(follow)));
  return shared;
}

function makeShared(follow: FollowInstance): FollowInstance {
  const open = new Map<string, Tap>();
  return (instance, options, onEntries, onEnd) => {
    const viewer: Viewer = { onEntries, onEnd };
    let tap = open.get(instance.id);
    // A reader from a moment the stream no longer holds (a back-fill) gets a stream of its own:
    // joining would skip what lies between that moment and the stream's oldest line.
    if (tap && options.sinceMs !== undefined && !(tap.recent[0] && tap.recent[0].t <= options.sinceMs)) return follow(instance, options, onEntries, onEnd);
    if (tap) {
      tap.keep = Math.max(tap.keep, keepFor(options));
      const keep = sinceFilter(options);
      const history = keep ? tap.recent.filter(keep) : options.tail > 0 ? tap.recent.slice(-options.tail) : [];
      // As the engine's own history arrives: after the caller has its stop function.
      if (history.length) queueMicrotask(() => tap?.viewers.has(viewer) && onEntries(history));
      tap.viewers.add(viewer);
    } else {
      const t: Tap = { viewers: new Set([viewer]), recent: [], keep: keepFor(options), stop: () => {} };
      open.set(instance.id, (tap = t));
      t.stop = follow(
        instance,
        options,
        (entries) => {
          for (const e of entries) t.recent.push(e);
          // Trimmed once it holds twice what it keeps: a flood of small chunks moves each line once, not once a chunk.
          if (t.recent.length > 2 * t.keep) t.recent = t.keep > 0 ? t.recent.slice(-t.keep) : [];
          for (const v of [...t.viewers]) v.onEntries(entries);
        },
        (error) => {
          if (open.get(instance.id) === t) open.delete(instance.id);
          for (const v of [...t.viewers]) v.onEnd(error);
          t.viewers.clear();
        },
      );
    }
    const mine = tap;
    return () => {
      if (!mine.viewers.delete(viewer) || mine.viewers.size) return;
      if (open.get(instance.id) === mine) open.delete(instance.id);
      mine.stop();
    };
  };
}

/**
 * How many recent lines a stream keeps for viewers that join later: what its viewers asked for. The
 * store's follower asks the engine for a long history, which the stream must not hold on to; it
 * keeps a screenful or two, so a Logs tab opened later still starts with lines.
 */
const STORE_KEEP = 2000;
function keepFor(options: FollowOptions): number {
  return options.forStore ? STORE_KEEP : options.tail;
}
