import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ContainerInspectInfo } from 'dockerode';
import { replicaName, replicaSpec, templateFrom } from '../../../../main/core/docker/clone';
import { toInstance } from '../../../../main/core/docker/instance';
import { serviceIdOf, serviceKeyOf } from '../../../../main/core/docker/labels';

// Recorded from Docker 20.10: a Compose-labelled replica with a port on 127.0.0.1, a bind mount,
// a restart policy, a memory limit, an env var, and a network alias.
const inspect = JSON.parse(readFileSync(new URL('../../../fixtures/docker/inspect-compose-web.json', import.meta.url), 'utf8')) as ContainerInspectInfo;

test('a recorded container becomes an instance with its state, health, ports and replica number', () => {
  const i = toInstance(inspect as never);
  assert.equal(i.name, 'shop-web-1');
  assert.equal(i.shortId, inspect.Id.slice(0, 12));
  assert.equal(i.state, 'running');
  assert.equal(i.health, 'starting');
  assert.equal(i.replica, 1);
  assert.equal(i.image, 'fleetdeck/user-service:dev');
  assert.equal(i.ports.length, 1);
  assert.equal(i.ports[0]!.containerPort, 5000);
  assert.equal(i.ports[0]!.hostIp, '127.0.0.1');
  assert.ok(i.ports[0]!.hostPort! > 0);
  assert.ok(i.startedAt! >= i.createdAt);
});

test('Compose labels name the service; the Fleetdeck label too; anything else is standalone', () => {
  assert.deepEqual(serviceKeyOf(inspect.Config.Labels, 'shop-web-1'), { group: 'compose', name: 'web', project: 'shop' });
  assert.deepEqual(serviceKeyOf({ 'dev.fleetdeck.service': 'api' }, 'x'), { group: 'fleetdeck', name: 'api' });
  assert.deepEqual(serviceKeyOf({}, 'redis'), { group: 'standalone', name: 'redis' });
  assert.equal(serviceIdOf('docker:local', { group: 'compose', name: 'web', project: 'shop' }), 'docker:local/shop/web');
  assert.equal(serviceIdOf('docker:local', { group: 'standalone', name: 'redis' }), 'docker:local/container/redis');
});

test('a replica clones image, command, env, labels, mounts, limits, restart policy, healthcheck, network and alias', () => {
  const t = templateFrom(inspect);
  const spec = replicaSpec(t, replicaName('shop', 'web', 4), 4, 'a1b2c3');
  assert.equal(spec.name, 'shop-web-4');
  assert.equal(spec.Labels?.['dev.fleetdeck.op'], 'a1b2c3', 'the operation that made it, for recovery after a crash');
  assert.equal(spec.Image, 'fleetdeck/user-service:dev');
  assert.deepEqual(spec.Cmd, inspect.Config.Cmd);
  assert.ok(spec.Env?.includes('SECRET_KEY=abc'));
  assert.equal(spec.Labels?.['com.docker.compose.service'], 'web');
  assert.equal(spec.Labels?.['com.docker.compose.container-number'], '4', 'the replica number follows the new replica');
  assert.deepEqual(spec.HostConfig?.Binds, ['/tmp:/data:ro']);
  assert.equal(spec.HostConfig?.RestartPolicy?.Name, 'unless-stopped');
  assert.equal(spec.HostConfig?.Memory, 256 * 1024 * 1024);
  assert.deepEqual(spec.Healthcheck?.Test, inspect.Config.Healthcheck?.Test);
  const net = Object.keys(inspect.NetworkSettings.Networks)[0]!;
  assert.deepEqual(spec.NetworkingConfig?.EndpointsConfig?.[net]?.Aliases, ['web'], 'the service alias, not the old name or id');
});

test('published ports keep their host IP but ask for a free host port', () => {
  const spec = templateFrom(inspect).create;
  assert.deepEqual(spec.HostConfig?.PortBindings, { '5000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
});

test('the template does not change the container it was made from', () => {
  const before = JSON.stringify(inspect);
  replicaSpec(templateFrom(inspect), 'x', 2, 'a1b2c3');
  assert.equal(JSON.stringify(inspect), before);
});
