/**
 * The engine behind both pipes and the CLI: owns the environments (a registry of drivers) and
 * implements the API contract once.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '../common/api';
import type { AppInfo, Environment } from '../common/model';
import type { ApiImpl, CoreLike } from './api/contract';
import { createApiImpl } from './api/impl';
import { ApiSession, type SessionLimits, type SessionOptions } from './api/session';
import { APP_NAME, APP_VERSION } from './app-info';
import { DockerEnvironment, LOCAL_DOCKER_ID } from './docker/docker-environment';
import { localDockerEndpoint, type DockerEndpoint } from './docker/endpoint';
import type { DockerDiscovery } from './docker/discovery';
import type { DockerEngine } from './docker/engine';
import { SavedEnginesProvider } from './docker/engines-provider';
import type { DockerServices } from './docker/services';
import { TemplateStore } from './docker/templates';
import type { EnvironmentDriver, ServicesLike } from './env/driver';
import { Terminals } from './env/terminals';
import { Environments } from './environments';
import { kubeconfigPaths } from './kubernetes/kubeconfig';
import { KubeconfigProvider } from './kubernetes/kube-provider';
import { log, openLog } from './log';
import { LogCollector } from './logstore/collector';
import { limitsOf, logsModeOf, openLogStore, type LogsMode } from './logstore/open-store';
import type { LogStore } from './logstore/types';
import { openMetricsHistory, metricsModeOf, type MetricsMode } from './metricstore/open-history';
import { MetricsRecorder } from './metricstore/recorder';
import { addPodFiguresResolver } from './prometheus/pod-figures';
import { PrometheusSources } from './prometheus/sources';
import { AlertEngine } from './alerts/engine';

export interface CoreOptions {
  mode: AppInfo['mode'];
  env?: NodeJS.ProcessEnv;
  docker?: DockerEndpoint;
  /** Where Fleetdeck keeps its state (replica templates); default FLEETDECK_STATE_DIR or ~/.config/fleetdeck. */
  stateDir?: string;
  /** Bounds on what one client may hold (tests lower them). */
  sessionLimits?: Partial<SessionLimits>;
  /**
   * Whether this process keeps the logs of the services in scope (`collect`: the window and serve),
   * only searches what is kept (`search`: the CLI, where another Fleetdeck collects), or neither.
   * Default: collect for serve and desktop, search otherwise; FLEETDECK_LOGS=off turns it off.
   */
  logs?: LogsMode;
  /**
   * Whether this process collects every service's figures into the metrics history (the window
   * and serve), only reads it (the CLI), or neither. FLEETDECK_METRICS=off turns it off.
   */
  metrics?: MetricsMode;
  /** Whether this process evaluates the alert rules (the window and serve) or only reads what was stored (the CLI). */
  alerts?: 'evaluate' | 'read';
}

export function stateDirOf(env: NodeJS.ProcessEnv): string {
  return env.FLEETDECK_STATE_DIR || join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'fleetdeck');
}

export class Core implements CoreLike {
  /** The local engine, always there (first in the sidebar); samples start on it. */
  readonly local: DockerEnvironment;
  /** Every environment's terminals (Docker exec, pods/exec): input, flow and resize address one by its id. */
  readonly terminals = new Terminals();
  readonly environments: Environments;
  readonly api: ApiImpl;
  readonly logStore: LogStore;
  readonly logCollector: LogCollector;
  /** Every service's figures, kept: the charts' history, the table's sparklines, what alerts watch. */
  readonly metrics: MetricsRecorder;
  /** Each environment's Prometheus (docs/prometheus.md): history beyond the store, pods' request figures. */
  readonly prometheus: PrometheusSources;
  private stopPodFigures: (() => void) | undefined;
  /** Alert rules and the alerts they fired (alerts/engine.ts). */
  readonly alerts: AlertEngine;
  private readonly logsMode: LogsMode;
  private readonly options: CoreOptions;
  private readonly engines: SavedEnginesProvider;

