import { useCallback, useState } from 'react';
import { nextSort, parseSort, type SortKey, type SortState } from './sort';

/** The sort of one table, remembered in localStorage under `storageKey`. */
export function useRememberedSort(storageKey: string, fallback: SortState | undefined, allowed?: readonly SortKey[]) {
  const [sort, setSort] = useState<SortState | undefined>(() => parseSort(read(storageKey), allowed) ?? fallback);
  const toggle = useCallback(
    (key: SortKey) =>
      setSort((current) => {
        const next = nextSort(current, key);
        try {
          localStorage.setItem(storageKey, JSON.stringify(next));
        } catch {
          // Storage full or disabled: the sort still applies until the window closes.
        }
        return next;
      }),
    [storageKey],
  );
  return [sort, toggle] as const;
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** A column header; a sortable one is a button, and the sorted one says which way (aria-sort). */
export function SortHeader({
  label,
  sortKey,
  sort,
  onSort,
  num,
}: {
  label: string;
  sortKey?: SortKey;
  sort: SortState | undefined;
  onSort(key: SortKey): void;
  num?: boolean;
}) {
  const active = sortKey !== undefined && sort?.key === sortKey;
  return (
    <th scope="col" role="columnheader" className={num ? 'num' : undefined} aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      {sortKey ? (
        <button type="button" className="sort-button" onClick={() => onSort(sortKey)} title={`Sort by ${label}`}>
          {label}
          <span className="sort-mark" aria-hidden="true">
            {active ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
          </span>
        </button>
      ) : (
        label
      )}
    </th>
  );
}
