/** A pod as people inspect it: its YAML, conditions and Events, as `kubectl describe pod` tells them. */
import type * as K8s from '@kubernetes/client-node';
import { ApiError } from '../../common/errors';
import type { InspectCondition, InspectEnvVar, InspectEvent, InspectFact, InstanceInspect, PortMapping } from '../../common/model';
import { MASK, looksSecret, plain, plainLines } from '../inspect/secret-env';
import { clientNode, describeKubeError } from './kubeconfig';

type Pod = K8s.V1Pod;
type Container = K8s.V1Container;

function kubeFailure(e: unknown, doing: string, what: string): ApiError {
  if (e instanceof ApiError) return e;
  const code = (e as { code?: unknown }).code;
  if (code === 404) return new ApiError('NOT_FOUND', `Could not ${doing}: ${what} is gone.`, 'It was probably replaced meanwhile; the list is current again.');
  if (code === 401) {
    return new ApiError(
      'UNAUTHORIZED',
      `Could not ${doing}: ${describeKubeError(e)}.`,
      'Log in to the cluster again (kubectl get pods tells whether the credentials work), then press Refresh.',
    );
  }
  if (code === 403) {
    return new ApiError(
      'FORBIDDEN',
      `Could not ${doing}: ${describeKubeError(e)}.`,
      `Your credentials for this context are not allowed to read ${what}; ask for get access, or use kubectl with an account that has it.`,
    );
  }
  return new ApiError('UNREACHABLE', `Could not ${doing}: ${describeKubeError(e)}.`, 'Check that the cluster answers (kubectl get pods), then press Refresh.');
}

async function readPod(kc: K8s.KubeConfig, namespace: string, name: string): Promise<Pod> {
  const k8s = await clientNode();
  try {
    return await kc.makeApiClient(k8s.CoreV1Api).readNamespacedPod({ name, namespace });
  } catch (e) {
    throw kubeFailure(e, `read pod ${plain(name)}`, `pod ${plain(namespace)}/${plain(name)}`);
  }
}

export async function inspectPod(kc: K8s.KubeConfig, envId: string, namespace: string, pod: string): Promise<InstanceInspect> {
  const k8s = await clientNode();
  const p = await readPod(kc, namespace, pod);
  let events: K8s.CoreV1Event[] | undefined;
  let eventsProblem: string | undefined;
  try {
    // The selector kubectl describe uses: by name and kind, and by uid so a namesake before it does not count.
    const list = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedEvent({
      namespace,
      fieldSelector: `involvedObject.name=${pod},involvedObject.kind=Pod${p.metadata?.uid ? `,involvedObject.uid=${p.metadata.uid}` : ''}`,
    });
    events = list.items;
  } catch (e) {
    eventsProblem = `could not be listed: ${describeKubeError(e)}`;
  }
  return toPodInspect(envId, p, events, (o) => k8s.dumpYaml(o, { sortKeys: true, lineWidth: -1 }), eventsProblem);
}

/** Pure, for tests on recorded objects; `dump` is the YAML writer (client-node's). */
export function toPodInspect(envId: string, p: Pod, events: K8s.CoreV1Event[] | undefined, dump: (o: Pod) => string, eventsProblem?: string): InstanceInspect {
  const containers = p.spec?.containers ?? [];
  const several = containers.length > 1;
  return {
    envId,
    instance: plain(p.metadata?.name),
    kind: 'pod',
    facts: factsOf(p, eventsProblem),
    env: containers.flatMap((c) => envOf(c, several ? `${c.name}/` : '')),
    mounts: mountsOf(p),
    networks: [],
    labels: Object.fromEntries(Object.entries(p.metadata?.labels ?? {}).map(([k, v]) => [plain(k), plain(v)])),
    ports: containers.flatMap((c) =>
      (c.ports ?? []).map((port): PortMapping => ({
        containerPort: port.containerPort,
        protocol: port.protocol === 'UDP' ? 'udp' : port.protocol === 'SCTP' ? 'sctp' : 'tcp',
        ...(port.hostPort ? { hostPort: port.hostPort, hostIp: port.hostIP || '0.0.0.0' } : {}),
      })),
    ),
    conditions: conditionsOf(p),
    ...(events ? { events: eventsOf(events) } : {}),
    raw: { format: 'yaml', text: plainLines(wholeSeconds(dump(maskedPod(p)))) },
  };
}

