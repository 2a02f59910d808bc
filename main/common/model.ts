/** The domain model shared by the engine and the UI. Plain data only: it crosses the pipes as JSON. */
import type { BreakerReading, Degraded } from './degraded';
import type { PrometheusView } from './prometheus-model';

export type { BreakerReading, BreakerState, Degraded } from './degraded';

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
  /** The Prometheus it reads history and request figures from (docs/prometheus.md), without credentials. */
  prometheus?: PrometheusView;
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
  /** Kubernetes: the node the pod is scheduled on. */
  node?: string;
  /** Kubernetes: the pod's namespace (services name theirs in their id too). */
  namespace?: string;
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
  /** Instances up and ready (health check passed, or none): a replica still starting is not counted (see common/readiness.ts). */
  running: number;
  /** Instances whose health check (readiness) passed. */
  healthy: number;
  unhealthy: number;
  /** ms since epoch of the oldest instance, for the Age column. */
  createdAt: number;
  /** Present while a scale or rolling restart runs. */
  operation?: { kind: 'scale' | 'rolling-restart'; target?: number; message: string };
  /** Standalone containers cannot be scaled; nor can a service with nothing left to clone. */
  scalable: boolean;
  /**
   * Present while its instances are up but it answers degraded (common/degraded.ts): a circuit
   * breaker open or half-open, 5xx over the threshold, readiness failing on some replicas.
   */
  degraded?: Degraded;
  /** Each breaker of each running instance, from its `circuit_breaker_state` gauge; absent when none reports one. */
  breakers?: BreakerReading[];
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
  /** From the service's Prometheus /metrics, probes (/health, /ready, /metrics) left out; absent when it has none. */
  rps?: number;
  /** Probe requests per second (health and readiness checks, metrics scrapes), counted apart. */
  probeRps?: number;
  errorsPerSecond?: number;
  p95Ms?: number;
  /** Per instance, for the lines of each (request figures where the instance exports them). */
  instances: Record<string, InstanceFigures>;
  /** A range asked for with `instances: 'top'`: the instances left out of `instances`, summed. */
  others?: { count: number; cpuPercent: number; memMiB: number };
}

/** One instance's figures in a MetricPoint. */
export interface InstanceFigures {
  cpuPercent: number;
  memMiB: number;
  rxKBps?: number;
  txKBps?: number;
  rps?: number;
  errorsPerSecond?: number;
  p95Ms?: number;
}

export type MetricsEvent =
  | { kind: 'history'; points: MetricPoint[] }
  | { kind: 'point'; point: MetricPoint }
  /** Why no points come (no metrics API on the cluster, …): what happened and what to do. */
  | { kind: 'problem'; message: string };

/** One line of an inspected object, as people read it: "Restart policy: unless-stopped". */
export interface InspectFact {
  label: string;
  value: string;
}

/** An environment variable of an instance. Values of names that look secret are left out until asked (instances.revealEnv). */
export interface InspectEnvVar {
  name: string;
  /** Absent when `secret` (masked) or when it comes from elsewhere (`from`). */
  value?: string;
  secret: boolean;
  /** Kubernetes: where the value comes from ("secret db-creds/password", "configmap app/url", "field metadata.name"). */
  from?: string;
}

/** A condition of a Kubernetes object, or a Docker health-check run, told the same way. */
export interface InspectCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  /** ms since epoch */
  at?: number;
}

/** One health-check run (Docker) with what the check printed: why a container is "unhealthy". */
export interface HealthCheckRun {
  start: number;
  end?: number;
  exitCode: number;
  output: string;
}

/** A Kubernetes Event about the object. */
export interface InspectEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** ms since epoch of the last time it happened */
  last: number;
  source?: string;
}

/** What instances.inspect answers: the same sections for a container and a pod, each present where the engine has it. */
export interface InstanceInspect {
  envId: string;
  /** The instance's name. */
  instance: string;
  kind: 'container' | 'pod';
  /** Image, command, restart policy, node, state, exit code, started… */
  facts: InspectFact[];
  env: InspectEnvVar[];
  mounts: { source: string; destination: string; mode: string; type?: string }[];
  networks: { name: string; aliases?: string[] }[];
  labels: Record<string, string>;
  ports: PortMapping[];
  /** Docker: the health check's status, failing streak and last runs with their output. */
  health?: { status: string; failingStreak: number; runs: HealthCheckRun[] };
  /** Kubernetes: the pod's conditions (and per container: waiting/terminated reasons). */
  conditions?: InspectCondition[];
  events?: InspectEvent[];
  /** The object as its engine's own tools print it (YAML for Kubernetes, JSON for Docker), secret values masked. */
  raw: { format: 'yaml' | 'json'; text: string };
}
