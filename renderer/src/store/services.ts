/** The services of the selected environment, live, plus what the user is doing to them. */
import { create } from 'zustand';
import type { Service } from '../../../main/common/model';
import type { ApiClient } from '../api/client';
import type { ApiErrorBody } from '../../../main/common/errors';
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

/** Follows `services.watch` for one environment; returns how to stop. Unchanged services keep their identity, so their rows do not re-render. */
export function watchServices(api: ApiClient, envId: string): () => void {
  if (useServices.getState().envId !== envId) useServices.setState({ envId, services: [], loaded: false, selectedId: undefined });
  return api.subscribe(
    'services.watch',
    { envId },
    (e) => useServices.setState((s) => ({ services: applyServicesEvent(s.services, e), loaded: true })),
    () => useServices.setState({ loaded: true }),
  );
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
