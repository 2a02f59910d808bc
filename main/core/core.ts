/**
 * The engine behind both pipes and the CLI: owns the connections to Docker and
 * Kubernetes and implements the API contract once.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '../common/api';
import { ApiError } from '../common/errors';
import type { AppInfo, Service } from '../common/model';
import type { ApiImpl } from './api/contract';
import { ApiSession } from './api/session';
import { APP_NAME, APP_VERSION } from './app-info';
import { resolveDockerEndpoint, type DockerEndpoint } from './docker/endpoint';
import { DockerDiscovery } from './docker/discovery';
import { DockerEngine } from './docker/engine';
import { DockerServices } from './docker/services';
import { TemplateStore } from './docker/templates';
import { Terminals } from './docker/terminal';
import { Environments } from './environments';
import { kubeconfigPaths } from './kubernetes/kubeconfig';
import { startSamplesFromPanel } from './samples/start-from-panel';

export interface CoreOptions {
  mode: AppInfo['mode'];
  env?: NodeJS.ProcessEnv;
  docker?: DockerEndpoint;
  /** Where Fleetdeck keeps its state (replica templates); default FLEETDECK_STATE_DIR or ~/.config/fleetdeck. */
  stateDir?: string;
}

/** Service lists are pushed at most this often: a burst of engine events becomes one update. */
const SERVICES_COALESCE_MS = 40;

export function stateDirOf(env: NodeJS.ProcessEnv): string {
  return env.FLEETDECK_STATE_DIR || join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'fleetdeck');
}

export class Core {
  readonly docker: DockerEngine;
  readonly discovery: DockerDiscovery;
  readonly services: DockerServices;
  readonly terminals = new Terminals();
  readonly environments: Environments;
  readonly api: ApiImpl;
  private readonly options: CoreOptions;

  constructor(options: CoreOptions) {
    this.options = options;
    const env = options.env ?? process.env;
    this.docker = new DockerEngine(options.docker ?? resolveDockerEndpoint(env));
    this.environments = new Environments(this.docker, env);
    this.discovery = new DockerDiscovery(this.docker);
    const stateDir = options.stateDir ?? stateDirOf(env);
    const maxReplicas = Number(env.FLEETDECK_MAX_REPLICAS) > 0 ? Math.floor(Number(env.FLEETDECK_MAX_REPLICAS)) : 50;
    this.services = new DockerServices('docker:local', this.docker, this.discovery, new TemplateStore(join(stateDir, 'docker-templates.json')), {
      maxReplicas,
    });
    this.api = {
      methods: {
        'app.info': () => this.info(),
        'environments.list': () => this.environments.list(),
        'environments.reconnect': ({ id }) => this.environments.reconnect(id),
        'services.list': async ({ envId }) => {
          const d = this.dockerServices(envId);
          await this.discovery.whenSynced();
          return d.list();
        },
        'services.scale': ({ serviceId, replicas }) => this.servicesFor(serviceId).scale(serviceId, replicas),
        'services.restart': ({ serviceId }) => this.servicesFor(serviceId).rollingRestart(serviceId),
        'instances.action': async ({ envId, instance, action }) => {
          await this.dockerServices(envId).instanceAction(instance, action);
          return null;
        },
        'terminal.input': ({ terminalId, data }) => {
          this.terminals.input(terminalId, data);
          return null;
        },
        'terminal.resize': async ({ terminalId, cols, rows }) => {
          await this.terminals.resize(terminalId, cols, rows);
          return null;
        },
      },
      streams: {
        'environments.watch': (_p, sink) => {
          const on = (list: ReturnType<Environments['list']>) => sink.next(list);
          this.environments.on('change', on);
          sink.next(this.environments.list());
          return () => this.environments.off('change', on);
        },
        'services.watch': ({ envId }, sink) => {
          const d = this.dockerServices(envId);
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
          if (this.discovery.isSynced) push();
          else void this.discovery.whenSynced().then(push);
          return () => {
            clearTimeout(timer);
            d.off('change', on);
          };
        },
        'samples.start': (_p, sink) => {
          let open = true;
          const progress = (message: string) => open && sink.next({ message });
          startSamplesFromPanel(this.docker.api, progress).then(
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
          const d = this.dockerServices(envId);
          const { instance: target } = d.findInstance(instance);
          if (target.state !== 'running') {
            throw new ApiError('CONFLICT', `${target.name} is ${target.state}, so no terminal can be opened in it.`, 'Start it first.');
          }
          return this.terminals.open(this.docker, target.id, { cols, rows }, (e) => {
            sink.next(e);
            if (e.kind === 'exit') sink.end();
          });
        },
      },
    };
  }

  /** The Docker services of an environment; Kubernetes environments get theirs with that feature. */
  dockerServices(envId: string): DockerServices {
    if (envId === this.services.envId) return this.services;
    this.environments.get(envId);
    throw new ApiError('NOT_FOUND', `Services of ${envId} are not available yet.`, 'Pick Docker (local) in the sidebar.');
  }

  private servicesFor(serviceId: string): DockerServices {
    const envId = serviceId.split('/')[0] ?? '';
    return this.dockerServices(envId);
  }

  async start(): Promise<this> {
    await this.environments.start();
    return this;
  }

  stop(): void {
    this.environments.stop();
  }

  /** A session for one client of either pipe. */
  session(transmit: (text: string) => void): ApiSession {
    return new ApiSession(this.api, transmit, { name: APP_NAME, version: APP_VERSION });
  }

  info(): AppInfo {
    return {
      name: APP_NAME,
      version: APP_VERSION,
      protocol: PROTOCOL_VERSION,
      mode: this.options.mode,
      node: process.versions.node,
      platform: process.platform,
      kubeconfigPaths: kubeconfigPaths(this.options.env ?? process.env),
    };
  }
}