  constructor(options: CoreOptions) {
    this.options = options;
    const env = options.env ?? process.env;
    const stateDir = options.stateDir ?? stateDirOf(env);
    openLog(stateDir, env);
    const maxReplicas = Number(env.FLEETDECK_MAX_REPLICAS) > 0 ? Math.floor(Number(env.FLEETDECK_MAX_REPLICAS)) : 50;
    const templates = new TemplateStore(join(stateDir, 'docker-templates.json'));
    this.local = new DockerEnvironment(
      LOCAL_DOCKER_ID,
      'Docker (local)',
      options.docker ?? localDockerEndpoint(env),
      templates,
      maxReplicas,
      undefined,
      this.terminals,
    );
    this.engines = new SavedEnginesProvider(join(stateDir, 'docker-engines.json'), { templates, maxReplicas, terminals: this.terminals });
    this.environments = new Environments(this.local, env, [this.engines, new KubeconfigProvider(env, maxReplicas, this.terminals)]);
    this.logsMode = logsModeOf(env, options.logs ?? (options.mode === 'serve' || options.mode === 'desktop' ? 'collect' : 'search'));
    this.logStore = openLogStore(stateDir, this.logsMode, limitsOf(env));
    this.logCollector = new LogCollector(this.logStore, this.environments, join(stateDir, 'log-scopes.json'));
    const metricsMode = metricsModeOf(env, options.metrics ?? (options.mode === 'serve' || options.mode === 'desktop' ? 'collect' : 'read'));
    this.metrics = new MetricsRecorder(this.environments, openMetricsHistory(stateDir, metricsMode), metricsMode === 'collect', log('metrics'));
    this.prometheus = new PrometheusSources(join(stateDir, 'prometheus.json'), this.environments, env);
    const evaluateAlerts = (options.alerts ?? (options.mode === 'cli' ? 'read' : 'evaluate')) === 'evaluate';
    this.alerts = new AlertEngine(stateDir, this, evaluateAlerts, log('alerts'));
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

  /** Any environment's driver (NOT_FOUND for unknown ids). */
  serviceEnv(envId: string): EnvironmentDriver {
    return this.environments.get(envId);
  }

  /** A Docker engine's driver, for code that needs the engine itself (tests, benches). */
  dockerEnv(envId: string): DockerEnvironment {
    const d = this.environments.get(envId);
    if (!(d instanceof DockerEnvironment)) throw new TypeError(`${envId} is not a Docker engine`);
    return d;
  }

  dockerServices(envId: string): DockerServices {
    return this.dockerEnv(envId).services;
  }

  /** Adds a Docker engine by name and DOCKER_HOST-style address; it is remembered. */
  addEngine(name: string, host: string): Environment {
    return this.environments.describe(this.engines.add(name, host).id);
  }

  removeEngine(id: string): void {
    this.environments.remove(id);
  }

  /** The services owning `serviceId` (`<envId>/…`; a context name may itself hold slashes). */
  servicesFor(serviceId: string): ServicesLike {
    return this.environments.owner(serviceId).services;
  }

  async start(): Promise<this> {
    await this.environments.start();
    if (this.logsMode === 'collect') this.logCollector.start();
    this.metrics.start();
    this.stopPodFigures ??= addPodFiguresResolver((envId) => this.prometheus.podSource(envId));
    this.alerts.start();
    return this;
  }

  stop(): void {
    this.alerts.stop();
    this.metrics.stop();
    this.stopPodFigures?.();
    this.stopPodFigures = undefined;
    this.logCollector.stop();
    this.environments.stop();
    void this.logStore.close();
  }

  /** Stops, once what was collected is stored. */
  async close(): Promise<void> {
    this.alerts.stop();
    this.metrics.stop();
    this.stopPodFigures?.();
    this.stopPodFigures = undefined;
    this.logCollector.stop();
    this.environments.stop();
    await this.logStore.close();
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
