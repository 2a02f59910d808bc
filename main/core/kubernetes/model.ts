/**
 * Deployments and StatefulSets with their pods → the same Service and Instance the Docker side
 * makes, so the panel treats a Compose service and a Deployment alike. Pure: tested on objects
 * as client-node returns them.
 */
import type { V1Deployment, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import type { Health, Instance, InstanceState, Service } from '../../common/model';
import { plainText } from '../../common/output-policy';

// Display fields pass the output policy here, once for the page and the CLI. Ids (the pod's uid,
// the service id carrying the raw namespace and name) stay as the cluster gave them, since
// actions are addressed by them; names are DNS-1123 on any real API server, where the policy
// changes nothing, so pods are still found, deleted and followed by name.

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
    image: plainText(p.spec?.containers?.[0]?.image ?? ''),
    state,
    health,
    ...(state === 'running' && started ? { startedAt: started } : {}),
    createdAt: toMs(p.metadata?.creationTimestamp) ?? 0,
    ports: [],
    restartCount: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    ...(state === 'exited' && terminated ? { exitCode: terminated.exitCode } : {}),
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
  };
}

/** The Service of a workload from its instances (already made by podToInstance, in any order). */
export function serviceOf(envId: string, w: SlimWorkload, podInstances: readonly Instance[], operation?: Service['operation']): Service {
  const instances = [...podInstances].sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
  let running = 0;
  let healthy = 0;
  let unhealthy = 0;
  for (const i of instances) {
    if (i.state === 'stopping') continue;
    if (i.state === 'running') running++;
    if (i.health === 'healthy') healthy++;
    else if (i.health === 'unhealthy') unhealthy++;
  }
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
