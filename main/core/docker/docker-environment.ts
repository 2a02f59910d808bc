/** One Docker engine as an environment: its connection, live discovery and services, together. */
import type { DockerEndpoint } from './endpoint';
import { DockerDiscovery } from './discovery';
import { DockerEngine } from './engine';
import { DockerServices } from './services';
import type { TemplateStore } from './templates';

export class DockerEnvironment {
  readonly engine: DockerEngine;
  readonly discovery: DockerDiscovery;
  readonly services: DockerServices;

  constructor(
    readonly id: string,
    readonly name: string,
    endpoint: DockerEndpoint,
    templates: TemplateStore,
    maxReplicas: number,
  ) {
    this.engine = new DockerEngine(endpoint);
    this.discovery = new DockerDiscovery(this.engine);
    this.services = new DockerServices(id, this.engine, this.discovery, templates, { maxReplicas });
  }
}
