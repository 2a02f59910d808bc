/**
 * One Kubernetes context as an environment driver. Its connection state tells the truth: while
 * connected, /version is asked every 2 s, so a cluster that goes away shows unreachable within
 * a few seconds, its last list kept (greyed by the window). When it answers again, the
 * informers are made afresh: a full relist, so pods that went meanwhile do not linger as
 * ghosts and replica counts are not added twice.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type * as K8s from '@kubernetes/client-node';
import { ApiError } from '../../common/errors';
import type { ConnectionState, Environment, EnvironmentCapabilities, Instance, InstanceInspect, MetricPoint, Service } from '../../common/model';
import type { EnvironmentDriver, FollowInstance, InstanceAction, MetricsWatch, ServicesLike } from '../env/driver';
import { RetrySchedule } from '../env/retry';
import { toEntry } from '../logs/entry';
import { LineSplitter } from '../logs/lines';
import { sinceFilter } from '../logs/since';
import { onceSynced, whenSynced } from '../sync-gate';
import { clientNode, configFor, describeKubeError, probeCluster } from './kubeconfig';
import { KubeMetricsHub } from './kube-metrics';
import { inspectPod, revealPodEnv } from './kube-inspect';
import { KubeServices } from './kube-services';
import { Terminals } from '../env/terminals';
import { notRunning, podShell } from './kube-terminal';
import { parseServiceId } from './model';
import { log } from '../log';

// Restart and remove delete the pod; pod addresses are never contacted, so no request figures.
const KUBE_CAPABILITIES: EnvironmentCapabilities = {
  instanceActions: ['restart', 'remove'],
  scale: true,
  rollingRestart: true,
  terminal: true,
  metrics: ['cpu', 'memory'],
  namespaces: true,
  removable: false,
  activity: false,
  inspect: true,
};

const RETRY_MS = [1000, 2000, 5000, 15000, 30000];
const HEALTH_MS = 2000;
const HEALTH_TIMEOUT_MS = 2000;
const FIRST_PROBE_TIMEOUT_MS = 5000;

export interface KubeContext {
  name: string;
  /** The server URL as it may be shown (no credentials). */
  server: string;
  namespace: string;
}

export class KubeEnvironment extends EventEmitter<{ change: []; removed: []; synced: [] }> implements EnvironmentDriver {
  readonly kind = 'kubernetes';
  readonly capabilities = KUBE_CAPABILITIES;
  readonly id: string;
  readonly name: string;
  readonly services: ServicesLike & { readonly namespace: string };
  private kc: K8s.KubeConfig | undefined;
  private current: Pick<Environment, 'state' | 'version' | 'apiVersion' | 'problem' | 'since'> = { state: 'connecting', since: Date.now() };
  private readonly retry = new RetrySchedule(RETRY_MS);
  private health: NodeJS.Timeout | undefined;
  private probing = false;
  private stopped = true;
  /** Someone looked at the services: informers cost three watches, so contexts nobody opens have none. */
  private wanted = false;
  private inner: KubeServices | undefined;
  private watchRetry: NodeJS.Timeout | undefined;
  /** The last full list, shown while the cluster is away or being relisted. */
  private snapshot: Service[] = [];
  private synced = false;
  private namespaces: string[] | 'all';
  private readonly problems = new Map<string, Set<(m: string) => void>>();
  private readonly metrics: KubeMetricsHub;

  constructor(
    readonly context: KubeContext,
    private readonly base: K8s.KubeConfig,
    private readonly maxReplicas: number,
    /** The core's registry, so terminal.input/resize/flow find a pod's shell by id alone, as they find a container's. */
    private readonly terminals: Terminals = new Terminals(),
  ) {
    super();
    this.setMaxListeners(0); // every open stream listens for changes and removal
    this.id = `kube:${context.name}`;
    this.name = context.name;
    this.namespaces = [context.namespace];
    this.services = new ServicesView(this);
    this.metrics = new KubeMetricsHub(
      this.services,
      () => this.kc,
      (serviceId, message) => {
        for (const f of this.problems.get(serviceId) ?? []) f(message);
      },
    );
  }

  get state(): ConnectionState {
    return this.current.state;
  }

  get isSynced(): boolean {
    return this.synced;
  }

  /** The namespace pods are looked up in when one is not known from the service (the context's). */
  get namespace(): string {
    return this.namespaces === 'all' ? this.context.namespace : (this.namespaces[0] ?? this.context.namespace);
  }

