/**
 * npm run samples:build [-- --base <image>] [-- --rebuild-base]
 * Bundles user-service and order-service and builds fleetdeck/{user,order}-service:dev.
 * Without --base, the base image is imported from this Node runtime (no registry needed).
 */
import Docker from 'dockerode';
import { resolveDockerEndpoint } from '../main/core/docker/endpoint';
import { buildSampleImages } from '../main/core/samples/build';

const args = process.argv.slice(2);
const baseAt = args.indexOf('--base');
const baseImage = baseAt >= 0 ? args[baseAt + 1] : process.env.SAMPLES_BASE_IMAGE || undefined;
const docker = new Docker(resolveDockerEndpoint().options);
const t0 = Date.now();
try {
  const result = await buildSampleImages(docker, {
    root: process.cwd(),
    ...(baseImage ? { baseImage } : {}),
    rebuildBase: args.includes('--rebuild-base'),
    onProgress: (m) => console.log(`• ${m}`),
  });
  console.log(`Built ${result.images.join(', ')} on ${result.baseImage} in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
} catch (err) {
  console.error(`samples:build failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