function factsOf(p: Pod, eventsProblem: string | undefined): InspectFact[] {
  const facts: InspectFact[] = [];
  const add = (label: string, value: string | undefined | null) => {
    if (value) facts.push({ label: plain(label), value: plain(value) });
  };
  const st = p.status;
  add('Phase', p.metadata?.deletionTimestamp ? `${st?.phase ?? 'Unknown'} (terminating)` : (st?.phase ?? 'Unknown'));
  if (st?.reason) add('Reason', st.message ? `${st.reason}: ${st.message}` : st.reason);
  add('Namespace', p.metadata?.namespace);
  add('Node', p.spec?.nodeName ?? 'not scheduled yet');
  add('Pod IP', st?.podIP);
  add('QoS class', st?.qosClass);
  add('Service account', p.spec?.serviceAccountName ?? 'default');
  add('Restart policy', p.spec?.restartPolicy ?? 'Always');
  add('Start time', time(st?.startTime));
  add('Created', time(p.metadata?.creationTimestamp));
  const owner = p.metadata?.ownerReferences?.find((o) => o.controller) ?? p.metadata?.ownerReferences?.[0];
  if (owner) add('Controlled by', `${owner.kind}/${owner.name}`);
  const statuses = new Map((st?.containerStatuses ?? []).map((s) => [s.name, s]));
  for (const c of p.spec?.containers ?? []) {
    const s = statuses.get(c.name);
    const parts = [c.image ?? ''];
    if (s) {
      parts.push(s.ready ? 'ready' : 'not ready', `${s.restartCount} restart${s.restartCount === 1 ? '' : 's'}`, stateText(s.state));
    }
    add(`Container ${c.name}`, parts.filter(Boolean).join(' · '));
    if (c.command?.length || c.args?.length) add(`${c.name} command`, [...(c.command ?? []), ...(c.args ?? [])].join(' '));
    const last = s?.lastState?.terminated;
    if (last)
      add(`${c.name} last termination`, `${last.reason ?? 'Terminated'}, exit code ${last.exitCode}${last.finishedAt ? ` at ${time(last.finishedAt)}` : ''}`);
    const probe = c.readinessProbe ?? c.livenessProbe;
    if (probe) add(`${c.name} ${c.readinessProbe ? 'readiness' : 'liveness'} probe`, probeText(probe));
  }
  if (eventsProblem) add('Events', eventsProblem);
  return facts;
}

function stateText(s: K8s.V1ContainerState | undefined): string {
  if (s?.running) return `running since ${time(s.running.startedAt) ?? '?'}`;
  if (s?.waiting) return `waiting: ${s.waiting.reason ?? ''}${s.waiting.message ? ` (${s.waiting.message})` : ''}`;
  if (s?.terminated) return `terminated: ${s.terminated.reason ?? ''}, exit code ${s.terminated.exitCode}`;
  return '';
}

function probeText(p: K8s.V1Probe): string {
  const how = p.httpGet
    ? `http-get ${p.httpGet.scheme === 'HTTPS' ? 'https' : 'http'}://:${p.httpGet.port}${p.httpGet.path ?? '/'}`
    : p.tcpSocket
      ? `tcp-socket :${p.tcpSocket.port}`
      : p.exec
        ? `exec ${(p.exec.command ?? []).join(' ')}`
        : p.grpc
          ? `grpc :${p.grpc.port}`
          : 'unknown';
  // kubectl describe's defaults: delay 0, timeout 1 s, period 10 s, failure threshold 3.
  return `${how} delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #failure=${p.failureThreshold ?? 3}`;
}

function envOf(c: Container, prefix: string): InspectEnvVar[] {
  const out: InspectEnvVar[] = [];
  for (const e of c.env ?? []) {
    const name = plain(prefix + e.name);
    const from = e.valueFrom;
    if (from?.secretKeyRef) out.push({ name, secret: true, from: plain(`secret ${from.secretKeyRef.name ?? ''}/${from.secretKeyRef.key}`) });
    else if (from?.configMapKeyRef) out.push({ name, secret: false, from: plain(`configmap ${from.configMapKeyRef.name ?? ''}/${from.configMapKeyRef.key}`) });
    else if (from?.fieldRef) out.push({ name, secret: false, from: plain(`field ${from.fieldRef.fieldPath}`) });
    else if (from?.resourceFieldRef) out.push({ name, secret: false, from: plain(`resource ${from.resourceFieldRef.resource}`) });
    else if (looksSecret(e.name)) out.push({ name, secret: true });
    else out.push({ name, secret: false, value: plain(e.value ?? '') });
  }
  for (const f of c.envFrom ?? []) {
    const what = f.secretRef ? `secret ${f.secretRef.name ?? ''}` : `configmap ${f.configMapRef?.name ?? ''}`;
    out.push({ name: plain(`${prefix}${f.prefix ?? ''}*`), secret: false, from: plain(`every key of ${what}`) });
  }
  return out;
}

