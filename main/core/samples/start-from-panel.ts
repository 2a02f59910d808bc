/**
 * "Start sample services" from the panel: start them, and where the images are missing but
 * this is a checkout of the repository, build them first (offline) instead of failing.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { ApiError } from '../../common/errors';
import { buildSampleImages } from './build';
import { samplesProject } from './constants';
import { startSamples } from './samples';

/** The repository root holding services-sample/, from the source tree or from dist/main. */
export function samplesRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.FLEETDECK_REPO_ROOT) return env.FLEETDECK_REPO_ROOT;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'services-sample', 'user-service', 'src'))) return dir;
    dir = dirname(dir);
  }
  return undefined;
}

export async function startSamplesFromPanel(docker: Docker, progress: (message: string) => void): Promise<number> {
  try {
    const r = await startSamples(docker, { project: samplesProject(), onProgress: progress });
    return r.instances.length;
  } catch (e) {
    const root = samplesRoot();
    if (!(e instanceof ApiError) || e.code !== 'NOT_FOUND' || !/image/i.test(e.message) || !root) throw e;
    progress('Building the sample images (first time only, about 10 s)…');
    await buildSampleImages(docker, { root, onProgress: progress });
    const r = await startSamples(docker, { project: samplesProject(), onProgress: progress });
    return r.instances.length;
  }
}
