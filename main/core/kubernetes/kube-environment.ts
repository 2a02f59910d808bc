/** One Kubernetes context as an environment of services: its workloads, and its pods' logs. */
import { PassThrough } from 'node:stream';
import type * as K8s from '@kubernetes/client-node';
import { toEntry } from '../logs/entry';
import { LineSplitter } from '../logs/lines';
import type { FollowInstance, ServiceEnv } from '../service-env';
import { clientNode, configFor } from './kubeconfig';
import { KubeMetricsHub } from './kube-metrics';
import { KubeServices } from './kube-services';
import type { MetricPoint } from '../../common/model';

export class KubeEnvironment implements ServiceEnv {
  readonly kind = 'kubernetes';
  readonly services: KubeServices;
  private kc: K8s.KubeConfig | undefined;
  private readonly problems = new Map<string, Set<(m: string) => void>>();
  private readonly metrics: KubeMetricsHub;

  constructor(
    readonly id: string,
    readonly name: string,
    private readonly base: K8s.KubeConfig,
    readonly namespace: string,
    maxReplicas: number,
  ) {
    this.services = new KubeServices(id, namespace, maxReplicas);
    this.metrics = new KubeMetricsHub(this.services, () => this.kc, (serviceId, message) => {
      for (const f of this.problems.get(serviceId) ?? []) f(message);
    });
  }

  watchMetrics(serviceId: string, onPoint: (p: MetricPoint) => void, onProblem: (message: string) => void) {
    let set = this.problems.get(serviceId);
    if (!set) this.problems.set(serviceId, (set = new Set()));
    set.add(onProblem);
    const w = this.metrics.watch(serviceId, onPoint);
    const own = set;
    return {
      history: w.history,
      stop: () => {
        own.delete(onProblem);
        w.stop();
      },
    };
  }

  async start(): Promise<void> {
    this.kc = await configFor(this.base, this.name);
    await this.services.start(this.kc);
  }

  stop(): void {
    this.metrics.close();
    this.services.stop();
  }

  whenSynced(timeoutMs: number): Promise<boolean> {
    return this.services.whenSynced(timeoutMs);
  }

  onceSynced(fn: () => void): () => void {
    return this.services.onceSynced(fn);
  }

  onRemoved(): () => void {
    return () => {}; // contexts come from kubeconfig; they are not removed from the panel
  }

  /** pods/log with follow and timestamps, through the same line splitting and parsing as Docker's. */
  readonly followInstance: FollowInstance = (i, options, onEntries, onEnd) => {
    let stopped = false;
    let abort: AbortController | undefined;
    const out = new PassThrough();
    // client-node pipes the response into `out`; an abort then errors the source: keep it from crashing us.
    out.on('pipe', (src) => src.on('error', () => {}));
    const lines = new LineSplitter();
    out.on('data', (chunk: Buffer) => {
      const entries = lines.push(chunk).map((l) => toEntry(l, i.name, 'stdout'));
      const fresh = options.sinceMs ? entries.filter((e) => e.t > options.sinceMs!) : entries;
      if (fresh.length && !stopped) onEntries(fresh);
    });
    out.on('end', () => !stopped && onEnd());
    void (async () => {
      try {
        const k8s = await clientNode();
        const container = this.services.containerOf(i.name);
        if (!this.kc) throw new Error('not connected yet');
        abort = await new k8s.Log(this.kc).log(this.namespace, i.name, container ?? '', out, {
          follow: true,
          timestamps: true,
          tailLines: options.tail,
          ...(options.sinceMs ? { sinceSeconds: Math.max(1, Math.ceil((Date.now() - options.sinceMs) / 1000)) } : {}),
        });
        if (stopped) abort.abort();
      } catch (e) {
        if (!stopped) onEnd(e as Error);
      }
    })();
    return () => {
      stopped = true;
      abort?.abort();
      out.destroy();
    };
  };
}
