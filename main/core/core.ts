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
import { DockerEnvironment } from './docker/docker-environment';
import { parseDockerHost, resolveDockerEndpoint, type DockerEndpoint } from './docker/endpoint';
import type { DockerDiscovery } from './docker/discovery';
import type { DockerEngine } from './docker/engine';
import { loadEngines, saveEngines, type SavedEngine } from './docker/engines-store';
import type { DockerServices } from './docker/services';
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
  /** The local engine, always there (first in the sidebar). */
  readonly local: DockerEnvironment;
  readonly terminals = new Terminals();
  readonly environments: Environments;
  readonly api: ApiImpl;
  private readonly options: CoreOptions;
  private readonly templates: TemplateStore;
  private readonly enginesFile: string;
  private readonly maxReplicas: number;

  constructor(options: CoreOptions) {
    this.options = options;
    const env = options.env ?? process.env;
    const stateDir = options.stateDir ?? stateDirOf(env);
    this.maxReplicas = Number(env.FLEETDECK_MAX_REPLICAS) > 0 ? Math.floor(Number(env.FLEETDECK_MAX_REPLICAS)) : 50;
    this.templates = new TemplateStore(join(stateDir, 'docker-templates.json'));
    this.enginesFile = join(stateDir, 'docker-engines.json');
    this.local = new DockerEnvironment('docker:local', 'Docker (local)', options.docker ?? resolveDockerEndpoint(env), this.templates, this.maxReplicas);
    this.environments = new Environments(this.local, env);
    for (const e of loadEngines(this.enginesFile)) {
      try {
        this.environments.addDocker(this.engineFrom(e));
      } catch {
        /* a saved engine whose host no longer parses is skipped, not fatal */
      }
    }
    this.api = {
      methods: {
        'app.info': () => this.info(),
        'environments.list': () => this.environments.list(),
        'environments.reconnect': ({ id }) => this.environments.reconnect(id),
        'environments.addDocker': ({ name, host }) => this.addEngine(name, host),
        'environments.remove': ({ id }) => {
          this.removeEngine(id);
          return null;
        },
        'services.list': async ({ envId }) => {
          const d = this.dockerEnv(envId);
          await d.discovery.whenSynced();
          return d.services.list();
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
          const { services: d, discovery } = this.dockerEnv(envId);
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
          if (discovery.isSynced) push();
          else void discovery.whenSynced().then(push);
          return () => {
            clearTimeout(timer);
            d.off('change', on);
          };
        },
        'samples.start': (_p, sink) => {
          let open = true;
          const progress = (message: string) => open && sink.next({ message });
          startSamplesFromPanel(this.local.engine.api, progress).then(
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
          const d = this.dockerEnv(envId);
          const { instance: target } = d.services.findInstance(instance);
          if (target.state !== 'running') {
            throw new ApiError('CONFLICT', `${target.name} is ${target.state}, so no terminal can be opened in it.`, 'Start it first.');
          }
          return this.terminals.open(d.engine, target.id, { cols, rows }, (e) => {
            sink.next(e);
            if (e.kind === 'exit') sink.end();
          });
        },
      },
    };
  }

  /** Shorthands for the local engine. */
  get docker(): DockerEngine {
    return this.local.engine;
  }
  get discovery(): DockerDiscovery {
    return this.local.discovery;
  }
  get services(): DockerServices {
    return this.local.services;
  }

  dockerEnv(envId: string): DockerEnvironment {
    const d = this.environments.dockerEnvironments.find((x) => x.id === envId);
    if (d) return d;
    this.environments.get(envId); // NOT_FOUND for unknown ids
    throw new ApiError('NOT_FOUND', `Services of ${envId} are not available yet.`, 'Pick a Docker engine in the sidebar.');
  }

  dockerServices(envId: string): DockerServices {
    return this.dockerEnv(envId).services;
  }

  /** Adds a Docker engine by name and DOCKER_HOST-style address; it is remembered. */
  addEngine(name: string, host: string) {
    const trimmed = name.trim();
    if (this.environments.list().some((e) => e.name.toLowerCase() === trimmed.toLowerCase())) {
      throw new ApiError('CONFLICT', `An environment named "${trimmed}" exists already.`, 'Pick another name.');
    }
    const saved = { name: trimmed, host: host.trim() };
    let d: DockerEnvironment;
    try {
      d = this.engineFrom(saved);
    } catch (e) {
      throw new ApiError('INVALID_PARAMS', (e as Error).message.replace('DOCKER_HOST', 'The address'));
    }
    this.environments.addDocker(d);
    saveEngines(this.enginesFile, [...loadEngines(this.enginesFile), saved]);
    return this.environments.get(d.id);
  }

  removeEngine(id: string): void {
    if (id === this.local.id) throw new ApiError('INVALID_PARAMS', 'The local Docker engine cannot be removed.');
    const d = this.dockerEnv(id);
    this.environments.removeDocker(id);
    saveEngines(this.enginesFile, loadEngines(this.enginesFile).filter((e) => e.name !== d.name));
  }

  private engineFrom(e: SavedEngine): DockerEnvironment {
    const id = `docker:${e.name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`;
    if (id === 'docker:local' || this.environments?.dockerEnvironments.some((x) => x.id === id)) {
      throw new ApiError('CONFLICT', `An engine with the id ${id} exists already.`, 'Pick another name.');
    }
    return new DockerEnvironment(id, e.name, parseDockerHost(e.host), this.templates, this.maxReplicas);
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
