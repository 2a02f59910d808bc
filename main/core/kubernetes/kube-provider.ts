/** The contexts of the user's kubeconfig, each added to the registry as a Kubernetes driver. */
import type { DriverRegistry, EnvironmentProvider } from '../env/registry';
import { Terminals } from '../env/terminals';
import { KubeEnvironment } from './kube-environment';
import { shareTerminals } from './kube-terminal';
import { describeKubeError, listContexts, loadKubeConfig } from './kubeconfig';

export class KubeconfigProvider implements EnvironmentProvider {
  problem: string | undefined;
  private stopped = false;

  constructor(
    private readonly processEnv: NodeJS.ProcessEnv,
    private readonly maxReplicas: number,
    // The core's registry, shared with the Docker engines: terminal input, flow and resize address a shell by its id alone.
    private readonly terminals = new Terminals(),
  ) {}

  async start(registry: DriverRegistry): Promise<void> {
    let kc;
    try {
      kc = await loadKubeConfig(this.processEnv);
    } catch (e) {
      this.problem = `kubeconfig could not be read: ${describeKubeError(e)}`;
      return;
    }
    if (!kc || this.stopped) return;
    for (const c of listContexts(kc)) {
      const d = new KubeEnvironment(c, kc, this.maxReplicas);
      shareTerminals(d, this.terminals);
      if (!registry.has(d.id)) registry.add(d);
    }
  }

  stop(): void {
    this.stopped = true;
  }
}
