/** One Docker engine as an environment: its connection, live discovery and services, together. */
import { EventEmitter } from 'node:events';
import { dirname, join } from 'node:path';
import type { DockerEndpoint } from './endpoint';
import { DockerDiscovery } from './discovery';
import { DockerEngine } from './engine';
import { OpJournal } from './op-journal';
import { DockerServices } from './services';
import type { TemplateStore } from './templates';
import { MetricsHub } from '../metrics/service-metrics';
import { followContainer } from '../logs/docker-follow';
import type { FollowInstance, ServiceEnv } from '../service-env';
import type { MetricPoint } from '../../common/model';

export class DockerEnvironment extends EventEmitter<{ removed: [] }> implements ServiceEnv {
  readonly kind = 'docker';
  readonly engine: DockerEngine;
  readonly discovery: DockerDiscovery;
  readonly services: DockerServices;
  readonly metrics: MetricsHub;

  constructor(
    readonly id: string,
    readonly name: string,
    endpoint: DockerEndpoint,
    templates: TemplateStore,
    maxReplicas: number,
    // Beside the templates: the same state folder, shared by every Fleetdeck process of the user.
    journal = new OpJournal(templates.file ? join(dirname(templates.file), 'docker-operations') : undefined),
  ) {
    super();
    this.setMaxListeners(0); // every open stream listens for the environment's removal
    this.engine = new DockerEngine(endpoint);
    this.discovery = new DockerDiscovery(this.engine);
    this.services = new DockerServices(id, this.engine, this.discovery, templates, journal, { maxReplicas });
    this.metrics = new MetricsHub(this);
  }

  readonly followInstance: FollowInstance = (i, options, onEntries, onEnd) =>
    followContainer(this.engine.api, { id: i.id, name: i.name }, options, onEntries, onEnd);

  watchMetrics(serviceId: string, onPoint: (p: MetricPoint) => void) {
    return this.metrics.watch(serviceId, onPoint);
  }

  whenSynced(timeoutMs: number): Promise<boolean> {
    return this.discovery.whenSynced(timeoutMs);
  }

  onceSynced(fn: () => void): () => void {
    return this.discovery.onceSynced(fn);
  }

  /** The user removed this engine from Fleetdeck: stop, and tell whoever streams from it. */
  remove(): void {
    this.metrics.close();
    this.services.close();
    this.discovery.close();
    this.engine.stop();
    this.emit('removed');
  }

  /** Calls `fn` if the engine is removed; returns how to stop listening. */
  onRemoved(fn: () => void): () => void {
    this.once('removed', fn);
    return () => this.off('removed', fn);
  }
}
