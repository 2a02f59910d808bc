/**
 * Deployments and StatefulSets with their pods → the same Service and Instance the Docker side
 * makes, so the panel treats a Compose service and a Deployment alike. Pure: tested on objects
 * as client-node returns them.
 */
import { degradedOf } from '../../common/degraded';
import type { V1Deployment, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import type { Health, Instance, InstanceState, Service } from '../../common/model';
import { plainText } from '../../common/output-policy';
import { readiness } from '../../common/readiness';

// Display fields pass the output policy here, once for the page and the CLI. Ids (the pod's uid,
// the service id carrying the raw namespace and name) stay as the cluster gave them, since
// actions are addressed by them; names are DNS-1123 on any real API server, where the policy
// changes nothing, so pods are still found, deleted and followed by name.

/**
 * Namespaces, nodes and images repeat across thousands of pods, but each parsed pod brings its own
 * copy of each string: made safe once, and one copy kept (30,000 pods, a handful of distinct values).
 */
const shared = new Map<string, string>();
function sharedText(s: string): string {
  let out = shared.get(s);
  if (out === undefined) {
    if (shared.size >= 10_000) shared.clear();
    shared.set(s, (out = plainText(s)));
  }
  return out;
}

export function podToInstance(p: V1Pod): Instance {
  const statuses = p.status?.containerStatuses ?? [];
  const ready = p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const crashing = statuses.some((s) => ['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'Error'].includes(s.state?.waiting?.reason ?? ''));
  const phase = p.status?.phase ?? 'Pending';
  let state: InstanceState =
    phase === 'Running' ? 'running' : phase === 'Pending' ? 'starting' : phase === 'Succeeded' || phase === 'Failed' ? 'exited' : 'created';
  if (p.metadata?.deletionTimestamp) state = 'stopping';
  const health: Health = crashing ? 'unhealthy' : state !== 'running' ? 'none' : ready ? 'healthy' : 'starting';
  const started = toMs(p.status?.startTime);
  const uid = p.metadata?.uid ?? p.metadata?.name ?? '';
  const terminated = statuses.find((s) => s.state?.terminated)?.state?.terminated;
  return {
    id: uid,
    shortId: plainText(uid.replace(/-/g, '').slice(0, 12)),
    name: plainText(p.metadata?.name ?? ''),
    image: sharedText(p.spec?.containers?.[0]?.image ?? ''),
    state,
    health,
    ...(state === 'running' && started ? { startedAt: started } : {}),
    createdAt: toMs(p.metadata?.creationTimestamp) ?? 0,
    ports: [],
    restartCount: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    ...(state === 'exited' && terminated ? { exitCode: terminated.exitCode } : {}),
    ...(p.spec?.nodeName ? { node: sharedText(p.spec.nodeName) } : {}),
    ...(p.metadata?.namespace ? { namespace: sharedText(p.metadata.namespace) } : {}),
  };
}

export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function workloadToService(
  envId: string,
  w: V1Deployment | V1StatefulSet,
  kind: 'deployment' | 'statefulset',
  pods: readonly V1Pod[],
  operation?: Service['operation'],
): Service {
  const slim = slimWorkload(w, kind);
  const instances = pods.filter((p) => p.metadata?.namespace === slim.ns && selects(slim.selector, p.metadata?.labels)).map(podToInstance);
  return serviceOf(envId, slim, instances, operation);
}

/** What a Service needs of its workload: kept instead of the object, which carries far more. */
export interface SlimWorkload {
  ns: string;
  name: string;
  kind: 'deployment' | 'statefulset';
  selector: Record<string, string> | undefined;
  image: string;
  replicas: number | undefined;
  createdAt: number;
  resourceVersion: string;
  /** What `kubectl rollout status` reads. */
  rollout: RolloutStatus;
}

export interface RolloutStatus {
  generation: number;
  observedGeneration: number;
  /** status.replicas: pods of every revision. */
  replicas: number;
  updated: number;
  ready: number;
  available: number;
  /** StatefulSets: the revisions; the rollout is over when they are equal. */
  currentRevision?: string;
  updateRevision?: string;
}

export function slimWorkload(w: V1Deployment | V1StatefulSet, kind: 'deployment' | 'statefulset'): SlimWorkload {
  return {
    ns: w.metadata?.namespace ?? 'default',
    name: w.metadata?.name ?? '',
    kind,
    selector: w.spec?.selector?.matchLabels,
    image: w.spec?.template?.spec?.containers?.[0]?.image ?? '',
    replicas: w.spec?.replicas,
    createdAt: toMs(w.metadata?.creationTimestamp) ?? 0,
    resourceVersion: w.metadata?.resourceVersion ?? '',
    rollout: {
      generation: w.metadata?.generation ?? 0,
      observedGeneration: w.status?.observedGeneration ?? 0,
      replicas: w.status?.replicas ?? 0,
      updated: w.status?.updatedReplicas ?? 0,
      ready: w.status?.readyReplicas ?? 0,
      available: w.status?.availableReplicas ?? 0,
      ...(kind === 'statefulset' ? statefulRevisions(w as V1StatefulSet) : {}),
    },
  };
}

function statefulRevisions(s: V1StatefulSet): Pick<RolloutStatus, 'currentRevision' | 'updateRevision'> {
  return {
    ...(s.status?.currentRevision ? { currentRevision: s.status.currentRevision } : {}),
    ...(s.status?.updateRevision ? { updateRevision: s.status.updateRevision } : {}),
  };
}

/**
 * A rollout in words, as `kubectl rollout status` says it (its messages, shortened): done once the
 * controller saw the new template and every replica is updated and available, old ones gone.
 */
export function rolloutProgress(w: SlimWorkload): { done: boolean; message: string } {
  const r = w.rollout;
  const want = w.replicas ?? 1;
  if (r.observedGeneration < r.generation) return { done: false, message: 'Waiting for the controller to see the new template…' };
  if (r.updated < want) return { done: false, message: `Updated ${r.updated} of ${want} replicas…` };
  if (w.kind === 'deployment') {
    if (r.replicas > r.updated) return { done: false, message: `Updated ${r.updated} of ${want}; ${r.replicas - r.updated} old pending termination…` };
    if (r.available < r.updated) return { done: false, message: `Updated ${r.updated} of ${want}; ${r.available} available…` };
    return { done: true, message: `Updated ${r.updated} of ${want}; all available.` };
  }
  if (r.ready < want) return { done: false, message: `Updated ${r.updated} of ${want}; ${r.ready} ready…` };
  if (r.updateRevision && r.currentRevision !== r.updateRevision) return { done: false, message: `Updated ${r.updated} of ${want}; finishing…` };
  return { done: true, message: `Updated ${r.updated} of ${want}; all ready.` };
}

/** A running pod not Ready this long after it started fails its readiness (before, it is still starting). */
export const READINESS_GRACE_MS = 30_000;

/** The Service of a workload from its instances (already made by podToInstance, in any order). */
export function serviceOf(envId: string, w: SlimWorkload, podInstances: readonly Instance[], operation?: Service['operation'], now = Date.now()): Service {
  const instances = [...podInstances].sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
  const { running, healthy, unhealthy } = readiness(instances);
  // Pods up but some failing readiness: Degraded, as for a Docker service whose health check fails on some replicas.
  const up = instances.filter((i) => i.state === 'running');
  const failing = up.filter(
    (i) => i.health === 'unhealthy' || (i.health === 'starting' && i.startedAt !== undefined && now - i.startedAt > READINESS_GRACE_MS),
  );
  const degraded = operation || !up.length ? undefined : degradedOf({ readiness: { up: up.length, failing: failing.length } });
  return {
    id: serviceIdOf(envId, w.ns, w.kind, w.name),
    envId,
    name: plainText(w.name),
    project: plainText(w.ns),
    group: w.kind,
    image: plainText(w.image),
    instances,
    desired: operation?.target ?? w.replicas ?? 1,
    running,
    healthy,
    unhealthy,
    createdAt: w.createdAt,
    ...(operation ? { operation } : {}),
    scalable: true,
    ...(degraded ? { degraded } : {}),
  };
}

/** `kube:<context>/<namespace>/deployment/<name>`: the kind is in the id, since a Deployment and a StatefulSet may share a name. */
export function serviceIdOf(envId: string, ns: string, kind: 'deployment' | 'statefulset', name: string): string {
  return `${envId}/${ns}/${kind}/${name}`;
}

export function parseServiceId(id: string): { ns: string; kind: 'deployment' | 'statefulset'; name: string } | undefined {
  const m = /^kube:.+\/([^/]+)\/(deployment|statefulset)\/([^/]+)$/.exec(id);
  return m ? { ns: m[1]!, kind: m[2] as 'deployment' | 'statefulset', name: m[3]! } : undefined;
}

function toMs(d: Date | string | undefined): number | undefined {
  if (!d) return undefined;
  const t = d instanceof Date ? d.getTime() : Date.parse(d);
  return Number.isFinite(t) ? t : undefined;
}
