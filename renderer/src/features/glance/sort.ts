/**
 * Sorting the services table and the Overview: which column, which way, and the comparator.
 * A service without a figure (nothing measured) goes last whichever way the column is sorted.
 */
import type { GlanceRow } from '../../../../main/common/metrics-model';
import type { Service } from '../../../../main/common/model';
import { serviceHealth, serviceLabel, type Tone } from '../services/format';
import { latestCpu, latestRps } from './figures';

export const SORT_KEYS = ['environment', 'name', 'instances', 'health', 'cpu', 'rps', 'errors', 'p95', 'age'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';
export interface SortState {
  key: SortKey;
  dir: SortDir;
}

/** The way a column sorts on its first click: words A to Z, ages youngest first, figures and trouble highest first. */
export function firstDir(key: SortKey): SortDir {
  return key === 'name' || key === 'environment' || key === 'age' ? 'asc' : 'desc';
}

/** A click on a header: the other way if it is the sorted column, else that column its first way. */
export function nextSort(current: SortState | undefined, key: SortKey): SortState {
  if (current?.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: firstDir(key) };
}

/** What localStorage held, if it still names a column and a direction. */
export function parseSort(raw: string | null | undefined, allowed: readonly SortKey[] = SORT_KEYS): SortState | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<SortState> | null;
    if (v && allowed.includes(v.key as SortKey) && (v.dir === 'asc' || v.dir === 'desc')) return { key: v.key as SortKey, dir: v.dir };
  } catch {
    // Not ours, or from an older build: the default sort then.
  }
  return undefined;
}

/** Worst last when ascending, so "Health" sorted the first way (descending) puts what needs a look on top. */
const TONE_RANK: Record<Tone, number> = { ok: 0, unknown: 1, info: 2, warn: 3, bad: 4 };

export function healthRank(s: Service): number {
  const h = serviceHealth(s);
  // Degraded above a plain "1 unhealthy": both amber, but it is answering wrongly right now.
  return TONE_RANK[h.tone] * 2 + (h.word === 'Degraded' ? 1 : 0);
}

export interface SortRow {
  service: Service;
  glance: GlanceRow | undefined;
  /** The environment's name, for the Overview. */
  envName?: string;
}

/** The value a column sorts by; undefined when there is nothing to sort by (it goes last). */
export function sortValue(r: SortRow, key: SortKey): string | number | undefined {
  const s = r.service;
  switch (key) {
    case 'environment':
      return r.envName ?? s.envId;
    case 'name':
      return serviceLabel(s);
    case 'instances':
      // Ready first, then what is wanted: 3/3 above 2/3 above 2/2.
      return s.running * 10_000 + s.desired;
    case 'health':
      return healthRank(s);
    case 'cpu':
      return latestCpu(r.glance);
    case 'rps':
      return latestRps(r.glance);
    case 'errors':
      return r.glance?.errorRate;
    case 'p95':
      return r.glance?.p95Ms;
    case 'age':
      // Younger first when ascending; an age not known goes last.
      return s.createdAt ? -s.createdAt : undefined;
  }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Orders by `sort`, missing values last, ties by environment and name so the order never shuffles between updates. */
export function compareRows(a: SortRow, b: SortRow, sort: SortState): number {
  const va = sortValue(a, sort.key);
  const vb = sortValue(b, sort.key);
  if (va === undefined || vb === undefined) {
    if (va !== vb) return va === undefined ? 1 : -1;
  } else {
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : collator.compare(String(va), String(vb));
    if (c !== 0) return sort.dir === 'asc' ? c : -c;
  }
  if (sort.key !== 'environment') {
    const e = collator.compare(a.envName ?? a.service.envId, b.envName ?? b.service.envId);
    if (e !== 0) return e;
  }
  if (sort.key !== 'name') {
    const n = collator.compare(serviceLabel(a.service), serviceLabel(b.service));
    if (n !== 0) return n;
  }
  return a.service.id < b.service.id ? -1 : a.service.id > b.service.id ? 1 : 0;
}

export function sortRows<R extends SortRow>(rows: readonly R[], sort: SortState | undefined): R[] {
  if (!sort) return [...rows];
  return [...rows].sort((a, b) => compareRows(a, b, sort));
}
