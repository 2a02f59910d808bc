/** The services of the selected environment, live, plus what the user is doing to them. */
import { create } from 'zustand';
import type { Service } from '../../../main/common/model';
import type { ApiClient } from '../api/client';
import type { ApiErrorBody } from '../../../main/common/errors';
import type { ServicesEvent } from '../../../main/common/api';
import { applyServicesEvent } from '../../../main/common/services-feed';

interface ServicesState {
  envId: string | undefined;
  services: Service[];
  loaded: boolean;
  selectedId: string | undefined;
  filter: string;
  /** Per service: the last action's error, shown beside its controls until the next action. */
  errors: Record<string, ApiErrorBody | undefined>;
  /** Per service: an action sent but not yet answered (the engine's own progress comes in `operation`). */
  pending: Record<string, string | undefined>;
  select(id: string | undefined): void;
  setFilter(f: string): void;
}

export const useServices = create<ServicesState>()((set) => ({
  envId: undefined,
  services: [],
  loaded: false,
  selectedId: undefined,
  filter: '',
  errors: {},
  pending: {},
  select: (selectedId) => set({ selectedId }),
  setFilter: (filter) => set({ filter }),
}));

/**
 * While events come faster than this, they are applied together: a namespace of a thousand
 * workloads being listed would otherwise lay the whole table out again some 25 times a second.
 * A lone event (a container started from a terminal) is shown at once.
 */
const BURST_MS = 150;

/** Follows `services.watch` for one environment; returns how to stop. Unchanged services keep their identity, so their rows do not re-render. */
export function watchServices(api: ApiClient, envId: string): () => void {
  if (useServices.getState().envId !== envId) useServices.setState({ envId, services: [], loaded: false, selectedId: undefined });
  let waiting: ServicesEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastCommit = 0;
  const commit = () => {
    timer = undefined;
    lastCommit = Date.now();
    const events = waiting;
    waiting = [];
    useServices.setState((s) => ({ services: events.reduce(applyServicesEvent, s.services), loaded: true }));
  };
  const stop = api.subscribe(
    'services.watch',
    { envId },
    (e) => {
      waiting.push(e);
      if (timer) return;
      const wait = lastCommit + BURST_MS - Date.now();
      if (wait <= 0) commit();
      else timer = setTimeout(commit, wait);
    },
    () => useServices.setState({ loaded: true }),
  );
  return () => {
    clearTimeout(timer);
    stop();
  };
}

/** Runs an action on a service, keeping its pending label and error in the store. */
export async function runServiceAction<T>(serviceId: string, label: string, action: () => Promise<T>): Promise<T | undefined> {
  useServices.setState((s) => ({ pending: { ...s.pending, [serviceId]: label }, errors: { ...s.errors, [serviceId]: undefined } }));
  try {
    return await action();
  } catch (e) {
    useServices.setState((s) => ({ errors: { ...s.errors, [serviceId]: e as ApiErrorBody } }));
    return undefined;
  } finally {
    useServices.setState((s) => ({ pending: { ...s.pending, [serviceId]: undefined } }));
  }
}

export function matchesFilter(s: Service, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (!f) return true;
  return [s.name, s.project ?? '', s.image, ...s.instances.map((i) => i.name)].some((x) => x.toLowerCase().includes(f));
}
