import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerHost, resolveDockerEndpoint } from '../../../../main/core/docker/endpoint';

test('DOCKER_HOST unix and tcp are understood as the docker CLI does', () => {
  assert.deepEqual(parseDockerHost('unix:///run/user/1000/podman/podman.sock'), {
    display: 'unix:///run/user/1000/podman/podman.sock',
    options: { socketPath: '/run/user/1000/podman/podman.sock' },
  });
  assert.deepEqual(parseDockerHost('tcp://127.0.0.1:2375'), {
    display: 'tcp://127.0.0.1:2375',
    options: { host: '127.0.0.1', port: 2375, protocol: 'http' },
  });
  assert.equal(parseDockerHost('tcp://10.0.0.5:2376').options.protocol, 'https');
  assert.equal(parseDockerHost('tcp://h:2375', { DOCKER_TLS_VERIFY: '1' }).options.protocol, 'https');
  assert.equal(parseDockerHost('ssh://me@build-box').display, 'ssh://me@build-box');
});

test('a bad DOCKER_HOST is a clear error', () => {
  assert.throws(() => parseDockerHost('ftp://x'), /not supported/);
  assert.throws(() => parseDockerHost('not a url'), /not a URL/);
});

test('without DOCKER_HOST, the user socket wins over the system socket', () => {
  const home = resolveDockerEndpoint({}, (p) => String(p).includes('.docker/run'));
  assert.match(home.display, /\.docker\/run\/docker\.sock$/);
  assert.equal(resolveDockerEndpoint({}, () => false).display, 'unix:///var/run/docker.sock');
});

test('a DOCKER_HOST that does not parse becomes an endpoint that says what is wrong, not a crash', async () => {
  const { localDockerEndpoint } = await import('../../../../main/core/docker/endpoint');
  const e = localDockerEndpoint({ DOCKER_HOST: 'localhost:2375' });
  assert.equal(e.display, 'localhost:2375');
  assert.match(e.problem ?? '', /not supported|not a URL/);
  assert.match(e.problem ?? '', /Fix DOCKER_HOST/);
  const { DockerEngine } = await import('../../../../main/core/docker/engine');
  const engine = new DockerEngine(e);
  const status = new Promise<{ state: string; problem?: string }>((r) => engine.once('status', r));
  engine.start();
  const s = await status;
  engine.stop();
  assert.equal(s.state, 'unreachable');
  assert.match(s.problem ?? '', /Fix DOCKER_HOST/);
});
