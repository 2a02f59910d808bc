/**
 * The services of one Kubernetes context and namespace: informers (list, then watch, resumed
 * and relisted by client-node) on Deployments, StatefulSets and Pods; scaling through the scale
 * subresource; a rolling restart as `kubectl rollout restart` does it.
 */
import { EventEmitter } from 'node:events';
import type * as K8s from '@kubernetes/client-node';
import { ApiError } from '../../common/errors';
import type { Instance, Service } from '../../common/model';
import { clientNode, describeKubeError } from './kubeconfig';
import { parseServiceId, workloadToService } from './model';
import { onceSynced, whenSynced } from '../sync-gate';

type Informer<T extends K8s.KubernetesObject> = K8s.Informer<T> & K8s.ObjectCache<T>;

export class KubeServices extends EventEmitter<{ change: []; synced: [] }> {
  private deployments: Informer<K8s.V1Deployment> | undefined;
  private statefulSets: Informer<K8s.V1StatefulSet> | undefined;
  private pods: Informer<K8s.V1Pod> | undefined;
  private apps: K8s.AppsV1Api | undefined;
  private core: K8s.CoreV1Api | undefined;
  private cache: Service[] | undefined;
  private synced = false;
  private stopped = false;
  private readonly ops = new Map<string, NonNullable<Service['operation']>>();
  private readonly retries = new Set<NodeJS.Timeout>();
  private debounce: NodeJS.Timeout | undefined;

  private kc!: K8s.KubeConfig;

  constructor(
    readonly envId: string,
    readonly namespace: string,
    private readonly maxReplicas: number,
  ) {
    super();
    this.setMaxListeners(0); // every open log, metrics and services stream listens for changes
  }

