/**
 * Every environment the panel can show: the local Docker engine first, then each
 * Kubernetes context from kubeconfig. Keeps their connection states and pushes the
 * whole (small) list on every change.
 */
import { EventEmitter } from 'node:events';
import { ApiError } from '../common/errors';
import type { Environment, EnvironmentCapabilities } from '../common/model';
import type { DockerEnvironment } from './docker/docker-environment';
import { KubeEnvironment } from './kubernetes/kube-environment';
import { plainText } from '../common/output-policy';
import { configFor, describeKubeError, listContexts, loadKubeConfig, probeCluster } from './kubernetes/kubeconfig';

const KUBE_RETRY_MS = [2000, 5000, 15000, 30000];

interface KubeSlot {
  env: Environment;
  attempt: number;
  timer?: NodeJS.Timeout;
  probing: boolean;
}

export class Environments extends EventEmitter<{ change: [Environment[]] }> {
  private readonly docker: DockerEnvironment[] = [];
  private readonly kube = new Map<string, KubeSlot>();
  private kc: Awaited<ReturnType<typeof loadKubeConfig>>;
  private kubeProblem: string | undefined;
  private stopped = false;

  private started = false;
  private readonly kubeEnvs = new Map<string, KubeEnvironment>();

  constructor(local: DockerEnvironment, private readonly processEnv: NodeJS.ProcessEnv = process.env) {
    super();
    this.addDocker(local);
  }

  /** Docker engines, the local one first. */
  get dockerEnvironments(): readonly DockerEnvironment[] {
    return this.docker;
  }

  addDocker(d: DockerEnvironment): void {
    this.docker.push(d);
    d.engine.on('status', () => this.changed());
    if (this.started) d.engine.start();
    this.changed();
  }

  removeDocker(id: string): void {
    const i = this.docker.findIndex((d) => d.id === id);
    if (i <= 0) return; // the local engine stays
    const [d] = this.docker.splice(i, 1);
    d!.engine.removeAllListeners('status');
    d!.remove();
    this.changed();
  }

  async start(): Promise<void> {
    this.started = true;
    for (const d of this.docker) d.engine.start();
    try {
      this.kc = await loadKubeConfig(this.processEnv);
    } catch (e) {
      this.kubeProblem = `kubeconfig could not be read: ${describeKubeError(e)}`;
      this.changed();
      return;
    }
    if (!this.kc || this.stopped) return;
    for (const c of listContexts(this.kc)) {
      const env: Environment = {
        id: `kube:${c.name}`,
        kind: 'kubernetes',
        name: c.name,
        endpoint: c.server,
        namespace: c.namespace,
        capabilities: KUBE_CAPABILITIES,
        state: 'connecting',
        since: Date.now(),
      };
      this.kube.set(env.id, { env, attempt: 0, probing: false });
    }
    this.changed();
    for (const slot of this.kube.values()) void this.probe(slot);
  }

  stop(): void {
    this.stopped = true;
    for (const d of this.docker) {
      d.metrics.close();
      d.discovery.close();
      d.engine.stop();
    }
    for (const s of this.kube.values()) clearTimeout(s.timer);
    for (const k of this.kubeEnvs.values()) k.stop();
  }

  /**
   * The services side of a Kubernetes context, started on first use (watching a cluster costs
   * three watches; contexts nobody opens cost nothing).
   */
  kubeEnvironment(id: string, maxReplicas: number): KubeEnvironment {
    let k = this.kubeEnvs.get(id);
    if (k) return k;
    const slot = this.kube.get(id);
    if (!slot || !this.kc) throw new ApiError('NOT_FOUND', `No environment "${id}".`, 'Pick one from the sidebar.');
    k = new KubeEnvironment(id, slot.env.name, this.kc, slot.env.namespace ?? 'default', maxReplicas);
    this.kubeEnvs.set(id, k);
    const env = k;
    void env.start().catch(() => {
      // The informers retry by themselves once started; a failed start (cluster away) is retried on next use.
      if (this.kubeEnvs.get(id) === env) this.kubeEnvs.delete(id);
      env.stop();
    });
    return k;
  }

