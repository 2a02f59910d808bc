/** Where the local Docker engine is: DOCKER_HOST, else the usual sockets, as the docker CLI looks. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DockerOptions } from 'dockerode';

export interface DockerEndpoint {
  /** What the user sees: `unix:///var/run/docker.sock`, `tcp://127.0.0.1:2375`. */
  display: string;
  options: DockerOptions;
  /** Set when the address itself is wrong: the engine is shown unreachable with this, and not retried. */
  problem?: string;
}

/** The local endpoint, or — for a DOCKER_HOST that does not parse — one that says what is wrong with it. */
export function localDockerEndpoint(env: NodeJS.ProcessEnv = process.env): DockerEndpoint {
  try {
    return resolveDockerEndpoint(env);
  } catch (e) {
    return {
      display: env.DOCKER_HOST ?? '',
      options: { socketPath: '/nonexistent/invalid-DOCKER_HOST' },
      problem: `${(e as Error).message} Fix DOCKER_HOST and restart Fleetdeck.`,
    };
  }
}

export function resolveDockerEndpoint(env: NodeJS.ProcessEnv = process.env, exists = existsSync): DockerEndpoint {
  const host = env.DOCKER_HOST?.trim();
  if (host) return parseDockerHost(host, env);
  const candidates = [join(homedir(), '.docker', 'run', 'docker.sock'), '/var/run/docker.sock'];
  const socketPath = candidates.find((p) => exists(p)) ?? '/var/run/docker.sock';
  return { display: `unix://${socketPath}`, options: { socketPath } };
}

export function parseDockerHost(host: string, env: NodeJS.ProcessEnv = {}): DockerEndpoint {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new Error(`DOCKER_HOST "${host}" is not a URL; use unix:///path/docker.sock, tcp://host:port or ssh://user@host.`);
  }
  switch (url.protocol) {
    case 'unix:':
      return { display: `unix://${url.pathname}`, options: { socketPath: url.pathname } };
    case 'npipe:':
      return { display: host, options: { socketPath: host.replace(/^npipe:\/\//, '') } };
    case 'tcp:':
    case 'http:':
    case 'https:': {
      const tls = url.protocol === 'https:' || env.DOCKER_TLS_VERIFY === '1' || url.port === '2376';
      const port = Number(url.port || (tls ? 2376 : 2375));
      const display = `tcp://${url.hostname}:${port}`;
      if (!tls) return { display, options: { host: url.hostname, port, protocol: 'http' } };
      // dockerode reads the certificates from DOCKER_CERT_PATH itself when protocol is https.
      return { display, options: { host: url.hostname, port, protocol: 'https' } };
    }
    case 'ssh:':
      return {
        display: `ssh://${url.username ? `${url.username}@` : ''}${url.hostname}${url.port ? `:${url.port}` : ''}`,
        options: { host: url.hostname, port: Number(url.port || 22), protocol: 'ssh', username: url.username || undefined },
      };
    default:
      throw new Error(`DOCKER_HOST scheme "${url.protocol}" is not supported; use unix://, tcp:// or ssh://.`);
  }
}