  /** `kc` is this context's own KubeConfig (client-node takes credentials from the current context). */
  async start(kc: K8s.KubeConfig): Promise<void> {
    this.kc = kc;
    const k8s = await clientNode();
    const apps = (this.apps = this.kc.makeApiClient(k8s.AppsV1Api));
    const core = (this.core = this.kc.makeApiClient(k8s.CoreV1Api));
    const ns = this.namespace;
    this.deployments = k8s.makeInformer(this.kc, `/apis/apps/v1/namespaces/${ns}/deployments`, () => apps.listNamespacedDeployment({ namespace: ns }));
    this.statefulSets = k8s.makeInformer(this.kc, `/apis/apps/v1/namespaces/${ns}/statefulsets`, () => apps.listNamespacedStatefulSet({ namespace: ns }));
    this.pods = k8s.makeInformer(this.kc, `/api/v1/namespaces/${ns}/pods`, () => core.listNamespacedPod({ namespace: ns }));
    for (const inf of [this.deployments, this.statefulSets, this.pods] as Informer<K8s.KubernetesObject>[]) {
      for (const ev of ['add', 'update', 'delete'] as const) inf.on(ev, () => this.changed());
      // client-node's informer stops on errors other than 410/timeouts: start it again, calmly.
      inf.on('error', () => {
        if (this.stopped) return;
        const t = setTimeout(() => {
          this.retries.delete(t);
          if (!this.stopped) void inf.start().catch(() => {});
        }, 2000);
        this.retries.add(t);
      });
    }
    await Promise.all([this.deployments.start(), this.statefulSets.start(), this.pods.start()]);
    this.synced = true;
    this.changed();
    this.emit('synced');
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.retries) clearTimeout(t);
    clearTimeout(this.debounce);
    for (const inf of [this.deployments, this.statefulSets, this.pods]) void inf?.stop().catch(() => {});
  }

  get isSynced(): boolean {
    return this.synced;
  }

  list(): Service[] {
    if (!this.cache) {
      const pods = this.pods?.list() ?? [];
      const op = (id: string) => this.ops.get(id);
      const envId = this.envId;
      const deps = (this.deployments?.list() ?? []).map((d) => {
        const s = workloadToService(envId, d, 'deployment', pods);
        return op(s.id) ? workloadToService(envId, d, 'deployment', pods, op(s.id)) : s;
      });
      const sets = (this.statefulSets?.list() ?? []).map((d) => {
        const s = workloadToService(envId, d, 'statefulset', pods);
        return op(s.id) ? workloadToService(envId, d, 'statefulset', pods, op(s.id)) : s;
      });
      this.cache = [...deps, ...sets].sort((a, b) => a.name.localeCompare(b.name) || a.group.localeCompare(b.group));
    }
    return this.cache;
  }

  get(id: string): Service {
    const s = this.list().find((x) => x.id === id);
    if (!s) throw new ApiError('NOT_FOUND', `No workload "${id}".`, 'It may have been deleted; pick one from the list.');
    return s;
  }

  findInstance(ref: string): { service: Service; instance: Instance } {
    for (const service of this.list()) {
      for (const instance of service.instances) if (instance.id === ref || instance.name === ref) return { service, instance };
    }
    throw new ApiError('NOT_FOUND', `No pod "${ref}" in ${this.namespace}.`, 'It may have been replaced; the list is current.');
  }

  async scale(id: string, target: number): Promise<Service> {
    const svc = this.get(id);
    if (!Number.isInteger(target) || target < 0) throw new ApiError('INVALID_PARAMS', `Replicas must be a whole number of 0 or more, not ${target}.`);
    if (target > this.maxReplicas) {
      throw new ApiError('INVALID_PARAMS', `At most ${this.maxReplicas} replicas per service.`, 'Set FLEETDECK_MAX_REPLICAS to allow more.');
    }
    const k8s = await clientNode();
    const w = parseServiceId(id)!;
    this.setOp(id, { kind: 'scale', target, message: `Scaling ${svc.desired} → ${target}…` });
    try {
      const body = { spec: { replicas: target } };
      const opts = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
      if (w.kind === 'deployment') await this.apps!.patchNamespacedDeploymentScale({ name: w.name, namespace: w.ns, body }, opts);
      else await this.apps!.patchNamespacedStatefulSetScale({ name: w.name, namespace: w.ns, body }, opts);
      // The cluster converges by itself; we are done when the workload says it wants `target`.
      await this.waitFor(() => this.list().find((s) => s.id === id && !s.operation)?.desired === target || this.workloadReplicas(id) === target, 10_000);
      return this.get(id);
    } catch (e) {
      throw kubeActionError(e, `scale ${svc.name}`);
    } finally {
      this.setOp(id, undefined);
    }
  }

  /** As `kubectl rollout restart`: a new template annotation makes the controller replace every pod. */
  async rollingRestart(id: string): Promise<Service> {
    const svc = this.get(id);
    const k8s = await clientNode();
    const w = parseServiceId(id)!;
    const body = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } };
    const opts = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
    try {
      if (w.kind === 'deployment') await this.apps!.patchNamespacedDeployment({ name: w.name, namespace: w.ns, body }, opts);
      else await this.apps!.patchNamespacedStatefulSet({ name: w.name, namespace: w.ns, body }, opts);
    } catch (e) {
      throw kubeActionError(e, `restart ${svc.name}`);
    }
    return this.get(id);
  }

  /** Pods are restarted or removed by deleting them (their controller makes a new one); they cannot be stopped. */
  async instanceAction(ref: string, action: 'start' | 'stop' | 'restart' | 'remove'): Promise<void> {
    const { instance } = this.findInstance(ref);
    if (action === 'start' || action === 'stop') {
      throw new ApiError('INVALID_PARAMS', `A pod cannot be ${action === 'stop' ? 'stopped' : 'started'} on its own.`, 'Scale its workload instead, or restart the pod.');
    }
    try {
      await this.core!.deleteNamespacedPod({ name: instance.name, namespace: this.namespace });
    } catch (e) {
      throw kubeActionError(e, `${action} ${instance.name}`);
    }
  }

  /** Resolves true once the first full list is in (at once if it is), false after `timeoutMs`. */
  whenSynced(timeoutMs = 30_000): Promise<boolean> {
    return whenSynced(this, timeoutMs);
  }

  /** Calls `fn` once synced; returns how to stop waiting. */
  onceSynced(fn: () => void): () => void {
    return onceSynced(this, fn);
  }

  /** The pod's first container: pods/log needs one named when a pod has several. */
  containerOf(podName: string): string | undefined {
    return this.pods?.get(podName, this.namespace)?.spec?.containers?.[0]?.name;
  }

  private workloadReplicas(id: string): number | undefined {
    const w = parseServiceId(id);
    if (!w) return undefined;
    const inf = w.kind === 'deployment' ? this.deployments : this.statefulSets;
    return (inf?.get(w.name, w.ns) as K8s.V1Deployment | undefined)?.spec?.replicas;
  }

  private waitFor(pred: () => boolean, ms: number): Promise<boolean> {
    if (pred()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!pred()) return;
        clearTimeout(t);
        this.off('change', check);
        resolve(true);
      };
      const t = setTimeout(() => {
        this.off('change', check);
        resolve(pred());
      }, ms);
      this.on('change', check);
    });
  }

  private setOp(id: string, op: Service['operation'] | undefined): void {
    if (op) this.ops.set(id, op);
    else this.ops.delete(id);
    this.cache = undefined;
    this.emit('change');
  }

  /** Informer events come in bursts (a rollout touches many objects): one recompute per burst. */
  private changed(): void {
    this.cache = undefined;
    this.debounce ??= setTimeout(() => {
      this.debounce = undefined;
      this.cache = undefined;
      this.emit('change');
    }, 10);
  }
}

function kubeActionError(e: unknown, doing: string): ApiError {
  if (e instanceof ApiError) return e;
  const code = (e as { code?: unknown }).code;
  if (code === 404) return new ApiError('NOT_FOUND', `Could not ${doing}: it no longer exists.`, 'The list is current again.');
  if (code === 409) return new ApiError('CONFLICT', `Could not ${doing}: it changed meanwhile.`, 'Try again.');
  if (code === 403) return new ApiError('FORBIDDEN', `Could not ${doing}: your kubeconfig user may not.`, 'Ask for the RBAC permission, or use another context.');
  if (code === 422) return new ApiError('INVALID_PARAMS', `Could not ${doing}: the cluster refused the change.`);
  return new ApiError('UNREACHABLE', `Could not ${doing}: ${describeKubeError(e)}.`, 'Check that the cluster is reachable, then try again.');
}
