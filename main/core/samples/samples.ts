/**
 * Starts and removes the sample services on a Docker engine without Compose:
 * a user-defined network, each service's name as its network alias (so
 * order-service finds http://user-service:5000), ports published on 127.0.0.1
 * at free host ports, and Fleetdeck's labels. Idempotent: starting twice
 * keeps what runs and only adds or restarts what is missing.
 */
import type Docker from 'dockerode';
import { ApiError } from '../../common/errors';
import {
  DEFAULT_PROJECT,
  LABEL_PROJECT,
  LABEL_REPLICA,
  LABEL_SERVICE,
  SAMPLE_SERVICES,
  containerName,
  networkName,
  sampleImage,
  type Progress,
  type SampleServiceName,
} from './constants';

export interface StartSamplesOptions {
  /** Project label and name prefix (default "samples"); tests use a unique one. */
  project?: string;
  /** Replicas per service (default user-service 3, order-service 2, as in compose.yaml). */
  replicas?: Partial<Record<SampleServiceName, number>>;
  /** Extra environment per service, e.g. { 'user-service': { FAULT_LATENCY_MS: '200' } }. */
  env?: Partial<Record<SampleServiceName, Record<string, string>>>;
  /** Wait until every instance answers /ready on its published port (default true). */
  waitReady?: boolean;
  /** How long to wait for readiness (default 30 s). */
  readyTimeoutMs?: number;
  onProgress?: Progress;
}

export interface SampleInstance {
  service: SampleServiceName;
  replica: number;
  id: string;
  name: string;
  image: string;
  /** The port published on 127.0.0.1. */
  hostPort: number;
  /** http://127.0.0.1:<hostPort> */
  url: string;
  /** What this call did: created it, started a stopped one, or found it running. */
  action: 'created' | 'started' | 'kept';
}

export interface StartSamplesResult {
  project: string;
  network: string;
  instances: SampleInstance[];
}

export interface StopSamplesResult {
  project: string;
  /** Names of the containers removed. */
  removed: string[];
  networkRemoved: boolean;
}

export const DEFAULT_REPLICAS: Record<SampleServiceName, number> = { 'user-service': 3, 'order-service': 2 };

const MEMORY_LIMIT = 256 * 1024 * 1024;

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}

async function assertEngine(docker: Docker): Promise<void> {
  try {
    await docker.ping();
  } catch (err) {
    throw new ApiError(
      'UNREACHABLE',
      `The Docker engine does not answer (${err instanceof Error ? err.message : String(err)}).`,
      'Start Docker, or point DOCKER_HOST at a running engine.',
    );
  }
}

async function assertImages(docker: Docker, services: SampleServiceName[]): Promise<void> {
  const missing: string[] = [];
  for (const service of services) {
    try {
      await docker.getImage(sampleImage(service)).inspect();
    } catch (err) {
      if (statusOf(err) === 404) missing.push(sampleImage(service));
      else throw err;
    }
  }
  if (missing.length > 0) {
    throw new ApiError(
      'NOT_FOUND',
      `The sample image${missing.length > 1 ? 's' : ''} ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not on this Docker engine.`,
      'Run `npm run samples:build` first: it builds them offline from the local Node runtime.',
    );
  }
}

async function ensureNetwork(docker: Docker, project: string): Promise<string> {
  const name = networkName(project);
  try {
    await docker.getNetwork(name).inspect();
    return name;
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  try {
    await docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { [LABEL_PROJECT]: project } });
  } catch (err) {
    if (statusOf(err) !== 409) throw err; // created meanwhile by a concurrent start
  }
  return name;
}

function listProject(docker: Docker, project: string) {
  return docker.listContainers({ all: true, filters: { label: [`${LABEL_PROJECT}=${project}`] } });
}

function createSpec(project: string, network: string, service: SampleServiceName, port: number, replica: number, env: Record<string, string>) {
  const exposed = `${port}/tcp`;
  return {
    name: containerName(project, service, replica),
    Image: sampleImage(service),
    Labels: { [LABEL_SERVICE]: service, [LABEL_PROJECT]: project, [LABEL_REPLICA]: String(replica) },
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    ExposedPorts: { [exposed]: {} },
    StopTimeout: 10,
    HostConfig: {
      NetworkMode: network,
      PortBindings: { [exposed]: [{ HostIp: '127.0.0.1', HostPort: '' }] }, // '' = a free port, chosen by the engine
      RestartPolicy: { Name: 'no' },
      Memory: MEMORY_LIMIT,
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [service] } } },
  };
}

