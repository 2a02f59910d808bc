/**
 * CPU and memory of a workload's pods from metrics.k8s.io (metrics-server), polled while
 * anyone watches. Request figures would need the pods' own /metrics, which lie on pod
 * addresses Fleetdeck never contacts; when the context names a Prometheus, they come from its
 * PromQL instead (prometheus/pod-figures.ts), else a Kubernetes service charts CPU and memory.
 */
import type * as K8s from '@kubernetes/client-node';
import type { MetricPoint } from '../../common/model';
import { clientNode } from './kubeconfig';
import type { ServicesLike } from '../env/driver';
import { parseServiceId } from './model';
import { parseQuantity } from './quantity';
import { fillRequestFigures, podRequestFigures } from '../prometheus/pod-figures';

const RING = 300;
const POLL_MS = 2000;

export class KubeMetricsHub {
  private readonly watched = new Map<string, { ring: MetricPoint[]; listeners: Set<(p: MetricPoint) => void> }>();
  private timer: NodeJS.Timeout | undefined;
  private problem: string | undefined;
  /** Why the context's Prometheus gave no request figures, told once. */
  private requestsProblem: string | undefined;

  constructor(
    private readonly services: Pick<ServicesLike, 'list'> & { readonly namespace: string },
    private readonly kc: () => K8s.KubeConfig | undefined,
    private readonly onProblem: (serviceId: string, message: string) => void,
  ) {}

  watch(serviceId: string, listener: (p: MetricPoint) => void): { history: MetricPoint[]; stop: () => void } {
    let w = this.watched.get(serviceId);
    if (!w) this.watched.set(serviceId, (w = { ring: [], listeners: new Set() }));
    w.listeners.add(listener);
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll(), POLL_MS);
      void this.poll();
    }
    const entry = w;
    return {
      history: [...entry.ring],
      stop: () => {
        entry.listeners.delete(listener);
        if (entry.listeners.size === 0) this.watched.delete(serviceId);
        if (this.watched.size === 0) this.close();
      },
    };
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    const kc = this.kc();
    if (!kc || this.watched.size === 0) return;
    const items: { ns: string; m: K8s.PodMetric }[] = [];
    const nsOf = (id: string) => parseServiceId(id)?.ns ?? this.services.namespace;
    const requests = await podRequestFigures([...this.watched.keys()], nsOf);
    if (requests?.problem && requests.problem !== this.requestsProblem) for (const id of this.watched.keys()) this.onProblem(id, requests.problem);
    this.requestsProblem = requests?.problem;
    try {
      const k8s = await clientNode();
      const metrics = new k8s.Metrics(kc);
      // Per namespace of the watched services: a context may watch several.
      const namespaces = new Set([...this.watched.keys()].map((id) => parseServiceId(id)?.ns ?? this.services.namespace));
      for (const ns of namespaces) items.push(...(await metrics.getPodMetrics(ns)).items.map((m) => ({ ns, m })));
      this.problem = undefined;
    } catch (e) {
      const code = (e as { code?: number }).code;
      const message =
        code === 404
          ? 'This cluster serves no metrics.k8s.io: install metrics-server to see CPU and memory.'
          : 'The cluster did not answer for pod metrics; Fleetdeck keeps trying.';
      if (message !== this.problem) for (const id of this.watched.keys()) this.onProblem(id, message);
      this.problem = message;
      if (!requests?.figures) return; // with a Prometheus, its request figures still come
    }
    const byPod = new Map(items.map(({ ns, m }) => [`${ns}/${m.metadata.name}`, m]));
    for (const [serviceId, w] of this.watched) {
      const svc = this.services.list().find((s) => s.id === serviceId);
      if (!svc) continue;
      const point: MetricPoint = { t: Date.now(), cpuPercent: 0, memMiB: 0, instances: {} };
      const ns = parseServiceId(serviceId)?.ns ?? this.services.namespace;
      for (const i of svc.instances) {
        const m = byPod.get(`${ns}/${i.name}`);
        if (!m) continue;
        const cores = m.containers.reduce((n, c) => n + (parseQuantity(c.usage.cpu) || 0), 0);
        const mem = m.containers.reduce((n, c) => n + (parseQuantity(c.usage.memory) || 0), 0) / (1 << 20);
        point.cpuPercent += cores * 100;
        point.memMiB += mem;
        point.instances[i.name] = { cpuPercent: Math.round(cores * 10000) / 100, memMiB: Math.round(mem * 100) / 100 };
      }
      const pods = svc.instances.map((i) => i.name);
      if (requests?.figures) fillRequestFigures(point, ns, pods, requests.figures);
      point.cpuPercent = Math.round(point.cpuPercent * 100) / 100;
      point.memMiB = Math.round(point.memMiB * 100) / 100;
      w.ring.push(point);
      if (w.ring.length > RING) w.ring.shift();
      for (const l of w.listeners) l(point);
    }
  }
}
