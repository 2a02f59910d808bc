/** npm run samples:down — stops and removes the sample services started by samples:up (or the panel). */
import Docker from 'dockerode';
import { formatError, type ApiError } from '../main/common/errors';
import { resolveDockerEndpoint } from '../main/core/docker/endpoint';
import { samplesProject, stopSamples } from '../main/core/samples';

const docker = new Docker(resolveDockerEndpoint().options);
try {
  const result = await stopSamples(docker, { project: samplesProject(), onProgress: (m) => console.log(`• ${m}`) });
  console.log(result.removed.length > 0 ? `Removed ${result.removed.length} sample container(s).` : 'No sample containers were running.');
} catch (err) {
  const e = err as ApiError;
  console.error(`samples:down failed: ${e.code ? formatError(e.toBody()) : e.message}`);
  process.exitCode = 1;
}