async function publishedPort(container: Docker.Container, port: number): Promise<number> {
  const info = await container.inspect();
  const binding = info.NetworkSettings.Ports?.[`${port}/tcp`]?.find((b) => b.HostIp === '127.0.0.1') ?? info.NetworkSettings.Ports?.[`${port}/tcp`]?.[0];
  const hostPort = Number(binding?.HostPort);
  if (!Number.isInteger(hostPort) || hostPort <= 0) throw new ApiError('INTERNAL', `${info.Name.slice(1)} has no published port for ${port}/tcp.`);
  return hostPort;
}

async function waitReady(instance: SampleInstance, deadline: number): Promise<void> {
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${instance.url}/ready`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new ApiError('TIMEOUT', `${instance.name} did not become ready on ${instance.url} (${last}).`, `See its logs: docker logs ${instance.name}`);
}

/** Starts the sample services (or what is missing of them) and returns every instance with its published port. */
export async function startSamples(docker: Docker, options: StartSamplesOptions = {}): Promise<StartSamplesResult> {
  const project = options.project ?? DEFAULT_PROJECT;
  const progress = options.onProgress ?? (() => {});
  const replicas = { ...DEFAULT_REPLICAS, ...options.replicas };
  const wanted = SAMPLE_SERVICES.filter((s) => replicas[s.name] > 0);
  await assertEngine(docker);
  await assertImages(
    docker,
    wanted.map((s) => s.name),
  );
  const network = await ensureNetwork(docker, project);
  progress(`network ${network} ready`);

  const existing = new Map((await listProject(docker, project)).map((c) => [c.Names[0]?.replace(/^\//, '') ?? c.Id, c]));
  const instances: SampleInstance[] = [];
  // user-service first: order-service looks it up by its alias.
  for (const { name: service, port } of wanted) {
    for (let replica = 1; replica <= replicas[service]; replica++) {
      const name = containerName(project, service, replica);
      const found = existing.get(name);
      let container: Docker.Container;
      let action: SampleInstance['action'];
      if (found) {
        container = docker.getContainer(found.Id);
        action = found.State === 'running' ? 'kept' : 'started';
      } else {
        try {
          container = await docker.createContainer(createSpec(project, network, service, port, replica, options.env?.[service] ?? {}));
          action = 'created';
        } catch (err) {
          if (statusOf(err) !== 409) throw err;
          container = docker.getContainer(name); // created meanwhile by a concurrent start
          action = 'started';
        }
      }
      if (action !== 'kept') {
        try {
          await container.start();
        } catch (err) {
          if (statusOf(err) !== 304) throw err; // already running
        }
      }
      const hostPort = await publishedPort(container, port);
      instances.push({ service, replica, id: container.id, name, image: sampleImage(service), hostPort, url: `http://127.0.0.1:${hostPort}`, action });
      progress(`${name} ${action}, ${service} on 127.0.0.1:${hostPort}`);
    }
  }

  if (options.waitReady !== false) {
    const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
    await Promise.all(instances.map((i) => waitReady(i, deadline)));
    progress('all instances ready');
  }
  return { project, network, instances };
}

/** Stops (gracefully, SIGTERM then 10 s) and removes every sample container of the project, then its network. */
export async function stopSamples(docker: Docker, options: { project?: string; onProgress?: Progress } = {}): Promise<StopSamplesResult> {
  const project = options.project ?? DEFAULT_PROJECT;
  const progress = options.onProgress ?? (() => {});
  await assertEngine(docker);
  const containers = await listProject(docker, project);
  const removed: string[] = [];
  await Promise.all(
    containers.map(async (c) => {
      const name = c.Names[0]?.replace(/^\//, '') ?? c.Id;
      const container = docker.getContainer(c.Id);
      try {
        if (c.State === 'running') await container.stop({ t: 10 });
      } catch (err) {
        if (statusOf(err) !== 304 && statusOf(err) !== 404) throw err;
      }
      try {
        await container.remove({ v: true, force: true });
        removed.push(name);
        progress(`${name} removed`);
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    }),
  );
  let networkRemoved = false;
  try {
    await docker.getNetwork(networkName(project)).remove();
    networkRemoved = true;
    progress(`network ${networkName(project)} removed`);
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  return { project, removed: removed.sort(), networkRemoved };
}
