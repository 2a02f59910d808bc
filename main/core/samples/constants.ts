/** Names shared by the sample services' build, start and stop. */

export const SAMPLE_SERVICES = [
  { name: 'user-service', port: 5000 },
  { name: 'order-service', port: 5001 },
] as const;

export type SampleServiceName = (typeof SAMPLE_SERVICES)[number]['name'];

export const LABEL_SERVICE = 'dev.fleetdeck.service';
export const LABEL_PROJECT = 'dev.fleetdeck.project';
export const LABEL_REPLICA = 'dev.fleetdeck.replica';

/** The project label of the samples that `npm run samples:up` and the panel start. */
export const DEFAULT_PROJECT = 'samples';

/**
 * The samples' project: FLEETDECK_SAMPLES_PROJECT where set (tests use their own, so they never
 * touch the samples a developer is running), else `samples`.
 */
export function samplesProject(env: NodeJS.ProcessEnv = process.env): string {
  const p = env.FLEETDECK_SAMPLES_PROJECT?.trim();
  if (!p) return DEFAULT_PROJECT;
  if (!/^[a-z0-9][a-z0-9_-]{0,40}$/.test(p)) {
    throw new Error(`FLEETDECK_SAMPLES_PROJECT "${p}" must be lower-case letters, digits, - or _ (at most 41).`);
  }
  return p;
}

export function sampleImage(service: SampleServiceName, tag = 'dev'): string {
  return `fleetdeck/${service}:${tag}`;
}

export function networkName(project: string): string {
  return `fleetdeck-${project}`;
}

export function containerName(project: string, service: SampleServiceName, replica: number): string {
  return `fleetdeck-${project}-${service}-${replica}`;
}

export type Progress = (message: string) => void;
