/** npm run samples:up — starts the sample services on the local Docker engine (no Compose needed). */
import Docker from 'dockerode';
import { formatError, type ApiError } from '../main/common/errors';
import { resolveDockerEndpoint } from '../main/core/docker/endpoint';
import { samplesProject, startSamples } from '../main/core/samples';

const docker = new Docker(resolveDockerEndpoint().options);
try {
  const result = await startSamples(docker, { project: samplesProject(), onProgress: (m) => console.log(`• ${m}`) });
  console.log(`\nSample services up on network ${result.network}:`);
  for (const i of result.instances) console.log(`  ${i.name.padEnd(40)} ${i.url}`);
  const order = result.instances.find((i) => i.service === 'order-service');
  const user = result.instances.find((i) => i.service === 'user-service');
  if (user) console.log(`\nTry: curl ${user.url}/user/7`);
  if (order) console.log(`     curl ${order.url}/orders/7`);
  console.log('Remove them with: npm run samples:down');
} catch (err) {
  const e = err as ApiError;
  console.error(`samples:up failed: ${e.code ? formatError(e.toBody()) : e.message}`);
  process.exitCode = 1;
}
