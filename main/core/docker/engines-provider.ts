/** Docker engines the user added, remembered in the state folder and added to the registry as drivers. */
import { ApiError } from '../../common/errors';
import type { DriverRegistry, EnvironmentProvider } from '../env/registry';
import { DockerEnvironment } from './docker-environment';
import { parseDockerHost } from './endpoint';
import { loadEngines, saveEngines, type SavedEngine } from './engines-store';
import type { TemplateStore } from './templates';
import type { Terminals } from '../env/terminals';
import { errorFields, log } from '../log';

export class SavedEnginesProvider implements EnvironmentProvider {
  private registry: DriverRegistry | undefined;

  constructor(
    private readonly file: string,
    private readonly make: { templates: TemplateStore; maxReplicas: number; terminals: Terminals },
  ) {}

  /** Synchronous on purpose: saved engines are listed from the first moment, before start(). */
  load(registry: DriverRegistry): void {
    this.registry = registry;
    for (const e of loadEngines(this.file)) {
      try {
        registry.add(this.driverFor(e));
      } catch (err) {
        // A saved engine whose host no longer parses, or whose id is taken, is skipped, not fatal.
        log('docker').warn({ engine: e.name, ...errorFields(err) }, 'skipped a saved engine');
      }
    }
  }

  async start(registry: DriverRegistry): Promise<void> {
    if (!this.registry) this.load(registry);
  }

  stop(): void {}

  /** Adds an engine by name and DOCKER_HOST-style address; it is remembered. */
  add(name: string, host: string): DockerEnvironment {
    const registry = this.registry;
    if (!registry) throw new ApiError('INTERNAL', 'The engines are not loaded yet.');
    const saved = { name: name.trim(), host: host.trim() };
    let d: DockerEnvironment;
    try {
      d = this.driverFor(saved);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw new ApiError('INVALID_PARAMS', (e as Error).message.replace('DOCKER_HOST', 'The address'));
    }
    if (registry.has(d.id)) throw new ApiError('CONFLICT', `An engine with the id ${d.id} exists already.`, 'Pick another name.');
    try {
      saveEngines(this.file, [...loadEngines(this.file), saved]);
    } catch (e) {
      throw new ApiError('INTERNAL', `Could not remember the engine: ${(e as Error).message}.`, 'Check that the Fleetdeck state folder is writable.');
    }
    registry.add(d);
    return d;
  }

  /** The registry removed `id`: forget it if it was one of ours. */
  removed(id: string): void {
    const list = loadEngines(this.file);
    const kept = list.filter((e) => idOf(e.name) !== id);
    if (kept.length !== list.length) saveEngines(this.file, kept);
  }

  private driverFor(e: SavedEngine): DockerEnvironment {
    const id = idOf(e.name);
    return new DockerEnvironment(id, e.name, parseDockerHost(e.host), this.make.templates, this.make.maxReplicas, undefined, this.make.terminals);
  }
}

function idOf(name: string): string {
  return `docker:${name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`;
}
