import { useEffect, useState } from 'react';

/** The current time, refreshed every `ms`, so ages and uptimes keep moving between engine events. */
export function useNow(ms = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
