/** A container as the engine inspects it → the panel's Instance. Pure, so it is tested on recorded payloads. */
import type { Health, Instance, InstanceState, PortMapping } from '../../common/model';
import { plainText } from '../../common/output-policy';
import { replicaOf } from './labels';

/** The part of `docker inspect` we read (dockerode's ContainerInspectInfo fits). */
export interface InspectLike {
  Id: string;
  Name: string;
  Created: string;
  RestartCount: number;
  Config: { Image: string; Labels?: Record<string, string> | null };
  State: {
    Status: string;
    Running: boolean;
    Paused: boolean;
    Restarting: boolean;
    StartedAt: string;
    ExitCode: number;
    Health?: { Status: string } | null;
  };
  NetworkSettings: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> | null };
  HostConfig?: { PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null };
}

/**
 * The display fields (name, image) pass the output policy here, once for the page and the CLI.
 * The id stays as the engine gave it, since actions address the container by it; the engine only
 * accepts names of [a-zA-Z0-9][a-zA-Z0-9_.-]+, on which the policy changes nothing, so finding
 * an instance by name still works.
 */
export function toInstance(c: InspectLike): Instance {
  const state = stateOf(c.State);
  const started = Date.parse(c.State.StartedAt);
  // Containers started by hand as `web-1` count as replica 1 too.
  const replica = replicaOf(c.Config.Labels ?? undefined) ?? Number(/-(\d{1,4})$/.exec(c.Name)?.[1] ?? NaN);
  return {
    id: c.Id,
    shortId: plainText(c.Id.slice(0, 12)),
    name: plainText(c.Name.replace(/^\//, '')),
    image: plainText(c.Config.Image),
    state,
    health: healthOf(c.State.Health?.Status),
    ...(state === 'running' && started > 0 ? { startedAt: started } : {}),
    createdAt: Date.parse(c.Created),
    ports: portsOf(c),
    restartCount: c.RestartCount ?? 0,
    ...(state === 'exited' || state === 'dead' ? { exitCode: c.State.ExitCode } : {}),
    ...(Number.isInteger(replica) ? { replica } : {}),
  };
}

function stateOf(s: InspectLike['State']): InstanceState {
  switch (s.Status) {
    case 'created':
    case 'running':
    case 'restarting':
    case 'paused':
    case 'exited':
    case 'dead':
    case 'removing':
      return s.Status;
    default:
      return s.Running ? 'running' : 'exited';
  }
}

function healthOf(h: string | undefined): Health {
  return h === 'healthy' || h === 'unhealthy' || h === 'starting' ? h : 'none';
}

/** Published ports; a stopped container still shows what it would publish. */
function portsOf(c: InspectLike): PortMapping[] {
  const live = c.NetworkSettings.Ports ?? {};
  const wanted = c.HostConfig?.PortBindings ?? {};
  const keys = new Set([...Object.keys(live), ...Object.keys(wanted)]);
  const out: PortMapping[] = [];
  for (const key of keys) {
    const [port, proto = 'tcp'] = key.split('/');
    const containerPort = Number(port);
    const protocol = (proto === 'udp' || proto === 'sctp' ? proto : 'tcp') as PortMapping['protocol'];
    const bindings = live[key] ?? null;
    if (!bindings || bindings.length === 0) {
      out.push({ containerPort, protocol });
      continue;
    }
    const seen = new Set<string>();
    for (const b of bindings) {
      // The engine lists IPv4 and IPv6 bindings of one port separately; one row is enough.
      const hostPort = Number(b.HostPort);
      if (seen.has(b.HostPort)) continue;
      seen.add(b.HostPort);
      out.push({ containerPort, protocol, hostIp: b.HostIp || '0.0.0.0', ...(hostPort ? { hostPort } : {}) });
    }
  }
  return out.sort((a, b) => a.containerPort - b.containerPort || (a.hostPort ?? 0) - (b.hostPort ?? 0));
}
