/**
 * The API contract implemented on the core: each method and stream in one place, each a few
 * lines that hand over to the environment's driver. Nothing here asks what kind a driver is.
 */
import { ApiError } from '../../common/errors';
import { diffServices } from '../../common/services-feed';
import type { Environment, Service } from '../../common/model';
import type { MetricsRangeResult } from '../../common/metrics-model';
import { withTopInstances } from '../../common/metric-points';
import { untilRemoved } from '../env/teardown';
import { followLogs } from '../logs/follow-logs';
import { LogQueryError, parseLogQuery } from '../../common/log-query';
import type { LogQueryAst } from '../../common/log-query-ast';
import { startSamplesFromPanel } from '../samples/start-from-panel';
import type { ApiImpl, CoreLike } from './contract';

/** Service changes are pushed at most this often: a burst of engine events becomes one update. */
const SERVICES_COALESCE_MS = 40;
/**
 * After a push that changed this many services (a namespace picked: a thousand workloads filling in
 * with their pods), the next waits longer: fewer, bigger updates leave the CPU to the listing itself
 * and spare the window re-rendering rows that are still filling in.
 */
const BURST_SERVICES = 50;
const BURST_COALESCE_MS = 250;
/** The glance's sparklines move every 30 s; its latest values are worth a look every 5 s. */
const GLANCE_EVERY_MS = 5_000;
/** Alert changes are pushed at most this often. */
const ALERTS_COALESCE_MS = 100;

/**
 * Drivers keep unchanged services the same object (===), so this runs only for rebuilt ones: a
 * Docker list is rebuilt whole on every event, a Kubernetes context whole after a reconnect, and
 * a pod event that changes nothing shown (a new resourceVersion only) rebuilds its service.
 * Fingerprints are kept per object, so each is serialised once.
 */
const fingerprints = new WeakMap<Service, string>();
function fingerprint(s: Service): string {
  let f = fingerprints.get(s);
  if (f === undefined) fingerprints.set(s, (f = JSON.stringify(s)));
  return f;
}
const sameContent = (a: Service, b: Service) =>
  // The counts differ for most real changes (a pod listed, ready, gone): no need to serialise those.
  a.instances.length === b.instances.length &&
  a.running === b.running &&
  a.healthy === b.healthy &&
  a.desired === b.desired &&
  fingerprint(a) === fingerprint(b);

/** A query as typed, parsed; a malformed one is refused saying what is wrong and where. */
function parsedQuery(text: string): LogQueryAst {
  try {
    return parseLogQuery(text);
  } catch (e) {
    if (e instanceof LogQueryError) throw new ApiError('INVALID_PARAMS', e.message, 'See docs/log-search.md for the query language.');
    throw e;
  }
}

function scopeOf(from: number | undefined, to: number | undefined, envIds: string[] | undefined, serviceIds: string[] | undefined) {
  return {
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(envIds?.length ? { envs: envIds } : {}),
    ...(serviceIds?.length ? { services: serviceIds } : {}),
  };
}

/** The store answers a range when it holds it from (about) its start and has request figures in it. */
function localSuffices(r: MetricsRangeResult): boolean {
  const first = r.points[0];
  if (!first || first.t - r.from > Math.max(2 * r.stepMs, (r.to - r.from) * 0.05)) return false;
  return r.points.some((p) => p.rps !== undefined);
}

/** The environment's Prometheus answers instead, with the store's markers; if it cannot, the store's points still do. */
async function fromPrometheus(core: CoreLike, envId: string, local: MetricsRangeResult, maxPoints: number): Promise<MetricsRangeResult> {
  try {
    const r = await core.prometheus.range(envId, local.serviceId, local.from, local.to, maxPoints, local.points);
    return r.points.length || !local.points.length ? { ...r, markers: local.markers } : local;
  } catch (e) {
    if (local.points.length) return local;
    throw e;
  }
}

