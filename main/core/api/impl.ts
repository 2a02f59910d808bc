/**
 * The API contract implemented on the core: each method and stream in one place, each a few
 * lines that hand over to the module that does the work.
 */
import { ApiError } from '../../common/errors';
import type { Environment, Service } from '../../common/model';
import type { Core } from '../core';
import { followLogs } from '../logs/follow-logs';
import { startSamplesFromPanel } from '../samples/start-from-panel';
import type { ApiImpl } from './contract';

/** Service lists are pushed at most this often: a burst of engine events becomes one update. */
const SERVICES_COALESCE_MS = 40;

export function createApiImpl(core: Core): ApiImpl {
  return {
    methods: {
      'app.info': () => core.info(),
      'environments.list': () => core.environments.list(),
      'environments.reconnect': ({ id }) => core.environments.reconnect(id),
      'environments.addDocker': ({ name, host }) => core.addEngine(name, host),
      'environments.remove': ({ id }) => {
        core.removeEngine(id);
        return null;
      },
      'services.list': async ({ envId }) => {
        const d = core.serviceEnv(envId);
        if (!(await d.whenSynced(15_000))) {
          throw new ApiError('UNREACHABLE', `${d.name} has not listed its services yet.`, 'Check that it is running and reachable; try again.');
        }
        return d.services.list();
      },
      'services.scale': ({ serviceId, replicas }) => core.servicesFor(serviceId).scale(serviceId, replicas),
      'services.restart': ({ serviceId }) => core.servicesFor(serviceId).rollingRestart(serviceId),
      'instances.action': async ({ envId, instance, action }) => {
        await core.serviceEnv(envId).services.instanceAction(instance, action);
        return null;
      },
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
    },
    streams: {
      'environments.watch': (_p, sink) => {
        const on = (list: Environment[]) => sink.next(list);
        core.environments.on('change', on);
        sink.next(core.environments.list());
        return () => core.environments.off('change', on);
      },
      'services.watch': ({ envId }, sink) => {
        const env = core.serviceEnv(envId);
        const d = env.services;
        let timer: NodeJS.Timeout | undefined;
        let last: Service[] | undefined;
        const push = () => {
          timer = undefined;
          const list = d.list();
          if (list !== last) sink.next((last = list));
        };
        const on = () => {
          timer ??= setTimeout(push, SERVICES_COALESCE_MS);
        };
        d.on('change', on);
        const stopWaiting = env.onceSynced(push);
        const stop = () => {
          clearTimeout(timer);
          stopWaiting();
          stopRemoved();
          d.off('change', on);
        };
        const stopRemoved = env.onRemoved(() => {
          stop();
          sink.end(new ApiError('NOT_FOUND', `${env.name} was removed from Fleetdeck.`, 'Pick another environment.'));
        });
        return stop;
      },
      'environments.activity': ({ id }, sink) => {
        const d = core.dockerEnv(id);
        let last = -1;
        const tick = () => {
          const eps = d.engine.eventsPerSecond();
          if (eps !== last) sink.next({ eventsPerSecond: (last = eps) });
        };
        tick();
        const t = setInterval(tick, 1000);
        return () => clearInterval(t);
      },
      'logs.follow': ({ envId, serviceId, instance, tail }, sink) => {
        const env = core.serviceEnv(envId);
        if (serviceId) env.services.get(serviceId); // NOT_FOUND before anything starts
        if (instance) env.services.findInstance(instance);
        const stop = followLogs(
          env,
          { ...(serviceId ? { serviceId } : {}), ...(instance ? { instance } : {}), tail },
          { next: (e) => sink.next(e), backlog: () => sink.backlog?.() ?? 0 },
        );
        const stopRemoved = env.onRemoved(() => {
          stop();
          sink.end(new ApiError('NOT_FOUND', `${env.name} was removed from Fleetdeck.`));
        });
        return () => {
          stopRemoved();
          stop();
        };
      },
      'metrics.watch': ({ envId, serviceId }, sink) => {
        const env = core.serviceEnv(envId);
        env.services.get(serviceId);
        const w = env.watchMetrics(
          serviceId,
          (point) => sink.next({ kind: 'point', point }),
          (message) => sink.next({ kind: 'problem', message }),
        );
        sink.next({ kind: 'history', points: w.history });
        const stopRemoved = env.onRemoved(() => sink.end(new ApiError('NOT_FOUND', `${env.name} was removed from Fleetdeck.`)));
        return () => {
          stopRemoved();
          w.stop();
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
          (e: unknown) => sink.end(e instanceof ApiError ? e : new ApiError('INTERNAL', `Could not start the sample services: ${String((e as Error).message ?? e).split('\n')[0]}`)),
        );
        return () => {
          open = false; // the start goes on: closing the window does not undo what the user asked for
        };
      },
      'terminal.open': ({ envId, instance, cols, rows }, sink) => {
        const d = core.dockerEnv(envId);
        const { instance: target } = d.services.findInstance(instance);
        if (target.state !== 'running') {
          throw new ApiError('CONFLICT', `${target.name} is ${target.state}, so no terminal can be opened in it.`, 'Start it first.');
        }
        const close = core.terminals.open(
          d.engine,
          target.id,
          { cols, rows },
          (e) => {
            sink.next(e);
            if (e.kind === 'exit') sink.end();
          },
          () => sink.backlog?.() ?? 0,
        );
        const stopRemoved = d.onRemoved(() => {
          close();
          sink.next({ kind: 'exit', code: null, message: `${d.name} was removed from Fleetdeck.` });
          sink.end();
        });
        return () => {
          stopRemoved();
          close();
        };
      },
    },
  };
}
