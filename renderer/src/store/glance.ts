/**
 * Figures at a glance and the whole fleet's health:
 * - useGlance: metrics.glance of the selected environment, by service id, for the services table;
 * - useFleet: services.watch of every connected environment (what the Overview lists, and what the
 *   window title and, later, the tray count), plus one metrics.glance of every environment while
 *   the Overview is open.
 * Rows whose figures did not change keep their identity, so memoized table rows do not re-render.
 */
import { create } from 'zustand';
import type { ServicesEvent } from '../../../main/common/api';
import type { Environment, Service } from '../../../main/common/model';
import { applyServicesEvent } from '../../../main/common/services-feed';
import type { ApiClient } from '../api/client';
import { countFleet, type FleetCounts } from '../features/glance/attention';
import { mergeGlance, type GlanceRows } from '../features/glance/merge';
import { useEnvironments } from './environments';

interface GlanceState {
  envId: string | undefined;
  rows: GlanceRows;
}

export const useGlance = create<GlanceState>()(() => ({ envId: undefined, rows: {} }));

/** Follows metrics.glance for one environment; returns how to stop. */
export function watchGlance(api: ApiClient, envId: string): () => void {
  useGlance.setState({ envId, rows: {} });
  const stop = api.subscribe('metrics.glance', { envIds: [envId] }, (e) => {
    if (useGlance.getState().envId === envId) useGlance.setState((s) => ({ rows: mergeGlance(s.rows, e) }));
  });
  return () => {
    stop();
    if (useGlance.getState().envId === envId) useGlance.setState({ envId: undefined, rows: {} });
  };
}

interface FleetState {
  /** Per environment id, its services; an environment appears once its first list arrived. */
  services: Record<string, Service[]>;
  /** Every environment's figures, by service id (ids carry their environment), while the Overview is open. */
  glance: GlanceRows;
  counts: FleetCounts;
}

export const useFleet = create<FleetState>()(() => ({
  services: {},
  glance: {},
  counts: countFleet([]),
}));

/** Services unhealthy or degraded across every environment: the window title's count, and the tray's. */
export const selectNeedingAttention = (s: FleetState): number => s.counts.degraded + s.counts.unhealthy;

/** As the services store: a burst of events (a namespace listed) is applied together, a lone one at once. */
const BURST_MS = 150;

/**
 * Follows services.watch of every environment once it has connected (kept through a disconnect,
 * for its last known state, until it leaves the list); returns how to stop. One per window.
 */
export function bindFleet(api: ApiClient): () => void {
  const subs = new Map<string, () => void>();
  let waiting: [string, ServicesEvent][] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastCommit = 0;

  const commit = () => {
    timer = undefined;
    lastCommit = Date.now();
    const events = waiting;
    waiting = [];
    useFleet.setState((s) => {
      const services = { ...s.services };
      for (const [envId, e] of events) if (subs.has(envId)) services[envId] = applyServicesEvent(services[envId] ?? [], e);
      return { services, counts: countFleet(Object.values(services)) };
    });
  };
  const onEvent = (envId: string, e: ServicesEvent) => {
    waiting.push([envId, e]);
    if (timer) return;
    const wait = lastCommit + BURST_MS - Date.now();
    if (wait <= 0) commit();
    else timer = setTimeout(commit, wait);
  };
  const drop = (envId: string) => {
    subs.get(envId)?.();
    subs.delete(envId);
    useFleet.setState((s) => {
      if (!(envId in s.services)) return s;
      const services = { ...s.services };
      delete services[envId];
      return { services, counts: countFleet(Object.values(services)) };
    });
  };

  const follow = (environments: readonly Environment[]) => {
    const listed = new Set(environments.map((e) => e.id));
    for (const id of [...subs.keys()]) if (!listed.has(id)) drop(id);
    for (const env of environments) {
      // Never-connected ones are not asked: a Kubernetes context starts its informers when watched.
      if (subs.has(env.id) || env.state !== 'connected') continue;
      const envId = env.id;
      subs.set(
        envId,
        api.subscribe(
          'services.watch',
          { envId },
          (e) => onEvent(envId, e),
          () => {
            // Ended (the environment went away): forget it, and watch again if it comes back.
            if (subs.has(envId)) drop(envId);
          },
        ),
      );
    }
  };

  follow(useEnvironments.getState().environments);
  const unsubscribe = useEnvironments.subscribe((s, prev) => {
    if (s.environments !== prev.environments) follow(s.environments);
  });
  return () => {
    unsubscribe();
    clearTimeout(timer);
    for (const stop of subs.values()) stop();
    subs.clear();
    useFleet.setState({ services: {}, glance: {}, counts: countFleet([]) });
  };
}

/** One metrics.glance of every environment, while the Overview is open; returns how to stop. */
export function watchFleetGlance(api: ApiClient): () => void {
  const stop = api.subscribe('metrics.glance', {}, (e) => useFleet.setState((s) => ({ glance: mergeGlance(s.glance, e) })));
  return () => {
    stop();
    useFleet.setState({ glance: {} });
  };
}
