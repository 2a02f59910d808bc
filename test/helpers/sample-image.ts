import { execFileSync } from 'node:child_process';
import Docker from 'dockerode';
import { buildSampleImages } from '../../main/core/samples';

export const USER_IMAGE = 'fleetdeck/user-service:dev';

/** The sample user-service image, built offline on first need (npm test builds it before this). */
export async function ensureUserImage(): Promise<void> {
  try {
    execFileSync('docker', ['image', 'inspect', USER_IMAGE], { stdio: 'ignore' });
  } catch {
    await buildSampleImages(new Docker());
  }
}
