/** The domain model shared by the engine and the UI. Plain data only: it crosses the pipes as JSON. */

export type EnvironmentKind = 'docker' | 'kubernetes';

/** How the panel currently reaches an environment. */
export type ConnectionState = 'connecting' | 'connected' | 'unreachable';

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
