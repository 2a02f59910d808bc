// Starts: one user-service container with FAULT_LATENCY_MS=1500 on the real Docker engine (unique project), SIGTERMs it during a slow request; removes it after.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startSamples, stopSamples } from '../../../main/core/samples';
import { dockerOrSkip, ensureSampleImages, getJson, sleep, uniqueProject } from './helpers';

const engine = await dockerOrSkip();

describe('graceful shutdown in a container', { skip: engine.skip }, () => {
  const docker = engine.docker!;
  const project = uniqueProject('sigterm');
  after(() => stopSamples(docker, { project }));

  test('SIGTERM during a slow request lets it finish, then the process exits 0', async () => {
    await ensureSampleImages(docker);
    const started = await startSamples(docker, {
      project,
      replicas: { 'user-service': 1, 'order-service': 0 },
      env: { 'user-service': { FAULT_LATENCY_MS: '1500' } },
    });
    const [instance] = started.instances;
    assert.ok(instance);
    const container = docker.getContainer(instance.id);
    const slow = getJson(`${instance.url}/user/7`, 8000);
    await sleep(400); // the request is in flight, sleeping in the injected latency
    const t0 = Date.now();
    await container.kill({ signal: 'SIGTERM' });
    const res = await slow;
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { id: 7, name: 'User 7' });
    const exit = (await container.wait()) as { StatusCode: number };
    assert.equal(exit.StatusCode, 0);
    assert.ok(Date.now() - t0 < 10_000, 'exited within 10 s');
    const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
    assert.match(logs, /"msg":"shutting down/);
    assert.match(logs, /"url":"\/user\/7","route":"\/user\/:id","status":200/);
    assert.match(logs, /"msg":"shutdown complete"/);
  });
});
