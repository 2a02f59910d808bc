// Starts: containers of the sample user-service image (built offline if missing) on the running engine,
// under a unique project label and network; all removed at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Core } from '../../../main/core/core';
import type { DockerEngineEvent } from '../../../main/core/docker/engine';
import { docker, removeProject, skipReason } from '../../helpers/docker';
import { testCore, untilServices } from '../../helpers/core';
import { USER_IMAGE, ensureUserImage } from '../../helpers/sample-image';

const skip = skipReason();
const project = `fdtest${randomBytes(3).toString('hex')}`;
const net = `${project}-net`;
let core: Core;

const ps = () =>
  docker('ps', '-a', '--filter', `label=dev.fleetdeck.project=${project}`, '--format', '{{.Names}}\t{{.State}}\t{{.Ports}}')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [name, state, ports] = l.split('\t');
      return { name: name!, state: state!, ports: ports ?? '' };
    });

function runWeb(name: string, extra: string[] = []): string {
  return docker(
    'run',
    '-d',
    '--name',
    name,
    '--network',
    net,
    '--network-alias',
    'web',
    '--label',
    'dev.fleetdeck.service=web',
    '--label',
    `dev.fleetdeck.project=${project}`,
    '--health-interval',
    '1s',
    '--health-start-period',
    '1s',
    '-p',
    '127.0.0.1::5000',
    '-e',
    'GREETING=hello',
    ...extra,
    USER_IMAGE,
  );
}

before(async () => {
  if (skip) return;
  await ensureUserImage();
  docker('network', 'create', net);
  core = await testCore();
});

after(() => {
  if (skip) return;
  core?.stop();
  removeProject(project);
  docker('network', 'rm', net);
});

test('containers started outside the panel are discovered as a service within a second', { skip }, async () => {
  const t0 = Date.now();
  runWeb(`${project}-web-1`);
  const list = await untilServices(core, (l) => l.some((s) => s.project === project && s.instances.length === 1), 5_000);
  const elapsed = Date.now() - t0;
  const web = list.find((s) => s.project === project)!;
  assert.equal(web.name, 'web');
  assert.equal(web.group, 'fleetdeck');
  assert.equal(web.instances[0]!.image, USER_IMAGE);
  assert.ok(elapsed < 5_000, `seen after ${elapsed} ms`);
  const port = web.instances[0]!.ports.find((p) => p.containerPort === 5000)!;
  assert.equal(port.hostIp, '127.0.0.1');
  assert.ok(port.hostPort && port.hostPort > 0);
  const healthy = await untilServices(core, (l) => l.some((s) => s.project === project && s.healthy === 1));
  assert.equal(healthy.find((s) => s.project === project)!.instances[0]!.health, 'healthy');
});

test('a plain container without labels is listed as standalone, at the end', { skip }, async () => {
  const name = `${project}-lonely`;
  // The base image carries no service labels (the sample images do).
  const base = docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0]!;
  docker('run', '-d', '--name', name, base, 'node', '-e', 'setInterval(() => {}, 1e9)');
  try {
    const list = await untilServices(core, (l) => l.some((s) => s.name === name));
    const svc = list.find((s) => s.name === name)!;
    assert.equal(svc.group, 'standalone');
    assert.equal(svc.scalable, false);
    assert.equal(list.at(-1)!.group, 'standalone');
    await assert.rejects(core.services.scale(svc.id, 2), /standalone container/);
  } finally {
    docker('rm', '-f', name);
  }
});

test('scale 1 → 5 → 0 → 2, checked against the engine’s own container list', { skip }, async () => {
  const id = core.services.resolve(`${project}/web`).id;

  const five = await core.services.scale(id, 5);
  assert.equal(five.instances.length, 5);
  let rows = ps();
  assert.equal(rows.length, 5);
  assert.ok(
    rows.every((r) => r.state === 'running'),
    JSON.stringify(rows),
  );
  // Each replica publishes on 127.0.0.1 with its own free host port, and answers there.
  const ports = five.instances.map((i) => i.ports.find((p) => p.containerPort === 5000)!);
  assert.ok(ports.every((p) => p.hostIp === '127.0.0.1'));
  assert.equal(new Set(ports.map((p) => p.hostPort)).size, 5);
  // The clone kept the network alias, env and labels.
  const clone = five.instances.find((i) => i.name !== `${project}-web-1`)!;
  const inspect = JSON.parse(docker('inspect', clone.id))[0];
  assert.ok(inspect.Config.Env.includes('GREETING=hello'));
  assert.ok(inspect.NetworkSettings.Networks[net].Aliases.includes('web'));
  assert.equal(inspect.Config.Labels['dev.fleetdeck.service'], 'web');
  for (const p of ports) {
    const body = await waitForHttp(`http://127.0.0.1:${p.hostPort}/user/7`);
    assert.deepEqual(body, { id: 7, name: 'User 7' });
  }

  // The window lists what each change says: the service must be in every list while it goes to 0.
  let missing = 0;
  const watch = () => {
    if (!core.services.list().some((s) => s.id === id)) missing++;
  };
  core.services.on('change', watch);
  const zero = await core.services.scale(id, 0).finally(() => core.services.off('change', watch));
  assert.equal(missing, 0, 'the service stays listed while its last replicas go');
  assert.equal(zero.instances.length, 0);
  assert.equal(ps().length, 0);
  // Scaled to 0, the service stays listed, 0/0, and can come back.
  const listed = core.services.list().find((s) => s.id === id)!;
  assert.equal(listed.desired, 0);
  assert.equal(listed.scalable, true);

  const two = await core.services.scale(id, 2);
  assert.equal(two.instances.length, 2);
  rows = ps();
  assert.equal(rows.length, 2);
  assert.ok(rows.every((r) => r.state === 'running'));
});

