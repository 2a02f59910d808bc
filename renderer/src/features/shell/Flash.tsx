import { useEffect, useRef, useState } from 'react';

/**
 * Shows `value`, briefly highlighted each time it changes (not on first show, nor in its first
 * `quietMs`: a row that just appeared fills in its counts, and a thousand of them flashing at once
 * would repaint the whole table for seconds).
 */
export function Flash({ value, quietMs = 0, children }: { value: string; quietMs?: number; children: React.ReactNode }) {
  const prev = useRef(value);
  const shownAt = useRef(0);
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    shownAt.current = performance.now();
  }, []);
  useEffect(() => {
    if (prev.current === value) return;
    prev.current = value;
    if (performance.now() - shownAt.current < quietMs) return;
    setChanges((n) => n + 1);
  }, [value, quietMs]);
  return (
    <span key={changes} className={changes ? 'flash' : undefined}>
      {children}
    </span>
  );
}