  describe(): Environment {
    return {
      id: this.id,
      kind: 'kubernetes',
      name: this.name,
      endpoint: this.context.server,
      namespace: this.context.namespace,
      namespaces: this.namespaces === 'all' ? 'all' : [...this.namespaces],
      capabilities: this.capabilities,
      ...this.current,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.retry.cancel();
    clearInterval(this.health);
    clearTimeout(this.watchRetry);
    this.health = undefined;
    this.metrics.close();
    this.dropInner();
  }

  remove(): void {
    this.stop();
    this.emit('removed');
  }

  onRemoved(fn: () => void): () => void {
    this.once('removed', fn);
    return () => this.off('removed', fn);
  }

  reconnect(): void {
    if (this.stopped || this.current.state === 'connected') return;
    this.retry.reset();
    void this.connect();
  }

  async setNamespaces(namespaces: string[] | 'all'): Promise<void> {
    if (namespaces !== 'all' && namespaces.length === 0) throw new ApiError('INVALID_PARAMS', 'Name at least one namespace, or all.');
    // Remembered for the next informers too (after a reconnect); the live ones switch now.
    const inner = this.inner;
    if (inner) await inner.setNamespaces(namespaces);
    this.namespaces = inner ? inner.namespaces : namespaces === 'all' ? 'all' : [...new Set(namespaces)].sort();
    this.emit('change');
    this.changed();
  }

  whenSynced(timeoutMs: number): Promise<boolean> {
    this.use();
    return whenSynced(this, timeoutMs);
  }

  onceSynced(fn: () => void): () => void {
    this.use();
    return onceSynced(this, fn);
  }

  watchMetrics(serviceId: string, onPoint: (p: MetricPoint) => void, onProblem: (message: string) => void): MetricsWatch {
    this.use();
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

  /** pods/exec into the container the pod's service follows (its first), once the pod runs. */
  openTerminal(r: Parameters<EnvironmentDriver['openTerminal']>[0]): () => void {
    const live = this.connected('open a terminal');
    const { instance: pod } = this.services.findInstance(r.instance);
    if (pod.state !== 'running') throw notRunning(pod);
    const ref = live.podRef(pod.id) ?? { ns: this.podNamespace(pod), name: pod.name, container: live.containerOf(pod.name, this.podNamespace(pod)) };
    const running = () => this.list().some((s) => s.instances.some((i) => i.id === pod.id && i.state === 'running'));
    const target = { kc: this.kc!, context: this.name, ns: ref.ns, pod: ref.name, container: ref.container, running };
    return this.terminals.open({ start: podShell(target, { cols: r.cols, rows: r.rows }), emit: r.emit, backlog: r.backlog });
  }

  async inspect(instance: string): Promise<InstanceInspect> {
    this.connected('inspect');
    const { instance: pod } = this.services.findInstance(instance);
    return inspectPod(this.kc!, this.id, this.podNamespace(pod), pod.name);
  }

  async revealEnv(instance: string, name: string): Promise<string> {
    this.connected('inspect');
    const { instance: pod } = this.services.findInstance(instance);
    return revealPodEnv(this.kc!, this.podNamespace(pod), pod.name, name);
  }

  eventsPerSecond(): undefined {
    return undefined;
  }

  /** The live informers, for the services view; undefined while away or being relisted. */
  live(): KubeServices | undefined {
    return this.inner?.isSynced ? this.inner : undefined;
  }

  /** The list to show: the live one, else the last one seen. */
  list(): Service[] {
    const l = this.live();
    if (l) this.snapshot = l.list();
    return this.snapshot;
  }

  /** For actions: they need a cluster that answers now. */
  connected(doing: string): KubeServices {
    const l = this.live();
    if (!l || this.current.state !== 'connected') {
      throw new ApiError('UNREACHABLE', `Cannot ${doing}: ${this.name} is ${this.current.state}.`, 'Wait until it is connected again.');
    }
    return l;
  }

  use(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.watch();
  }

  /** pods/log with follow and timestamps, through the same line splitting and parsing as Docker's. */
  readonly followInstance: FollowInstance = (i, options, onEntries, onEnd) => {
    let stopped = false;
    let abort: AbortController | undefined;
    const out = new PassThrough();
    // client-node pipes the response into `out`; an abort then errors the source: keep it from crashing us.
    out.on('pipe', (src) => src.on('error', () => {}));
    const lines = new LineSplitter();
    const keep = sinceFilter(options);
    out.on('data', (chunk: Buffer) => {
      const entries = lines.push(chunk).map((l) => toEntry(l, i.name, 'stdout'));
      const fresh = keep ? entries.filter(keep) : entries;
      if (fresh.length && !stopped) onEntries(fresh);
    });
    out.on('end', () => !stopped && onEnd());
    void (async () => {
      try {
        const k8s = await clientNode();
        const inner = this.inner;
        if (!this.kc || !inner) throw new Error('not connected yet');
        const ns = this.podNamespace(i);
        abort = await new k8s.Log(this.kc).log(ns, i.name, inner.containerOf(i.name) ?? '', out, {
          follow: true,
          timestamps: true,
          ...(options.sinceMs ? { sinceSeconds: Math.max(1, Math.ceil((Date.now() - options.sinceMs) / 1000)) } : { tailLines: options.tail }),
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

  private podNamespace(i: Instance): string {
    const owner = this.snapshot.find((s) => s.instances.some((x) => x.id === i.id || x.name === i.name));
    return (owner && parseServiceId(owner.id)?.ns) ?? this.namespace;
  }

  private async connect(): Promise<void> {
    if (this.probing || this.stopped) return;
    this.probing = true;
    try {
      this.kc ??= await configFor(this.base, this.name);
      const v = await probeCluster(this.kc, FIRST_PROBE_TIMEOUT_MS);
      if (this.stopped) return;
      this.retry.reset();
      this.set({ state: 'connected', version: v.version, apiVersion: v.platform });
      this.watchHealth();
      this.watch();
    } catch (e) {
      this.lost(e);
    } finally {
      this.probing = false;
    }
  }

  private watchHealth(): void {
    clearInterval(this.health);
    this.health = setInterval(() => this.checkNow(), HEALTH_MS);
    this.health.unref?.();
  }

  private checkNow(): void {
    if (this.probing || !this.kc || this.current.state !== 'connected') return;
    this.probing = true;
    probeCluster(this.kc, HEALTH_TIMEOUT_MS)
      .then(
        () => undefined,
        (e: unknown) => this.lost(e),
      )
      .finally(() => (this.probing = false));
  }

  private lost(e: unknown): void {
    if (this.stopped) return;
    clearInterval(this.health);
    this.health = undefined;
    // The informers would retry on their own and then resume from a resourceVersion of a cluster
    // that may be another one now: drop them; a fresh list follows the reconnect.
    this.list();
    this.dropInner();
    log('kube').warn({ context: this.name, reason: describeKubeError(e) }, 'cluster unreachable');
    this.set({
      state: 'unreachable',
      problem:
        `Cannot reach cluster "${this.name}" at ${this.context.server} (${describeKubeError(e)}). ` +
        'Check that the cluster is running and your kubeconfig credentials are valid; Fleetdeck retries by itself.',
    });
    this.retry.schedule(() => void this.connect());
  }

  /** Informers, made afresh (list, then watch), when someone wants them and the cluster answers. */
  private watch(): void {
    if (!this.wanted || this.stopped || this.inner || !this.kc || this.current.state !== 'connected') return;
    const ns = this.namespaces === 'all' ? this.context.namespace : (this.namespaces[0] ?? this.context.namespace);
    const inner = new KubeServices(this.id, ns, this.maxReplicas);
    // Before start: only remembered, and applied by start's first list.
    void inner.setNamespaces(this.namespaces).catch(() => {});
    this.inner = inner;
    inner.on('change', () => this.inner === inner && this.changed());
    // A failed relist is told at once: ask /version now rather than at the next tick.
    inner.on('health', (h) => {
      if (this.inner === inner && !h.ok && h.error && this.current.state === 'connected') this.checkNow();
    });
    inner.start(this.kc).then(
      () => {
        if (this.inner !== inner) return;
        this.changed();
        if (!this.synced) {
          this.synced = true;
          this.emit('synced');
        }
      },
      () => {
        if (this.inner !== inner) return;
        this.dropInner();
        // The health probe says whether the cluster went; if it did not, list again shortly.
        clearTimeout(this.watchRetry);
        this.watchRetry = setTimeout(() => this.watch(), 2000);
        this.watchRetry.unref?.();
      },
    );
  }

  private dropInner(): void {
    const inner = this.inner;
    this.inner = undefined;
    inner?.stop();
  }

  private changed(): void {
    this.list();
    this.servicesChanged();
  }

  private servicesChanged(): void {
    (this.services as ServicesView).emit('change');
  }

  private set(s: Pick<Environment, 'state' | 'version' | 'apiVersion' | 'problem'>): void {
    const since = this.current.state === s.state ? this.current.since : Date.now();
    const next = { ...definedOnly(s), since };
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    this.current = next;
    this.emit('change');
    this.servicesChanged(); // the list itself may not change, but whether it is live did
  }
}

/** The services of the context, the same object however often the informers are made afresh. */
class ServicesView extends EventEmitter<{ change: [] }> implements ServicesLike {
  constructor(private readonly env: KubeEnvironment) {
    super();
    this.setMaxListeners(0);
  }

  get envId(): string {
    return this.env.id;
  }

  get namespace(): string {
    return this.env.namespace;
  }

  override on(event: 'change', fn: () => void): this {
    this.env.use();
    return super.on(event, fn);
  }

  list(): Service[] {
    this.env.use();
    return this.env.list();
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
    throw new ApiError('NOT_FOUND', `No pod "${ref}" in ${this.env.name}.`, 'It may have been replaced; the list is current.');
  }

  async scale(id: string, replicas: number): Promise<Service> {
    return this.env.connected('scale').scale(id, replicas);
  }

  async rollingRestart(id: string): Promise<Service> {
    return this.env.connected('restart').rollingRestart(id);
  }

  async instanceAction(ref: string, action: InstanceAction): Promise<void> {
    return this.env.connected(action).instanceAction(ref, action);
  }
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