test('scale down stops the newest first, gracefully (SIGTERM, exit 0)', { skip }, async () => {
  const id = core.services.resolve(`${project}/web`).id;
  await core.services.scale(id, 3);
  // Settled first: a Node process that has not yet installed its SIGTERM handler ignores it as PID 1.
  await untilServices(core, (l) => l.find((s) => s.id === id)?.healthy === 3, 30_000);
  const before = core.services.get(id).instances;
  const newest = [...before].sort((a, b) => b.createdAt - a.createdAt)[0]!;
  const seen: DockerEngineEvent[] = [];
  const on = (e: DockerEngineEvent) => e.Actor.ID === newest.id && seen.push(e);
  core.docker.on('event', on);
  await core.services.scale(id, 2);
  core.docker.off('event', on);
  const left = core.services.get(id).instances.map((i) => i.id);
  assert.ok(!left.includes(newest.id), 'the newest replica was removed');
  const kill = seen.find((e) => e.Action === 'kill');
  const die = seen.find((e) => e.Action === 'die');
  assert.equal(kill?.Actor.Attributes.signal, '15', 'stopped with SIGTERM');
  assert.equal(die?.Actor.Attributes.exitCode, '0', 'the service exited cleanly');
});

test('bad input changes nothing and says why', { skip }, async () => {
  const id = core.services.resolve(`${project}/web`).id;
  const before = ps().length;
  await assert.rejects(core.services.scale(id, -1), /negative|0 or more/);
  await assert.rejects(core.services.scale(id, 1.5), /whole number/);
  await assert.rejects(core.services.scale(id, 51), /At most 50 replicas/);
  await assert.rejects(core.services.scale(`docker:local/${project}/gone`, 2), /No service/);
  assert.equal(ps().length, before);
});

test('a rolling restart restarts every replica and keeps at least N-1 healthy', { skip }, async () => {
  const id = core.services.resolve(`${project}/web`).id;
  await core.services.scale(id, 3);
  await untilServices(core, (l) => l.find((s) => s.id === id)?.healthy === 3, 30_000);
  const startedBefore = new Map(core.services.get(id).instances.map((i) => [i.id, i.startedAt ?? 0]));
  let minHealthy = 3;
  const watch = () => {
    const s = core.services.list().find((x) => x.id === id);
    if (s) minHealthy = Math.min(minHealthy, s.instances.filter((i) => i.state === 'running' && i.health === 'healthy').length);
  };
  core.services.on('change', watch);
  const after = await core.services.rollingRestart(id);
  core.services.off('change', watch);
  assert.equal(after.instances.length, 3);
  for (const i of after.instances) assert.ok((i.startedAt ?? 0) > (startedBefore.get(i.id) ?? 0), `${i.name} was restarted`);
  assert.ok(minHealthy >= 2, `healthy dropped to ${minHealthy}`);
});

test('instance actions: stop, start, restart, remove', { skip }, async () => {
  const id = core.services.resolve(`${project}/web`).id;
  const target = core.services.get(id).instances[0]!;
  await core.services.instanceAction(target.name, 'stop');
  await untilServices(core, (l) => l.find((s) => s.id === id)?.instances.find((i) => i.id === target.id)?.state === 'exited');
  assert.equal(docker('inspect', '-f', '{{.State.Status}}', target.id), 'exited');
  await core.services.instanceAction(target.shortId, 'start');
  assert.equal(docker('inspect', '-f', '{{.State.Status}}', target.id), 'running');
  await core.services.instanceAction(target.id, 'remove');
  await untilServices(core, (l) => !l.find((s) => s.id === id)?.instances.some((i) => i.id === target.id));
  await assert.rejects(core.services.instanceAction(target.id, 'start'), /No container/);
});

async function waitForHttp(url: string, ms = 15_000): Promise<unknown> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return await r.json();
    } catch {
      /* not listening yet */
    }
    if (Date.now() > end) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
