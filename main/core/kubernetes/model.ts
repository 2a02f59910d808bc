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
  const ns = w.metadata?.namespace ?? 'default';
  const name = w.metadata?.name ?? '';
  const selector = w.spec?.selector?.matchLabels;
  const instances = pods
    .filter((p) => p.metadata?.namespace === ns && selects(selector, p.metadata?.labels))
    .map(podToInstance)
    .sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name));
  const live = instances.filter((i) => i.state !== 'stopping');
  return {
    id: serviceIdOf(envId, ns, kind, name),
    envId,
    name: plainText(name),
    project: plainText(ns),
    group: kind,
    image: plainText(w.spec?.template?.spec?.containers?.[0]?.image ?? ''),
    instances,
    desired: operation?.target ?? w.spec?.replicas ?? 1,
    running: live.filter((i) => i.state === 'running').length,
    healthy: live.filter((i) => i.health === 'healthy').length,
    unhealthy: live.filter((i) => i.health === 'unhealthy').length,
    createdAt: toMs(w.metadata?.creationTimestamp) ?? 0,
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
