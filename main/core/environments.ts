/**
 * Every environment the panel can show, through one registry of drivers: the local Docker
 * engine first, then what the providers add. Whatever an engine or a kubeconfig says about
 * itself reaches the window through the output policy here, once.
 */
import { EventEmitter } from 'node:events';
import { ApiError } from '../common/errors';
import type { Environment } from '../common/model';
import { plainText } from '../common/output-policy';
import type { EnvironmentDriver } from './env/driver';
import { DriverList, type EnvironmentProvider } from './env/registry';
import { KubeconfigProvider } from './kubernetes/kube-provider';

export interface RemovalAware {
  /** The registry removed `id`; a provider forgets what it remembered of it. */
  removed?(id: string): void;
}

export class Environments extends EventEmitter<{ change: [Environment[]] }> {
  private readonly drivers = new DriverList();
  private readonly providers: (EnvironmentProvider & RemovalAware)[];
  private stopped = false;

  /** Without `providers`, the contexts of the kubeconfig that `processEnv` points at. */
  constructor(local: EnvironmentDriver, processEnv: NodeJS.ProcessEnv = process.env, providers?: (EnvironmentProvider & RemovalAware)[], maxReplicas = 50) {
    super();
    this.setMaxListeners(0); // every environments stream listens
    this.providers = providers ?? [new KubeconfigProvider(processEnv, maxReplicas)];
    this.drivers.on('change', () => {
      if (!this.stopped) this.emit('change', this.list());
    });
    this.drivers.add(local);
    for (const p of this.providers) p.load?.(this.drivers);
  }

  async start(): Promise<void> {
    this.drivers.startAll();
    await Promise.all(this.providers.map((p) => p.start(this.drivers)));
    this.drivers.emit('change'); // a provider's problem is news even when it added nothing
  }

  stop(): void {
    this.stopped = true;
    for (const p of this.providers) p.stop();
    this.drivers.stopAll();
  }

  add(d: EnvironmentDriver): void {
    this.drivers.add(d);
  }

  /** Removes an environment the user may remove (capabilities.removable), and has it forgotten. */
  remove(id: string): void {
    const d = this.drivers.get(id);
    if (!d.capabilities.removable) throw new ApiError('INVALID_PARAMS', `${d.name} cannot be removed from Fleetdeck.`);
    this.drivers.remove(id);
    for (const p of this.providers) p.removed?.(id);
  }

  /** The driver of `id`, or NOT_FOUND. */
  get(id: string): EnvironmentDriver {
    return this.drivers.get(id);
  }

  /** The driver that owns a service or instance id (`<envId>/…`). */
  owner(childId: string): EnvironmentDriver {
    return this.drivers.owner(childId);
  }

  all(): readonly EnvironmentDriver[] {
    return this.drivers.all();
  }

  /** What went wrong reading a provider's source (the kubeconfig), if anything. */
  get kubeconfigProblem(): string | undefined {
    return this.providers.map((p) => p.problem).find(Boolean);
  }

  list(): Environment[] {
    return this.drivers.describe().map(shown);
  }

  /** One environment as the window sees it. */
  describe(id: string): Environment {
    return shown(this.drivers.get(id).describe());
  }

  reconnect(id: string): Environment {
    this.drivers.get(id).reconnect();
    return this.describe(id);
  }
}

/**
 * What an engine or a kubeconfig says about itself (version strings, context names, problems
 * quoting the cluster) is shown as plain text; the id stays as it is, since calls address it.
 */
function shown(e: Environment): Environment {
  const out: Environment = { ...e, name: plainText(e.name), endpoint: plainText(e.endpoint) };
  for (const k of ['version', 'apiVersion', 'problem', 'namespace'] as const) {
    const v = e[k];
    if (v !== undefined) out[k] = plainText(v);
  }
  if (Array.isArray(e.namespaces)) out.namespaces = e.namespaces.map(plainText);
  return out;
}
