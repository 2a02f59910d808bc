/**
 * The engine behind both pipes and the CLI: owns the connections to Docker and
 * Kubernetes and implements the API contract once.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '../common/api';
import { ApiError } from '../common/errors';
import type { AppInfo } from '../common/model';
import type { ApiImpl } from './api/contract';
import { createApiImpl } from './api/impl';
import { ApiSession, type SessionLimits, type SessionOptions } from './api/session';
import { APP_NAME, APP_VERSION } from './app-info';
import { DockerEnvironment } from './docker/docker-environment';
import { localDockerEndpoint, parseDockerHost, type DockerEndpoint } from './docker/endpoint';
import type { DockerDiscovery } from './docker/discovery';
import type { DockerEngine } from './docker/engine';
import { loadEngines, saveEngines, type SavedEngine } from './docker/engines-store';
import type { DockerServices } from './docker/services';
import { TemplateStore } from './docker/templates';
import { Terminals } from './docker/terminal';
import { Environments } from './environments';
import type { ServiceEnv, ServicesLike } from './service-env';
import { kubeconfigPaths } from './kubernetes/kubeconfig';

export interface CoreOptions {
  mode: AppInfo['mode'];
  env?: NodeJS.ProcessEnv;
  docker?: DockerEndpoint;
  /** Where Fleetdeck keeps its state (replica templates); default FLEETDECK_STATE_DIR or ~/.config/fleetdeck. */
  stateDir?: string;
  /** Bounds on what one client may hold (tests lower them). */
  sessionLimits?: Partial<SessionLimits>;
}

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
    this.local = new DockerEnvironment('docker:local', 'Docker (local)', options.docker ?? localDockerEndpoint(env), this.templates, this.maxReplicas);
    this.environments = new Environments(this.local, env);
    for (const e of loadEngines(this.enginesFile)) {
      try {
        this.environments.addDocker(this.engineFrom(e));
      } catch {
        /* a saved engine whose host no longer parses is skipped, not fatal */
      }
    }
    this.api = createApiImpl(this);
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
    throw new ApiError('NOT_FOUND', 'Terminals and engine activity are not available for Kubernetes contexts in this version.', 'Use kubectl exec meanwhile.');
  }

  /** Any environment's services: a Docker engine's, or a Kubernetes context's. */
  serviceEnv(envId: string): ServiceEnv {
    if (envId.startsWith('kube:')) {
      this.environments.get(envId);
      return this.environments.kubeEnvironment(envId, this.maxReplicas);
    }
    return this.dockerEnv(envId);
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
    try {
      saveEngines(this.enginesFile, [...loadEngines(this.enginesFile), saved]);
    } catch (e) {
      throw new ApiError('INTERNAL', `Could not remember the engine: ${(e as Error).message}.`, 'Check that the Fleetdeck state folder is writable.');
    }
    this.environments.addDocker(d);
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

  /** The services owning `serviceId` (`<envId>/…`; a context name may itself hold slashes). */
  servicesFor(serviceId: string): ServicesLike {
    const kube = /^(kube:.+)\/[^/]+\/(deployment|statefulset)\/[^/]+$/.exec(serviceId);
    return this.serviceEnv(kube ? kube[1]! : (serviceId.split('/')[0] ?? '')).services;
  }

  async start(): Promise<this> {
    await this.environments.start();
    return this;
  }

  stop(): void {
    this.environments.stop();
  }

  /** A session for one client of either pipe. */
  session(transmit: (text: string) => void, options: Omit<SessionOptions, 'limits'> = {}): ApiSession {
    return new ApiSession(this.api, transmit, { name: APP_NAME, version: APP_VERSION }, { ...options, limits: this.options.sessionLimits ?? {} });
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