export function createApiImpl(core: CoreLike): ApiImpl {
  const envs = core.environments;
  /** An environment as the window sees it, with its Prometheus (and the request figures it brings). */
  const shown = (e: Environment) => core.prometheus.decorate(e);
  return {
    methods: {
      'app.info': () => core.info(),
      'environments.list': () => envs.list().map(shown),
      'environments.reconnect': ({ id }) => shown(envs.reconnect(id)),
      'environments.addDocker': ({ name, host }) => core.addEngine(name, host),
      'environments.remove': ({ id }) => {
        core.removeEngine(id);
        return null;
      },
      'environments.setNamespaces': async ({ id, namespaces }) => {
        await envs.get(id).setNamespaces(namespaces);
        return shown(envs.describe(id));
      },
      'environments.setPrometheus': async (p) => {
        await core.prometheus.set(p);
        return shown(envs.describe(p.id));
      },
      'services.list': async ({ envId }) => {
        const d = envs.get(envId);
        if (!(await d.whenSynced(15_000))) {
          throw new ApiError('UNREACHABLE', `${d.name} has not listed its services yet.`, 'Check that it is running and reachable; try again.');
        }
        return d.services.list();
      },
      'services.scale': ({ serviceId, replicas }) => envs.owner(serviceId).services.scale(serviceId, replicas),
      'services.restart': ({ serviceId }) => envs.owner(serviceId).services.rollingRestart(serviceId),
      'instances.action': async ({ envId, instance, action }) => {
        await envs.get(envId).services.instanceAction(instance, action);
        return null;
      },
      'instances.inspect': ({ envId, instance }) => {
        const d = envs.get(envId);
        if (!d.capabilities.inspect) throw new ApiError('INVALID_PARAMS', `${d.name} cannot inspect its instances in this version of Fleetdeck.`);
        return d.inspect(instance);
      },
      'instances.revealEnv': async ({ envId, instance, name }) => ({ name, value: await envs.get(envId).revealEnv(instance, name) }),
      'terminal.input': ({ terminalId, data }) => {
        core.terminals.input(terminalId, data);
        return null;
      },
      'terminal.flow': ({ terminalId, paused }) => {
        core.terminals.flow(terminalId, paused);
        return null;
      },
      'terminal.resize': async ({ terminalId, cols, rows }) => {
        await core.terminals.resize(terminalId, cols, rows);
        return null;
      },
      'logs.search': ({ query, from, to, envIds, serviceIds, order, limit, after }) =>
        core.logStore.search({
          query: parsedQuery(query),
          ...scopeOf(from, to, envIds, serviceIds),
          order,
          limit,
          ...(after !== undefined ? { after } : {}),
        }),
      'logs.histogram': ({ query, from, to, envIds, serviceIds, buckets }) =>
        core.logStore.histogram({ query: parsedQuery(query), ...scopeOf(from, to, envIds, serviceIds), from, to, buckets }),
      'logs.around': ({ id, before, after }) => core.logStore.around(id, before, after),
      'logs.stats': async () => ({
        ...(await core.logStore.stats()),
        scopes: envs.all().map((d) => ({ envId: d.id, scope: core.logCollector.scopeOf(d) })),
      }),
      'logs.setScope': ({ envId, scope }) => {
        core.logCollector.setScope(envs.get(envId), scope);
        return null;
      },
      'metrics.range': async ({ envId, serviceId, from, to, maxPoints, instances }) => {
        envs.get(envId);
        const local = core.metrics.range(serviceId, from, to, maxPoints);
        const r = core.prometheus.has(envId) && !localSuffices(local) ? await fromPrometheus(core, envId, local, maxPoints) : local;
        if (instances !== 'top') return r;
        const top = withTopInstances(r.points);
        return { ...r, points: top.points, instanceNames: top.names };
      },
      'alerts.rules': () => core.alerts.rules(),
      'alerts.setRule': ({ rule }) => core.alerts.setRule(rule),
      'alerts.removeRule': ({ id }) => {
        core.alerts.removeRule(id);
        return null;
      },
      'alerts.list': ({ limit }) => core.alerts.list(limit),
      'alerts.ack': ({ id }) => core.alerts.acknowledge(id),
    },
    streams: {
      'environments.watch': (_p, sink) => {
        const on = (list: Environment[]) => sink.next(list.map(shown));
        const onPrometheus = () => on(envs.list());
        envs.on('change', on);
        core.prometheus.on('change', onPrometheus);
        onPrometheus();
        return () => {
          envs.off('change', on);
          core.prometheus.off('change', onPrometheus);
        };
      },
      'services.watch': ({ envId }, sink) => {
        const env = envs.get(envId);
        const d = env.services;
        let timer: NodeJS.Timeout | undefined;
        let last: Service[] | undefined;
        let wait = SERVICES_COALESCE_MS;
        const push = () => {
          timer = undefined;
          const list = d.list();
          if (list === last) return;
          let size = list.length;
          if (!last) sink.next({ kind: 'snapshot', services: list });
          else {
            const changes = diffServices(last, list, sameContent);
            size = changes ? changes.upserts.length + (changes.patches?.length ?? 0) : 0;
            if (changes) sink.next(changes);
          }
          wait = size >= BURST_SERVICES ? BURST_COALESCE_MS : SERVICES_COALESCE_MS;
          last = list;
        };
        const on = () => {
          timer ??= setTimeout(push, wait);
        };
        d.on('change', on);
        const stopWaiting = env.onceSynced(push);
        return untilRemoved(
          env,
          () => {
            clearTimeout(timer);
            stopWaiting();
            d.off('change', on);
          },
          (e) => sink.end(e),
        );
      },
      'environments.activity': ({ id }, sink) => {
        const d = envs.get(id);
        if (!d.capabilities.activity || d.eventsPerSecond() === undefined) {
          throw new ApiError('INVALID_PARAMS', `${d.name} reports no engine activity.`);
        }
        let last = -1;
        const tick = () => {
          const eps = d.eventsPerSecond() ?? 0;
          if (eps !== last) sink.next({ eventsPerSecond: (last = eps) });
        };
        tick();
        const t = setInterval(tick, 1000);
        return untilRemoved(
          d,
          () => clearInterval(t),
          (e) => sink.end(e),
        );
      },
      'logs.follow': ({ envId, serviceId, instance, tail }, sink) => {
        const env = envs.get(envId);
        // NOT_FOUND before anything starts; a service whose logs someone reads is kept under the `opened` scope.
        const owner = serviceId ? env.services.get(serviceId) : env.services.findInstance(instance!).service;
        core.logCollector.opened(env, owner.id);
        const stop = followLogs(
          env,
          { ...(serviceId ? { serviceId } : {}), ...(instance ? { instance } : {}), tail },
          { next: (e) => sink.next(e), backlog: () => sink.backlog?.() ?? 0 },
        );
        return untilRemoved(env, stop, (e) => sink.end(e));
      },
      'metrics.watch': ({ envId, serviceId }, sink) => {
        const env = envs.get(envId);
        env.services.get(serviceId);
        const w = env.watchMetrics(
          serviceId,
          (point) => sink.next({ kind: 'point', point }),
          (message) => sink.next({ kind: 'problem', message }),
        );
        sink.next({ kind: 'history', points: w.history });
        return untilRemoved(env, w.stop, (e) => sink.end(e));
      },
      'metrics.glance': ({ envIds }, sink) => {
        for (const id of envIds ?? []) envs.get(id); // NOT_FOUND before anything starts
        const tick = () => sink.next(core.metrics.glance(envIds));
        tick();
        const t = setInterval(tick, GLANCE_EVERY_MS);
        return () => clearInterval(t);
      },
      'alerts.watch': (_p, sink) => {
        // A burst of alerts (an engine coming back with many services unhealthy) is one event.
        let timer: NodeJS.Timeout | undefined;
        const on = () => {
          timer ??= setTimeout(() => {
            timer = undefined;
            sink.next(core.alerts.event());
          }, ALERTS_COALESCE_MS);
        };
        core.alerts.on('change', on);
        sink.next(core.alerts.event());
        return () => {
          clearTimeout(timer);
          core.alerts.off('change', on);
        };
      },
      'samples.start': (_p, sink) => {
        let open = true;
        const progress = (message: string) => open && sink.next({ message });
        startSamplesFromPanel(core.local.engine.api, progress).then(
          (instances) => {
            sink.next({ message: `Started ${instances} sample instances.`, done: true, instances });
            sink.end();
          },
          (e: unknown) =>
            sink.end(
              e instanceof ApiError ? e : new ApiError('INTERNAL', `Could not start the sample services: ${String((e as Error).message ?? e).split('\n')[0]}`),
            ),
        );
        return () => {
          open = false; // the start goes on: closing the window does not undo what the user asked for
        };
      },
      'terminal.open': ({ envId, instance, cols, rows }, sink) => {
        const d = envs.get(envId);
        const close = d.openTerminal({
          instance,
          cols,
          rows,
          emit: (e) => {
            sink.next(e);
            if (e.kind === 'exit') sink.end();
          },
          backlog: () => sink.backlog?.() ?? 0,
        });
        return untilRemoved(d, close, () => {
          sink.next({ kind: 'exit', code: null, message: `${d.name} was removed from Fleetdeck.` });
          sink.end();
        });
      },
    },
  };
}
