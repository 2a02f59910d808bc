/**
 * The engine behind both pipes and the CLI: owns the connections to Docker and
 * Kubernetes and implements the API contract once.
 */
import { PROTOCOL_VERSION } from '../common/api';
import type { AppInfo } from '../common/model';
import type { ApiImpl } from './api/contract';
import { ApiSession } from './api/session';
import { APP_NAME, APP_VERSION } from './app-info';
import { resolveDockerEndpoint, type DockerEndpoint } from './docker/endpoint';
import { DockerEngine } from './docker/engine';
import { Environments } from './environments';
import { kubeconfigPaths } from './kubernetes/kubeconfig';

export interface CoreOptions {
  mode: AppInfo['mode'];
  env?: NodeJS.ProcessEnv;
  docker?: DockerEndpoint;
}

export class Core {
  readonly docker: DockerEngine;
  readonly environments: Environments;
  readonly api: ApiImpl;
  private readonly options: CoreOptions;

  constructor(options: CoreOptions) {
    this.options = options;
    const env = options.env ?? process.env;
    this.docker = new DockerEngine(options.docker ?? resolveDockerEndpoint(env));
    this.environments = new Environments(this.docker, env);
    this.api = {
      methods: {
        'app.info': () => this.info(),
        'environments.list': () => this.environments.list(),
        'environments.reconnect': ({ id }) => this.environments.reconnect(id),
      },
      streams: {
        'environments.watch': (_p, sink) => {
          const on = (list: ReturnType<Environments['list']>) => sink.next(list);
          this.environments.on('change', on);
          sink.next(this.environments.list());
          return () => this.environments.off('change', on);
        },
      },
    };
  }

  async start(): Promise<this> {
    await this.environments.start();
    return this;
  }

  stop(): void {
    this.environments.stop();
  }

  /** A session for one client of either pipe. */
  session(transmit: (text: string) => void): ApiSession {
    return new ApiSession(this.api, transmit, { name: APP_NAME, version: APP_VERSION });
  }

  info(): AppInfo {
    return {
      name: APP_NAME,
      version: APP_VERSION,
      protocol: PROTOCOL_VERSION,
      mode: this.options.mode,
      node: process.versions.node,
      platform: process.platform,
      kubeconfigPaths: kubeconfigPaths(this.options.env ?? process.env),
    };
  }
}