const VOLUME_KINDS: Record<string, (v: K8s.V1Volume) => string> = {
  configMap: (v) => `configmap ${v.configMap?.name ?? ''}`,
  secret: (v) => `secret ${v.secret?.secretName ?? ''}`,
  persistentVolumeClaim: (v) => `pvc ${v.persistentVolumeClaim?.claimName ?? ''}`,
  hostPath: (v) => `host path ${v.hostPath?.path ?? ''}`,
  emptyDir: (v) => `empty dir${v.emptyDir?.medium ? ` (${v.emptyDir.medium})` : ''}`,
  projected: () => 'projected',
  downwardAPI: () => 'downward API',
};

function mountsOf(p: Pod): InstanceInspect['mounts'] {
  const volumes = new Map((p.spec?.volumes ?? []).map((v) => [v.name, v]));
  const containers = p.spec?.containers ?? [];
  return containers.flatMap((c) =>
    (c.volumeMounts ?? []).map((m) => {
      const v = volumes.get(m.name);
      const kind = v ? (Object.keys(VOLUME_KINDS).find((k) => (v as unknown as Record<string, unknown>)[k] !== undefined) ?? otherKind(v)) : 'unknown';
      const described = v && VOLUME_KINDS[kind] ? VOLUME_KINDS[kind](v) : kind;
      return {
        source: plain(`${m.name}: ${described}`),
        destination: plain(`${m.mountPath}${m.subPath ? ` (sub path ${m.subPath})` : ''}${containers.length > 1 ? ` in ${c.name}` : ''}`),
        mode: m.readOnly ? 'ro' : 'rw',
        type: plain(kind),
      };
    }),
  );
}

function otherKind(v: K8s.V1Volume): string {
  return Object.keys(v).find((k) => k !== 'name' && (v as unknown as Record<string, unknown>)[k] !== undefined) ?? 'unknown';
}

function conditionsOf(p: Pod): InspectCondition[] {
  const out: InspectCondition[] = (p.status?.conditions ?? []).map((c) => ({
    type: plain(c.type),
    status: plain(c.status),
    ...(c.reason ? { reason: plain(c.reason) } : {}),
    ...(c.message ? { message: plain(c.message) } : {}),
    ...(ms(c.lastTransitionTime) ? { at: ms(c.lastTransitionTime)! } : {}),
  }));
  // Why a container is not running is told on the container, not the pod: kubectl describe shows it there.
  for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
    const w = s.state?.waiting;
    const t = s.state?.terminated;
    if (w)
      out.push({
        type: plain(`Container ${s.name}`),
        status: 'Waiting',
        ...(w.reason ? { reason: plain(w.reason) } : {}),
        ...(w.message ? { message: plain(w.message) } : {}),
      });
    if (t) {
      out.push({
        type: plain(`Container ${s.name}`),
        status: 'Terminated',
        reason: plain(t.reason ?? `exit code ${t.exitCode}`),
        ...(t.message ? { message: plain(t.message) } : {}),
        ...(ms(t.finishedAt) ? { at: ms(t.finishedAt)! } : {}),
      });
    }
    const last = s.lastState?.terminated;
    if (last) {
      out.push({
        type: plain(`Container ${s.name} (last termination)`),
        status: 'Terminated',
        reason: plain(`${last.reason ?? 'Terminated'}, exit code ${last.exitCode}`),
        ...(last.message ? { message: plain(last.message) } : {}),
        ...(ms(last.finishedAt) ? { at: ms(last.finishedAt)! } : {}),
      });
    }
  }
  return out;
}

function eventsOf(list: K8s.CoreV1Event[]): InspectEvent[] {
  // Times are whole seconds: within one, the order they were written in (resourceVersion) decides.
  const order = (e: K8s.CoreV1Event) => Number(e.metadata?.resourceVersion) || 0;
  return [...list]
    .sort((a, b) => order(a) - order(b))
    .map((e) => ({
      type: plain(e.type ?? 'Normal'),
      reason: plain(e.reason ?? ''),
      message: plain(e.message ?? ''),
      count: e.series?.count ?? e.count ?? 1,
      last: ms(e.series?.lastObservedTime) ?? ms(e.lastTimestamp) ?? ms(e.eventTime) ?? ms(e.firstTimestamp) ?? ms(e.metadata?.creationTimestamp) ?? 0,
      ...(e.source?.component || e.reportingComponent ? { source: plain(e.source?.component || e.reportingComponent) } : {}),
    }))
    .sort((a, b) => a.last - b.last);
}

