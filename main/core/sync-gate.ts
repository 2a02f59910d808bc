/** "Has the first full list arrived?" for anything that emits 'synced' once it has. */
import type { EventEmitter } from 'node:events';

type Synced = Pick<EventEmitter, 'once' | 'off'> & { readonly isSynced: boolean };

/** Resolves true once synced (at once if it is), false after `timeoutMs`; leaves no listener behind. */
export function whenSynced(e: Synced, timeoutMs: number): Promise<boolean> {
  if (e.isSynced) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      resolve(true);
    };
    const t = setTimeout(() => {
      e.off('synced', done);
      resolve(false);
    }, timeoutMs);
    t.unref?.();
    e.once('synced', done);
  });
}

/** Calls `fn` once synced; returns how to stop waiting (for streams that may end first). */
export function onceSynced(e: Synced, fn: () => void): () => void {
  if (e.isSynced) {
    fn();
    return () => {};
  }
  e.once('synced', fn);
  return () => e.off('synced', fn);
}
