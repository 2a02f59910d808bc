/** The domain model shared by the engine and the UI. Plain data only: it crosses the pipes as JSON. */

export type EnvironmentKind = 'docker' | 'kubernetes';

/** How the panel currently reaches an environment. */
export type ConnectionState = 'connecting' | 'connected' | 'unreachable';

/**
 * What an environment's driver can do. The window and the CLI ask these, never the kind or the
 * id, so a feature one driver lacks is said plainly ("not available for …") instead of guessed.
 */
export interface EnvironmentCapabilities {
  /** Instance actions the driver offers (Kubernetes: restart and remove delete the pod). */
  instanceActions: ('start' | 'stop' | 'restart' | 'remove')[];
  scale: boolean;
  rollingRestart: boolean;
  /** A shell in an instance (docker exec, pods/exec). */
  terminal: boolean;
  /** Which metric figures exist: engine stats, and the services' own request figures. */
  metrics: ('cpu' | 'memory' | 'network' | 'requests')[];
  /** Services live in namespaces that can be chosen. */
  namespaces: boolean;
  /** The user can remove it from Fleetdeck (engines they added). */
  removable: boolean;
  /** Engine events per second (environments.activity). */
  activity: boolean;
  /** The raw object of an instance (instances.inspect). */
  inspect: boolean;
}

export interface Environment {
  /** Stable id: `docker:local`, `docker:<name>`, `kube:<context>`. */
  id: string;
  kind: EnvironmentKind;
  /** What the sidebar shows: "Docker (local)", or the kubeconfig context name. */
  name: string;
  /** Where it is reached: a socket path or URL. Never carries credentials. */
  endpoint: string;
  state: ConnectionState;
  /** Engine or cluster version once connected, e.g. "20.10.24" or "v1.31.2". */
  version?: string;
  /** Docker API version or Kubernetes platform, once connected. */
  apiVersion?: string;
  /** Kubernetes: the namespace the context selects. */
  namespace?: string;
  /** When unreachable: what happened and what to do, in one or two sentences. */
  problem?: string;
  /** ms since epoch of the last state change. */
  since: number;
  capabilities: EnvironmentCapabilities;
  /** Kubernetes: the namespaces watched now; `all` for every namespace. */
  namespaces?: string[] | 'all';
}

export interface AppInfo {
  name: string;
  version: string;
  /** Protocol version of the message pipe; the renderer refuses a mismatch. */
  protocol: number;
  mode: 'desktop' | 'serve' | 'cli';
  node: string;
  platform: string;
  /** Where kubeconfig was looked for, for the empty state. */
  kubeconfigPaths: string[];
}

/** The engine's word for what a container or pod is doing. */
export type InstanceState = 'created' | 'starting' | 'running' | 'restarting' | 'paused' | 'stopping' | 'exited' | 'dead' | 'removing';

/** From the image's HEALTHCHECK (Docker) or readiness (Kubernetes); 'none' when there is no check. */
export type Health = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface PortMapping {
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  hostIp?: string;
  hostPort?: number;
}

export interface Instance {
  id: string;
  /** 12 characters, as `docker ps` shows. */
  shortId: string;
  name: string;
  image: string;
  state: InstanceState;
  health: Health;
  /** ms since epoch; undefined when not running. */
  startedAt?: number;
  createdAt: number;
  ports: PortMapping[];
  restartCount: number;
  exitCode?: number;
  /** Replica number within the service, where the engine records one. */
  replica?: number;
}

/** How a Docker service was recognised; Kubernetes workloads say which kind. */
export type ServiceGroup = 'compose' | 'fleetdeck' | 'standalone' | 'deployment' | 'statefulset';

export interface Service {
  /** `<envId>/<project>/<name>`, or `<envId>/container/<name>` for a standalone container. */
  id: string;
  envId: string;
  name: string;
  project?: string;
  group: ServiceGroup;
  image: string;
  instances: Instance[];
  /** What the service should have: the last scale target, else the instances it has. */
  desired: number;
  running: number;
  healthy: number;
  unhealthy: number;
  /** ms since epoch of the oldest instance, for the Age column. */
  createdAt: number;
  /** Present while a scale or rolling restart runs. */
  operation?: { kind: 'scale' | 'rolling-restart'; target?: number; message: string };
  /** Standalone containers cannot be scaled; nor can a service with nothing left to clone. */
  scalable: boolean;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LogEntry {
  /** ms since epoch: the engine's timestamp of the line. */
  t: number;
  /** The instance's name, the prefix of the line in merged logs. */
  instance: string;
  stream: 'stdout' | 'stderr';
  /** From JSON `level` fields (pino's numbers too) or a leading level word; absent when unknown. */
  level?: LogLevel;
  /** The line, with every escape sequence but colours removed. */
  text: string;
}

/** What a logs stream sends: batches of lines, and markers for lines not shown. */
export type LogEvent =
  | { kind: 'lines'; entries: LogEntry[] }
  /** Lines dropped because the viewer could not keep up; the count says how many. */
  | { kind: 'dropped'; count: number }
  /** An instance joined or left the merged stream (scale up/down, restart). */
  | { kind: 'instance'; name: string; event: 'attached' | 'ended' };

/** One second of a service's figures: engine stats summed over instances, and its own request figures. */
export interface MetricPoint {
  t: number;
  cpuPercent: number;
  memMiB: number;
  /** Absent where the environment does not report network (Kubernetes' metrics API). */
  rxKBps?: number;
  txKBps?: number;
  /** From the service's Prometheus /metrics; absent when it has none. */
  rps?: number;
  errorsPerSecond?: number;
  p95Ms?: number;
  /** Per instance, for the CPU and memory lines of each. */
  instances: Record<string, { cpuPercent: number; memMiB: number }>;
}

export type MetricsEvent =
  | { kind: 'history'; points: MetricPoint[] }
  | { kind: 'point'; point: MetricPoint }
  /** Why no points come (no metrics API on the cluster, …): what happened and what to do. */
  | { kind: 'problem'; message: string };
