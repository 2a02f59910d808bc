/**
 * What the API needs of any environment's services, Docker engine or Kubernetes context alike:
 * the panel asks the same questions of a Compose service and of a Deployment.
 */
import type { Instance, LogEntry, MetricPoint, Service } from '../common/model';
import type { InstanceAction } from './docker/services';

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

/** Follows one instance's log lines (history first); returns how to stop. */
export type FollowInstance = (
  instance: Instance,
  options: { tail: number; sinceMs?: number },
  onEntries: (e: LogEntry[]) => void,
  onEnd: (error?: Error) => void,
) => () => void;

export interface ServiceEnv {
  readonly id: string;
  readonly name: string;
  readonly kind: 'docker' | 'kubernetes';
  readonly services: ServicesLike;
  readonly followInstance: FollowInstance;
  /** A service's figures once a second or so: what was kept, then each new point; `onProblem` says why there are none. */
  watchMetrics(serviceId: string, onPoint: (p: MetricPoint) => void, onProblem: (message: string) => void): { history: MetricPoint[]; stop: () => void };
  whenSynced(timeoutMs: number): Promise<boolean>;
  onceSynced(fn: () => void): () => void;
  /** Calls `fn` if the environment is removed from Fleetdeck; returns how to stop listening. */
  onRemoved(fn: () => void): () => void;
}