  /** Problem reading kubeconfig, if any (the contexts list is then empty). */
  get kubeconfigProblem(): string | undefined {
    return this.kubeProblem;
  }

  list(): Environment[] {
    const docker = this.docker.map((x): Environment => {
      const d = x.engine.status;
      return {
        id: x.id,
        kind: 'docker',
        name: x.name,
        endpoint: x.engine.endpoint.display,
        capabilities: { ...DOCKER_CAPABILITIES, removable: x.id !== 'docker:local' },
        state: d.state,
        since: d.since,
        ...(d.version ? { version: d.version } : {}),
        ...(d.apiVersion ? { apiVersion: d.apiVersion } : {}),
        ...(d.problem ? { problem: d.problem } : {}),
      };
    });
    return [...docker, ...[...this.kube.values()].map((s) => s.env)].map(shown);
  }

  get(id: string): Environment {
    const e = this.list().find((x) => x.id === id);
    if (!e) throw new ApiError('NOT_FOUND', `No environment "${id}".`, 'Pick one from the sidebar; the list may have changed.');
    return e;
  }

  reconnect(id: string): Environment {
    this.get(id);
    this.docker.find((d) => d.id === id)?.engine.reconnect();
    const slot = this.kube.get(id);
    if (slot && slot.env.state !== 'connected') {
      clearTimeout(slot.timer);
      slot.attempt = 0;
      void this.probe(slot);
    }
    return this.get(id);
  }

  private async probe(slot: KubeSlot): Promise<void> {
    if (!this.kc || slot.probing || this.stopped) return;
    slot.probing = true;
    try {
      const own = await configFor(this.kc, slot.env.name);
      const v = await probeCluster(own);
      this.setKube(slot, { state: 'connected', version: v.version, apiVersion: v.platform });
      slot.attempt = 0;
    } catch (e) {
      this.setKube(slot, {
        state: 'unreachable',
        problem:
          `Cannot reach cluster "${slot.env.name}" at ${slot.env.endpoint} (${describeKubeError(e)}). ` +
          'Check that the cluster is running and your kubeconfig credentials are valid; Fleetdeck retries by itself.',
      });
      const delay = KUBE_RETRY_MS[Math.min(slot.attempt++, KUBE_RETRY_MS.length - 1)] ?? 30000;
      slot.timer = setTimeout(() => void this.probe(slot), delay);
      slot.timer.unref?.();
    } finally {
      slot.probing = false;
    }
  }

  private setKube(slot: KubeSlot, s: Pick<Environment, 'state' | 'version' | 'apiVersion' | 'problem'>): void {
    const { version: _v, apiVersion: _a, problem: _p, ...rest } = slot.env;
    slot.env = { ...rest, ...definedOnly(s), since: slot.env.state === s.state ? slot.env.since : Date.now() };
    this.changed();
  }

  private changed(): void {
    if (!this.stopped) this.emit('change', this.list());
  }
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const DOCKER_CAPABILITIES: EnvironmentCapabilities = {
  instanceActions: ['start', 'stop', 'restart', 'remove'],
  scale: true,
  rollingRestart: true,
  terminal: true,
  metrics: ['cpu', 'memory', 'network', 'requests'],
  namespaces: false,
  removable: true,
  activity: true,
  inspect: false,
};

// Restart and remove delete the pod; pod addresses are never contacted, so no request figures.
const KUBE_CAPABILITIES: EnvironmentCapabilities = {
  instanceActions: ['restart', 'remove'],
  scale: true,
  rollingRestart: true,
  terminal: false,
  metrics: ['cpu', 'memory'],
  namespaces: true,
  removable: false,
  activity: false,
  inspect: false,
};

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
  return out;
}
