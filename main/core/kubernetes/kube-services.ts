/**
 * The services of one Kubernetes context, in the namespaces picked for it: list+watch
 * (`list-watch.ts`) on Deployments, StatefulSets and Pods, either cluster-wide or one set per
 * namespace; services rebuilt incrementally (`service-index.ts`); scaling through the scale
 * subresource; a rolling restart as `kubectl rollout restart` does it.
 */
import { EventEmitter } from 'node:events';
import type * as K8s from '@kubernetes/client-node';
import { ApiError } from '../../common/errors';
import type { Instance, Service } from '../../common/model';
import { clientNode, describeKubeError } from './kubeconfig';
import { ListWatch, type ListPage, type ListWatchHealth } from './list-watch';
import { parseServiceId, rolloutProgress } from './model';
import { ServiceIndex } from './service-index';
import { onceSynced, whenSynced } from '../sync-gate';

/**
 * Whether the watches of this context are answering, for the connection state. Emitted as
 * `'health'` whenever `ok` or `error` changes:
 *   ok: true  — every watch has listed since its last failure (the view equals the cluster);
 *   ok: false — some list or watch failed and has not recovered (API gone, 401/403, …);
 *               `error` says what, in words fit for the UI (no URLs with credentials).
 * `since` is when `ok` last changed (ms since epoch). A watch that merely drops is relisted at
 * once and not reported; a failed relist is reported at once (within ~0.3 s of the API going away),
 * a hanging one after 1.5 s. Retries run every 0.25 → 2 s until the API answers again.
 */
export interface KubeHealth {
  ok: boolean;
  error?: string;
  since: number;
}

/** `'all'`, or the chosen namespaces (an empty set watches nothing). */
export type NamespaceChoice = string[] | 'all';

const ALL = '*';
/** Kubernetes' own default progressDeadlineSeconds: how long a rollout may take before it is said to be stuck. */
const ROLLOUT_TIMEOUT_MS = 600_000;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

interface Source {
  watches: ListWatch<K8s.KubernetesObject>[];
}

export class KubeServices extends EventEmitter<{ change: []; synced: []; health: [KubeHealth] }> {
  private apps: K8s.AppsV1Api | undefined;
  private core: K8s.CoreV1Api | undefined;
  private kc: K8s.KubeConfig | undefined;
  private readonly index: ServiceIndex;
  private readonly sources = new Map<string, Source>();
  private wanted: NamespaceChoice;
  private synced = false;
  private stopped = false;
  private debounce: NodeJS.Timeout | undefined;
  private healthState: KubeHealth = { ok: false, since: Date.now() };
  private nsChange: Promise<void> = Promise.resolve();

  constructor(
    readonly envId: string,
    /** The context's own namespace: what is watched until another choice is made. */
    readonly namespace: string,
    private readonly maxReplicas: number,
  ) {
    super();
    this.setMaxListeners(0); // every open log, metrics and services stream listens for changes
    this.index = new ServiceIndex(envId);
    this.wanted = [namespace];
  }

