/**
 * A new replica's create options, cloned from a running one's inspect: the same image,
 * command, env, labels, mounts, limits, restart policy, healthcheck, networks and aliases.
 * Published ports keep their host IP but get a free host port, so replicas never collide.
 * Pure: tested against recorded inspect payloads.
 */
import type { ContainerCreateOptions, ContainerInspectInfo, EndpointSettings } from 'dockerode';
import { COMPOSE_NUMBER, FLEETDECK_OP, FLEETDECK_REPLICA } from './labels';

/** What scaling needs to create more replicas: kept even when the last one is removed. */
export interface ReplicaTemplate {
  create: ContainerCreateOptions;
  /** Networks beyond the first, connected after create (API < 1.44 takes one at create). */
  extraNetworks: { name: string; aliases: string[] }[];
}

/** Runtime-only or per-container fields that must not be copied into a new container. */
const HOSTCONFIG_DROP = ['ContainerIDFile', 'Links'] as const;

export function templateFrom(c: ContainerInspectInfo): ReplicaTemplate {
  const cfg = c.Config;
  const host = { ...(c.HostConfig as Record<string, unknown>) };
  for (const k of HOSTCONFIG_DROP) delete host[k];
  const bindings = (c.HostConfig.PortBindings ?? {}) as Record<string, { HostIp?: string; HostPort?: string }[] | null>;
  host.PortBindings = Object.fromEntries(
    Object.entries(bindings).map(([port, list]) => [port, (list ?? []).map((b) => ({ HostIp: b.HostIp ?? '', HostPort: '' }))]),
  );

  const mode = c.HostConfig.NetworkMode ?? 'default';
  const shared = mode === 'host' || mode === 'none' || mode.startsWith('container:');
  const oldName = c.Name.replace(/^\//, '');
  const nets = shared ? [] : Object.entries((c.NetworkSettings.Networks ?? {}) as Record<string, EndpointSettings>);
  const aliasesOf = (ep: EndpointSettings) => (ep.Aliases ?? []).filter((a) => a !== oldName && !c.Id.startsWith(a)); // the engine adds the name and short id itself
  const [first, ...rest] = nets;

  const create: ContainerCreateOptions = {
    Image: cfg.Image,
    Cmd: cfg.Cmd ?? undefined,
    Entrypoint: cfg.Entrypoint ?? undefined,
    Env: cfg.Env ?? undefined,
    Labels: { ...(cfg.Labels ?? {}) },
    WorkingDir: cfg.WorkingDir || undefined,
    User: cfg.User || undefined,
    ExposedPorts: cfg.ExposedPorts ?? undefined,
    Volumes: cfg.Volumes ?? undefined,
    Healthcheck: (cfg as { Healthcheck?: ContainerCreateOptions['Healthcheck'] }).Healthcheck ?? undefined,
    StopSignal: (cfg as { StopSignal?: string }).StopSignal ?? undefined,
    StopTimeout: (cfg as { StopTimeout?: number }).StopTimeout ?? undefined,
    Tty: cfg.Tty,
    OpenStdin: cfg.OpenStdin,
    StdinOnce: cfg.StdinOnce,
    HostConfig: host as ContainerCreateOptions['HostConfig'],
    ...(first ? { NetworkingConfig: { EndpointsConfig: { [first[0]]: { Aliases: aliasesOf(first[1]) } } } } : {}),
  };
  return { create, extraNetworks: rest.map(([name, ep]) => ({ name, aliases: aliasesOf(ep) })) };
}

/**
 * The template made concrete for replica number `n`, named as Compose would name it, and
 * labelled with the operation `opId` creating it: what tells a container Fleetdeck made and
 * never started (a crash between create and start) from one a user created.
 */
export function replicaSpec(t: ReplicaTemplate, name: string, n: number, opId: string): ContainerCreateOptions {
  const labels: Record<string, string> = { ...(t.create.Labels ?? {}), [FLEETDECK_REPLICA]: String(n), [FLEETDECK_OP]: opId };
  if (labels[COMPOSE_NUMBER] !== undefined) labels[COMPOSE_NUMBER] = String(n);
  return { ...t.create, name, Labels: labels };
}

/** `shop-web-3` for Compose and Fleetdeck services, the pattern `docker compose up --scale` uses. */
export function replicaName(project: string | undefined, service: string, n: number): string {
  return `${project ? `${project}-` : ''}${service}-${n}`;
}
