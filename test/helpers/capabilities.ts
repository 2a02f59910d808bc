import type { EnvironmentCapabilities } from '../../main/common/model';

/** What a Docker engine can do, for tests that build Environment values by hand. */
export const DOCKER_CAPS: EnvironmentCapabilities = {
  instanceActions: ['start', 'stop', 'restart', 'remove'],
  scale: true,
  rollingRestart: true,
  terminal: true,
  metrics: ['cpu', 'memory', 'network', 'requests'],
  namespaces: false,
  removable: false,
  activity: true,
  inspect: false,
};
