import { useSyncExternalStore } from 'react';
import { age } from './format';

/**
 * One clock for every Age cell: a tick re-renders the cells alone, never their rows, so the
 * services table's rows stay memoised while ages move. It runs only while a cell is shown.
 */
const TICK_MS = 10_000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(fn);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const snapshot = () => now;

export function Age({ from }: { from: number }) {
  const t = useSyncExternalStore(subscribe, snapshot);
  return <>{age(from, t)}</>;
}
