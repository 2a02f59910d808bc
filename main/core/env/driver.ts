/**
 * What Fleetdeck needs of any environment, Docker engine or Kubernetes context alike. Everything
 * above env/ talks to this interface only: a feature one driver lacks is a capability it
 * declares false (and a clear ApiError when asked anyway), never a branch on the kind.
 */
import type { TerminalEvent } from '../../common/api';
import type {
  ConnectionState,
  Environment,
  EnvironmentCapabilities,
  EnvironmentKind,
  Instance,
  InstanceInspect,
  LogEntry,
  MetricPoint,
  Service,
} from '../../common/model';

export type InstanceAction = EnvironmentCapabilities['instanceActions'][number];

/** An environment's services: the panel asks the same questions of a Compose service and of a Deployment. */
export interface ServicesLike {
  readonly envId: string;
  on(event: 'change', fn: () => void): unknown;
  off(event: 'change', fn: () => void): unknown;
  list(): Service[];
  get(id: string): Service;
  findInstance(ref: string): { service: Service; instance: Instance };
  scale(id: string, replicas: number): Promise<Service>;
  rollingRestart(id: string): Promise<Service>;
  instanceAction(ref: string, action: InstanceAction): Promise<void>;
}

export interface FollowOptions {
  /** Lines of history first (ignored with sinceMs: then all the lines since). */
  tail: number;
  /** Only lines after this (ms since epoch), or from it on with sinceInclusive. */
  sinceMs?: number;
  sinceInclusive?: boolean;
  /** The log store's follower: it takes the engine's history but does not make a shared stream keep it. */
  forStore?: boolean;
}

/** Follows one instance's log lines (history first); returns how to stop. */
export type FollowInstance = (instance: Instance, options: FollowOptions, onEntries: (e: LogEntry[]) => void, onEnd: (error?: Error) => void) => () => void;

export interface MetricsWatch {
  history: MetricPoint[];
  stop: () => void;
}

export interface TerminalRequest {
  instance: string;
  cols: number;
  rows: number;
  emit: (e: TerminalEvent) => void;
  /** Bytes queued towards the viewer, for flow control. */
  backlog: () => number;
}

export interface EnvironmentDriver {
  readonly id: string;
  readonly name: string;
  readonly kind: EnvironmentKind;
  readonly capabilities: EnvironmentCapabilities;
  /** The connection as it is now; 'change' is emitted whenever describe() would say something new. */
  readonly state: ConnectionState;
  on(event: 'change', fn: () => void): unknown;
  off(event: 'change', fn: () => void): unknown;
  /** The model the window and the CLI see (before the output policy). */
  describe(): Environment;

  /** Connects and keeps retrying by itself until stop() or remove(). */
  start(): void;
  stop(): void;
  /** The user removed it from Fleetdeck: stop, and end every stream that reads from it. */
  remove(): void;
  /** Try to connect now, skipping any pending backoff. */
  reconnect(): void;
  onRemoved(fn: () => void): () => void;

  readonly services: ServicesLike;
  whenSynced(timeoutMs: number): Promise<boolean>;
  onceSynced(fn: () => void): () => void;
  readonly followInstance: FollowInstance;
  /** A service's figures once a second or so: what was kept, then each new point; `onProblem` says why there are none. */
  watchMetrics(serviceId: string, onPoint: (p: MetricPoint) => void, onProblem: (message: string) => void): MetricsWatch;
  /** A shell in an instance; rejects (throws an ApiError) where capabilities.terminal is false. Returns how to close. */
  openTerminal(request: TerminalRequest): () => void;
  /** What an instance is (instances.inspect); rejects (ApiError) where capabilities.inspect is false. */
  inspect(instance: string): Promise<InstanceInspect>;
  /** One masked environment variable's value, when the user asks for it. */
  revealEnv(instance: string, name: string): Promise<string>;
  /** Engine events per second, or undefined where capabilities.activity is false. */
  eventsPerSecond(): number | undefined;
  /** Which namespaces to watch; resolves once they are listed; rejects (ApiError) where capabilities.namespaces is false. */
  setNamespaces(namespaces: string[] | 'all'): Promise<void>;
}