  /** `kc` is this context's own KubeConfig (client-node takes credentials from the current context). */
  async start(kc: K8s.KubeConfig): Promise<void> {
    this.kc = kc;
    const k8s = await clientNode();
    this.apps = kc.makeApiClient(k8s.AppsV1Api);
    this.core = kc.makeApiClient(k8s.CoreV1Api);
    await this.apply(this.wanted);
    this.synced = true;
    this.changed();
    this.emit('synced');
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.debounce);
    for (const s of this.sources.values()) for (const w of s.watches) w.stop();
    this.sources.clear();
  }

  get isSynced(): boolean {
    return this.synced;
  }

  get health(): KubeHealth {
    return this.healthState;
  }

  /** What is watched now. */
  get namespaces(): NamespaceChoice {
    return this.wanted === 'all' ? 'all' : [...this.wanted];
  }

  /**
   * Watch every namespace (`'all'`: cluster-wide lists and watches, which need RBAC for them) or
   * just these. Watches no longer needed stop and their services go; new ones are listed before
   * this resolves (or have failed once: they retry, and 'health' says so). Services in namespaces
   * covered both before and after stay as they are (same objects). Calls run one after another.
   */
  setNamespaces(choice: NamespaceChoice): Promise<void> {
    let next: NamespaceChoice;
    if (choice === 'all') next = 'all';
    else {
      const bad = choice.find((n) => !DNS1123_LABEL.test(n));
      if (bad !== undefined) return Promise.reject(new ApiError('INVALID_PARAMS', `"${bad}" is not a namespace name.`));
      next = [...new Set(choice)].sort();
    }
    this.wanted = next;
    if (!this.kc) return Promise.resolve(); // start() applies it
    this.nsChange = this.nsChange.then(() => (this.stopped ? undefined : this.apply(next)));
    return this.nsChange;
  }

  private async apply(choice: NamespaceChoice): Promise<void> {
    const keys = choice === 'all' ? [ALL] : choice;
    const old = [...this.sources.keys()].filter((k) => !keys.includes(k));
    // Old watches stop first, so none of their events land after their objects are dropped; those
    // objects stay listed until the new lists are in, which take over what they cover.
    for (const k of old) for (const w of this.sources.get(k)!.watches) w.stop();
    const fresh = keys.filter((k) => !this.sources.has(k));
    await Promise.all(fresh.map((k) => this.startSource(k)));
    for (const k of old) {
      this.sources.delete(k);
      this.index.dropSource(k);
    }
    this.updateHealth();
    this.changed();
  }

  private startSource(key: string): Promise<void> {
    const apps = this.apps!;
    const core = this.core!;
    const kc = this.kc!;
    const all = key === ALL;
    const base = (group: string, res: string) => (all ? `${group}/${res}` : `${group}/namespaces/${key}/${res}`);
    const idx = this.index;
    const onHealth = () => this.updateHealth();
    const onChange = () => this.changed();
    const page = <T>(p: Promise<T>) => p as unknown as Promise<ListPage<never>>;
    const deployments = new ListWatch<K8s.V1Deployment>(
      kc,
      base('/apis/apps/v1', 'deployments'),
      (limit, cont) =>
        page(all ? apps.listDeploymentForAllNamespaces({ limit, _continue: cont }) : apps.listNamespacedDeployment({ namespace: key, limit, _continue: cont })),
      {
        upsert: (o, seen) => idx.upsertWorkload(o, 'deployment', key, seen),
        remove: (o) => idx.removeWorkload(o, 'deployment'),
        sweep: (seen) => idx.sweepWorkloads('deployment', key, seen),
      },
      onHealth,
      onChange,
    );
    const statefulSets = new ListWatch<K8s.V1StatefulSet>(
      kc,
      base('/apis/apps/v1', 'statefulsets'),
      (limit, cont) =>
        page(
          all ? apps.listStatefulSetForAllNamespaces({ limit, _continue: cont }) : apps.listNamespacedStatefulSet({ namespace: key, limit, _continue: cont }),
        ),
      {
        upsert: (o, seen) => idx.upsertWorkload(o, 'statefulset', key, seen),
        remove: (o) => idx.removeWorkload(o, 'statefulset'),
        sweep: (seen) => idx.sweepWorkloads('statefulset', key, seen),
      },
      onHealth,
      onChange,
    );
    const pods = new ListWatch<K8s.V1Pod>(
      kc,
      base('/api/v1', 'pods'),
      (limit, cont) =>
        page(all ? core.listPodForAllNamespaces({ limit, _continue: cont }) : core.listNamespacedPod({ namespace: key, limit, _continue: cont })),
      {
        upsert: (o, seen) => idx.upsertPod(o, key, seen),
        remove: (o) => idx.removePod(o),
        sweep: (seen) => idx.pods.sweep(key, seen),
      },
      onHealth,
      onChange,
    );
    const watches = [deployments, statefulSets, pods] as ListWatch<K8s.KubernetesObject>[];
    this.sources.set(key, { watches });
    return Promise.all(watches.map((w) => w.start())).then(() => undefined);
  }

  private updateHealth(): void {
    const hs: ListWatchHealth[] = [];
    for (const s of this.sources.values()) for (const w of s.watches) hs.push(w.health);
    const bad = hs.find((h) => !h.ok);
    const ok = !bad;
    const error = bad?.error ?? (ok ? undefined : 'not listed yet');
    if (ok === this.healthState.ok && error === this.healthState.error) return;
    this.healthState = { ok, ...(error ? { error } : {}), since: ok === this.healthState.ok ? this.healthState.since : Date.now() };
    if (!this.stopped) this.emit('health', this.healthState);
  }

  /** The services of the watched namespaces; the same array until something changes, unchanged services reused. */
  list(): Service[] {
    return this.index.list();
  }

  get(id: string): Service {
    const s = this.index.get(id);
    if (!s) throw new ApiError('NOT_FOUND', `No workload "${id}".`, 'It may have been deleted; pick one from the list.');
    return s;
  }

  findInstance(ref: string): { service: Service; instance: Instance } {
    for (const service of this.list()) {
      for (const instance of service.instances) if (instance.id === ref || instance.name === ref) return { service, instance };
    }
    throw new ApiError('NOT_FOUND', `No pod "${ref}" in ${this.describeNamespaces()}.`, 'It may have been replaced; the list is current.');
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
    } catch (e) {
      throw kubeActionError(e, `scale ${svc.name}`);
    } finally {
      this.setOp(id, undefined);
    }
    return this.get(id);
  }

  /**
   * As `kubectl rollout restart`: a new template annotation makes the controller replace every
   * pod. Resolves once the rollout is over, as `kubectl rollout status` waits, saying its progress
   * in words meanwhile, the way Docker's rolling restart does.
   */
  async rollingRestart(id: string, timeoutMs = ROLLOUT_TIMEOUT_MS): Promise<Service> {
    const svc = this.get(id);
    const k8s = await clientNode();
    const w = parseServiceId(id)!;
    const body = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } };
    const opts = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
    let generation: number;
    this.setOp(id, { kind: 'rolling-restart', message: 'Asking the controller to replace the pods…' });
    try {
      const patched =
        w.kind === 'deployment'
          ? await this.apps!.patchNamespacedDeployment({ name: w.name, namespace: w.ns, body }, opts)
          : await this.apps!.patchNamespacedStatefulSet({ name: w.name, namespace: w.ns, body }, opts);
      generation = patched.metadata?.generation ?? 0;
    } catch (e) {
      this.setOp(id, undefined);
      throw kubeActionError(e, `restart ${svc.name}`);
    }
    try {
      // The workload the watch last delivered: until it carries the patched generation, its status is the old rollout's.
      const progress = () => {
        const cur = this.index.workload(w.ns, w.kind, w.name);
        if (!cur) return { done: true, gone: true, message: '' };
        if (cur.rollout.generation < generation) return { done: false, gone: false, message: 'Waiting for the controller to see the new template…' };
        return { ...rolloutProgress(cur), gone: false };
      };
      let said = '';
      const say = () => {
        const p = progress();
        if (!p.done && p.message !== said) this.setOp(id, { kind: 'rolling-restart', message: (said = p.message) });
        return p.done;
      };
      const done = await this.waitFor(say, timeoutMs);
      if (progress().gone) throw new ApiError('NOT_FOUND', `${svc.name} was deleted during its rollout.`);
      if (!done) {
        throw new ApiError(
          'TIMEOUT',
          `The rollout of ${svc.name} did not finish within ${Math.round(timeoutMs / 1000)} s (${progress().message.replace(/…$/, '')}).`,
          `It goes on in the cluster; see its pods' events (Inspect) or kubectl rollout status ${w.kind}/${w.name} -n ${w.ns}.`,
        );
      }
    } finally {
      this.setOp(id, undefined);
    }
    return this.get(id);
  }

  /** Pods are restarted or removed by deleting them (their controller makes a new one); they cannot be stopped. */
  async instanceAction(ref: string, action: 'start' | 'stop' | 'restart' | 'remove'): Promise<void> {
    const { service, instance } = this.findInstance(ref);
    if (action === 'start' || action === 'stop') {
      throw new ApiError(
        'INVALID_PARAMS',
        `A pod cannot be ${action === 'stop' ? 'stopped' : 'started'} on its own.`,
        'Scale its workload instead, or restart the pod.',
      );
    }
    try {
      const ns = this.index.pods.getByUid(instance.id)?.ns ?? parseServiceId(service.id)?.ns ?? this.namespace;
      await this.core!.deleteNamespacedPod({ name: this.index.pods.getByUid(instance.id)?.name ?? instance.name, namespace: ns });
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
  containerOf(podName: string, ns?: string): string | undefined {
    return this.podRef(podName, ns)?.container;
  }

  /** Where a pod (by name or uid) lives, with its raw name, for logs and actions across namespaces. */
  podRef(ref: string, ns?: string): { ns: string; name: string; container: string | undefined } | undefined {
    const pods = this.index.pods;
    const rec = (ns ? pods.get(ns, ref) : pods.get(this.namespace, ref)) ?? pods.getByUid(ref) ?? pods.findByName(ref);
    return rec && { ns: rec.ns, name: rec.name, container: rec.container };
  }

  private describeNamespaces(): string {
    return this.wanted === 'all' ? 'any namespace' : this.wanted.join(', ') || 'no namespace';
  }

  private workloadReplicas(id: string): number | undefined {
    const w = parseServiceId(id);
    return w ? this.index.workload(w.ns, w.kind, w.name)?.replicas : undefined;
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
    this.index.setOp(id, op);
    this.emit('change');
  }

  /** Events come in bursts (a rollout touches many objects, a list brings pages): one 'change' per burst. */
  private changed(): void {
    if (this.stopped) return;
    this.debounce ??= setTimeout(() => {
      this.debounce = undefined;
      this.emit('change');
    }, 10);
  }
}

function kubeActionError(e: unknown, doing: string): ApiError {
  if (e instanceof ApiError) return e;
  const code = (e as { code?: unknown }).code;
  if (code === 404) return new ApiError('NOT_FOUND', `Could not ${doing}: it no longer exists.`, 'The list is current again.');
  if (code === 409) return new ApiError('CONFLICT', `Could not ${doing}: it changed meanwhile.`, 'Try again.');
  if (code === 403)
    return new ApiError('FORBIDDEN', `Could not ${doing}: your kubeconfig user may not.`, 'Ask for the RBAC permission, or use another context.');
  if (code === 422) return new ApiError('INVALID_PARAMS', `Could not ${doing}: the cluster refused the change.`);
  return new ApiError('UNREACHABLE', `Could not ${doing}: ${describeKubeError(e)}.`, 'Check that the cluster is reachable, then try again.');
}
