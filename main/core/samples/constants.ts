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
