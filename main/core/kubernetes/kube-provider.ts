/**
 * The contexts of the user's kubeconfig, each added to the registry as a Kubernetes driver, and
 * kept in step with the files: a context added, removed or pointed elsewhere while the panel
 * runs shows up, goes, or reconnects within a second, as in Lens and Headlamp.
 */
import type { DriverRegistry, EnvironmentProvider } from '../env/registry';
import { Terminals } from '../env/terminals';
import { log } from '../log';
import { KubeEnvironment } from './kube-environment';
import { describeKubeError, kubeconfigPaths, listContexts, loadKubeConfig } from './kubeconfig';
import { contextDigests, diffContexts, watchFiles } from './kubeconfig-watch';

export class KubeconfigProvider implements EnvironmentProvider {
  problem: string | undefined;
  private stopped = false;
  private digests = new Map<string, string>();
  private stopWatching: (() => void) | undefined;
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private readonly processEnv: NodeJS.ProcessEnv,
    private readonly maxReplicas: number,
    // The core's registry, shared with the Docker engines: terminal input, flow and resize address a shell by its id alone.
    private readonly terminals = new Terminals(),
    private readonly watchDebounceMs = 300,
  ) {}

  async start(registry: DriverRegistry): Promise<void> {
    await this.reload(registry);
    if (this.stopped) return;
    this.stopWatching = watchFiles(
      kubeconfigPaths(this.processEnv),
      () => {
        // One reload at a time: a burst of writes must not add a context twice.
        this.reloading = this.reloading.then(() => this.reload(registry));
      },
      this.watchDebounceMs,
    );
  }

  stop(): void {
    this.stopped = true;
    this.stopWatching?.();
  }

  /** Reads the kubeconfig again and applies what changed; an unreadable file keeps what was there, and says why. */
  private async reload(registry: DriverRegistry): Promise<void> {
    let kc;
    try {
      kc = await loadKubeConfig(this.processEnv);
    } catch (e) {
      // Often a file caught half-written: the contexts stay as they were until it reads again.
      this.setProblem(registry, `kubeconfig could not be read: ${describeKubeError(e)}`);
      return;
    }
    if (this.stopped) return;
    const next = kc ? contextDigests(kc) : new Map<string, string>();
    const { added, removed, changed } = diffContexts(this.digests, next);
    this.digests = next;
    const byName = new Map((kc ? listContexts(kc) : []).map((c) => [c.name, c]));
    for (const name of [...removed, ...changed]) registry.remove(`kube:${name}`);
    for (const name of [...changed, ...added]) {
      const c = byName.get(name);
      if (!c || !kc) continue;
      const d = new KubeEnvironment(c, kc, this.maxReplicas, this.terminals);
      if (!registry.has(d.id)) registry.add(d);
    }
    if (added.length + removed.length + changed.length) log('kube').info({ added, removed, changed }, 'kubeconfig contexts loaded');
    this.setProblem(registry, undefined);
  }

  private setProblem(registry: DriverRegistry, problem: string | undefined): void {
    if (this.problem === problem) return;
    this.problem = problem;
    registry.touch();
  }
}
