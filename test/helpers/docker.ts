import { execFileSync } from 'node:child_process';

/** Why Docker tests cannot run here, or undefined when an engine answers. */
export function dockerUnavailable(): string | undefined {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 10_000 });
    return undefined;
  } catch (e) {
    return `no Docker engine answers (${(e as Error).message.split('\n')[0]}); "npm test" starts one where it can`;
  }
}

export function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }).trim();
}

/** Skips with the reason printed, never silently. */
export function skipReason(): string | false {
  const why = dockerUnavailable();
  if (why) console.log(`# skipped: ${why}`);
  return why ?? false;
}

/** Removes every container a test made under its project label (running or not). */
export function removeProject(project: string): void {
  const ids = docker('ps', '-aq', '--filter', `label=dev.fleetdeck.project=${project}`).split('\n').filter(Boolean);
  if (ids.length) docker('rm', '-f', ...ids);
}

/**
 * `docker run -d` of replica 1 of `service` under a test's project label (what the panel lists as that
 * service), named `<project>-<service>-1`; `options` go before the image, `command` after. Its id.
 */
export function runReplica(project: string, service: string, options: string[], image: string, ...command: string[]): string {
  return docker(
    'run',
    '-d',
    '--name',
    `${project}-${service}-1`,
    '--label',
    `dev.fleetdeck.service=${service}`,
    '--label',
    `dev.fleetdeck.project=${project}`,
    ...options,
    image,
    ...command,
  );
}
