/** One Docker engine as an environment driver: its connection, live discovery, services, logs, stats and terminals. */
import { EventEmitter } from 'node:events';
import { dirname, join } from 'node:path';
import { ApiError } from '../../common/errors';
import type { Environment, EnvironmentCapabilities, InstanceInspect, MetricPoint } from '../../common/model';
import type { EnvironmentDriver, FollowInstance, MetricsWatch, TerminalRequest } from '../env/driver';
import { followContainer } from '../logs/docker-follow';
import { MetricsHub } from '../metrics/service-metrics';
import { MetricsScraper } from '../metrics/scraper';
import { DockerDiscovery } from './discovery';
import type { DockerEndpoint } from './endpoint';
import { DockerEngine } from './engine';
import { OpJournal } from './op-journal';
import { inspectContainer, revealContainerEnv } from './inspect';
import { DockerServices } from './services';
import type { TemplateStore } from './templates';
import { Terminals } from '../env/terminals';
import { dockerShell } from './terminal';

export const LOCAL_DOCKER_ID = 'docker:local';

const DOCKER_CAPABILITIES: EnvironmentCapabilities = {
  instanceActions: ['start', 'stop', 'restart', 'remove'],
  scale: true,
  rollingRestart: true,
  terminal: true,
  metrics: ['cpu', 'memory', 'network', 'requests'],
  namespaces: false,
  removable: true,
  activity: true,
  inspect: true,
};

export class DockerEnvironment extends EventEmitter<{ removed: []; change: [] }> implements EnvironmentDriver {
  readonly kind = 'docker';
  readonly capabilities: EnvironmentCapabilities;
  readonly engine: DockerEngine;
  readonly discovery: DockerDiscovery;
  readonly services: DockerServices;
  readonly metrics: MetricsHub;
  readonly scraper: MetricsScraper;

  constructor(
    readonly id: string,
    readonly name: string,
    endpoint: DockerEndpoint,
    templates: TemplateStore,
    maxReplicas: number,
    // Beside the templates: the same state folder, shared by every Fleetdeck process of the user.
    journal = new OpJournal(templates.file ? join(dirname(templates.file), 'docker-operations') : undefined),
    // Shared by every engine of a core: terminal input, flow and resize address a terminal by its id alone.
    private readonly terminals = new Terminals(),
  ) {
    super();
    this.setMaxListeners(0); // every open stream listens for the environment's removal
    this.capabilities = { ...DOCKER_CAPABILITIES, removable: id !== LOCAL_DOCKER_ID };
    this.engine = new DockerEngine(endpoint);
    this.discovery = new DockerDiscovery(this.engine);
    this.services = new DockerServices(id, this.engine, this.discovery, templates, journal, { maxReplicas });
    // Every service's /metrics, chart open or not: its health (breakers, 5xx) and the charts' request figures.
    this.scraper = new MetricsScraper(this.services);
    this.services.setScrapedHealth((id) => this.scraper.healthOf(id));
    this.scraper.on('change', () => this.services.healthChanged());
    this.metrics = new MetricsHub(this);
    this.engine.on('status', () => this.emit('change'));
  }

  get state() {
    return this.engine.status.state;
  }

  describe(): Environment {
    const d = this.engine.status;
    return {
      id: this.id,
      kind: 'docker',
      name: this.name,
      endpoint: this.engine.endpoint.display,
      capabilities: this.capabilities,
      state: d.state,
      since: d.since,
      ...(d.version ? { version: d.version } : {}),
      ...(d.apiVersion ? { apiVersion: d.apiVersion } : {}),
      ...(d.problem ? { problem: d.problem } : {}),
    };
  }

  start(): void {
    this.engine.start();
    this.scraper.start();
  }

  stop(): void {
    this.metrics.close();
    this.scraper.close();
    this.discovery.close();
    this.engine.stop();
  }

  reconnect(): void {
    this.engine.reconnect();
  }

  readonly followInstance: FollowInstance = (i, options, onEntries, onEnd) =>
    followContainer(this.engine.api, { id: i.id, name: i.name }, options, onEntries, onEnd);

  watchMetrics(serviceId: string, onPoint: (p: MetricPoint) => void, onProblem: (message: string) => void): MetricsWatch {
    // Stats come from the engine: while it is away there are none, and the chart says why.
    const say = () => {
      if (this.engine.status.state === 'unreachable') onProblem(`${this.name} is unreachable; figures resume when it is back.`);
    };
    this.engine.on('status', say);
    say();
    const w = this.metrics.watch(serviceId, onPoint);
    return {
      history: w.history,
      stop: () => {
        this.engine.off('status', say);
        w.stop();
      },
    };
  }

  openTerminal(r: TerminalRequest): () => void {
    const { instance: target } = this.services.findInstance(r.instance);
    if (target.state !== 'running') {
      throw new ApiError('CONFLICT', `${target.name} is ${target.state}, so no terminal can be opened in it.`, 'Start it first.');
    }
    return this.terminals.open({ start: dockerShell(this.engine, target.id, { cols: r.cols, rows: r.rows }), emit: r.emit, backlog: r.backlog });
  }

  // async: an unknown name rejects like every other failure of the call, instead of throwing at the caller.
  async inspect(instance: string): Promise<InstanceInspect> {
    const { instance: target } = this.services.findInstance(instance);
    return inspectContainer(this.engine.api, this.id, target.id);
  }

  async revealEnv(instance: string, name: string): Promise<string> {
    const { instance: target } = this.services.findInstance(instance);
    return revealContainerEnv(this.engine.api, target.id, name);
  }

  eventsPerSecond(): number {
    return this.engine.eventsPerSecond();
  }

  async setNamespaces(): Promise<void> {
    throw new ApiError('INVALID_PARAMS', `${this.name} is a Docker engine: it has no namespaces.`);
  }

  whenSynced(timeoutMs: number): Promise<boolean> {
    return this.discovery.whenSynced(timeoutMs);
  }

  onceSynced(fn: () => void): () => void {
    return this.discovery.onceSynced(fn);
  }

  /** The user removed this engine from Fleetdeck: stop, and tell whoever streams from it. */
  remove(): void {
    this.services.close();
    this.stop();
    this.emit('removed');
  }

  /** Calls `fn` if the engine is removed; returns how to stop listening. */
  onRemoved(fn: () => void): () => void {
    this.once('removed', fn);
    return () => this.off('removed', fn);
  }
}
