import { useEffect, useRef, useState } from 'react';

/** Shows `value`, briefly highlighted each time it changes (not on first show). */
export function Flash({ value, children }: { value: string; children: React.ReactNode }) {
  const prev = useRef(value);
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    if (prev.current === value) return;
    prev.current = value;
    setChanges((n) => n + 1);
  }, [value]);
  return (
    <span key={changes} className={changes ? 'flash' : undefined}>
      {children}
    </span>
  );
}