/** The pod as kubectl prints it, minus managedFields, with the kept-back literal values replaced. */
function maskedPod(p: Pod): Pod {
  const copy = structuredClone({ ...p, apiVersion: p.apiVersion ?? 'v1', kind: p.kind ?? 'Pod' });
  if (copy.metadata) delete copy.metadata.managedFields;
  if (copy.spec) maskSpec(copy.spec);
  // `kubectl apply` keeps the whole manifest here, literal values included.
  const annotations = copy.metadata?.annotations;
  const applied = annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
  if (annotations && applied) {
    try {
      const last = JSON.parse(applied) as { spec?: Pod['spec'] };
      if (last.spec) maskSpec(last.spec);
      annotations['kubectl.kubernetes.io/last-applied-configuration'] = JSON.stringify(last);
    } catch {
      annotations['kubectl.kubernetes.io/last-applied-configuration'] = MASK;
    }
  }
  return copy;
}

function maskSpec(spec: NonNullable<Pod['spec']>): void {
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])]) {
    for (const e of c.env ?? []) if (e.value !== undefined && looksSecret(e.name)) e.value = MASK;
  }
}

/** client-node writes every time with milliseconds; the API server (and kubectl) print whole seconds. */
function wholeSeconds(yaml: string): string {
  return yaml.replace(/(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.000Z/g, '$1Z');
}

/** A masked literal, or a Secret's key read when the user asks: the value never sat in an answer before. */
export async function revealPodEnv(kc: K8s.KubeConfig, namespace: string, pod: string, name: string): Promise<string> {
  const k8s = await clientNode();
  const p = await readPod(kc, namespace, pod);
  const containers = p.spec?.containers ?? [];
  const several = containers.length > 1;
  const found = containers
    .flatMap((c) => (c.env ?? []).map((e) => ({ shown: several ? `${c.name}/${e.name}` : e.name, e })))
    .find((x) => x.shown === name || x.e.name === name)?.e;
  if (!found) throw new ApiError('NOT_FOUND', `Pod ${plain(pod)} has no variable ${plain(name)}.`, 'Refresh the Inspect view: the pod may have been replaced.');
  const from = found.valueFrom;
  if (!from) return plainLines(found.value ?? '');
  const core = kc.makeApiClient(k8s.CoreV1Api);
  if (from.secretKeyRef) {
    const { name: secret = '', key } = from.secretKeyRef;
    let s: K8s.V1Secret;
    try {
      s = await core.readNamespacedSecret({ name: secret, namespace });
    } catch (e) {
      throw kubeFailure(e, `read secret ${plain(secret)} for ${plain(name)}`, `secret ${plain(namespace)}/${plain(secret)}`);
    }
    const data = s.data?.[key];
    if (data === undefined) {
      throw new ApiError(
        'NOT_FOUND',
        `Secret ${plain(secret)} has no key ${plain(key)}, so ${plain(name)} is not set in the pod.`,
        'Add the key to the secret, or fix the pod template.',
      );
    }
    return plainLines(Buffer.from(data, 'base64').toString('utf8'));
  }
  if (from.configMapKeyRef) {
    const { name: cm = '', key } = from.configMapKeyRef;
    let m: K8s.V1ConfigMap;
    try {
      m = await core.readNamespacedConfigMap({ name: cm, namespace });
    } catch (e) {
      throw kubeFailure(e, `read configmap ${plain(cm)} for ${plain(name)}`, `configmap ${plain(namespace)}/${plain(cm)}`);
    }
    const value = m.data?.[key];
    if (value === undefined)
      throw new ApiError('NOT_FOUND', `ConfigMap ${plain(cm)} has no key ${plain(key)}.`, 'Add the key to the configmap, or fix the pod template.');
    return plainLines(value);
  }
  throw new ApiError(
    'INVALID_PARAMS',
    `${plain(name)} is set by the cluster from the pod's own fields, not a stored value.`,
    'Its source is shown beside it; run kubectl exec … printenv to see it.',
  );
}

function ms(d: Date | string | undefined | null): number | undefined {
  if (!d) return undefined;
  const t = d instanceof Date ? d.getTime() : Date.parse(d);
  return Number.isFinite(t) ? t : undefined;
}

function time(d: Date | string | undefined | null): string | undefined {
  const t = ms(d);
  return t === undefined ? undefined : new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
}
