// Starts: a unix-socket relay in front of the running engine (stopped and restarted to play an
// engine restart) and containers of the base image under a unique label; all removed at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { docker, removeProject, skipReason } from '../../helpers/docker';
import { testCore, untilServices } from '../../helpers/core';
import { EngineRelay } from '../../helpers/socket-proxy';

const skip = skipReason();
const project = `fdrc${randomBytes(3).toString('hex')}`;

function base(): string {
  return docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0]!;
}
function run(name: string): string {
  return docker(
    'run',
    '-d',
    '--name',
    name,
    '--label',
    'dev.fleetdeck.service=idle',
    '--label',
    `dev.fleetdeck.project=${project}`,
    base(),
    'node',
    '-e',
    'setInterval(() => {}, 1e9)',
  );
}

test(
  'the engine going away is reported, the last state kept, and a reconnect resyncs without duplicates',
  { skip: skip || (base() ? false : 'no fleetdeck/node-base image; run npm run samples:build') },
  async (t) => {
    const relay = new EngineRelay();
    await relay.start();
    const core = await testCore({ DOCKER_HOST: `unix://${relay.path}` });
    t.after(async () => {
      core.stop();
      await relay.stop();
      removeProject(project);
    });
    const idOf = () => core.services.list().find((s) => s.project === project);

    run(`${project}-idle-1`);
    await untilServices(core, () => idOf()?.instances.length === 1);

    const down = new Promise<void>((r) => core.docker.on('status', (s) => s.state === 'unreachable' && r()));
    const lostAt = Date.now();
    await relay.stop();
    await down;
    assert.ok(Date.now() - lostAt < 5_000, `unreachable after ${Date.now() - lostAt} ms`);
    assert.equal(core.environments.list()[0]!.state, 'unreachable');
    assert.match(core.environments.list()[0]!.problem ?? '', /Cannot reach the Docker engine/);
    assert.equal(idOf()?.instances.length, 1, 'the last known state is kept while the engine is away');

    // Changes while we were away: one more container, and the first one stopped.
    run(`${project}-idle-2`);
    docker('stop', '-t', '0', `${project}-idle-1`);

    const back = new Promise<void>((r) => core.docker.on('status', (s) => s.state === 'connected' && r()));
    await relay.start();
    await back;
    const list = await untilServices(core, () => idOf()?.instances.length === 2 && idOf()!.running === 1, 10_000);
    const svc = list.find((s) => s.project === project)!;
    assert.deepEqual(svc.instances.map((i) => i.name).sort(), [`${project}-idle-1`, `${project}-idle-2`]);
    assert.equal(new Set(svc.instances.map((i) => i.id)).size, 2, 'no duplicates after the resync');

    // And the live feed works again after the reconnect.
    run(`${project}-idle-3`);
    await untilServices(core, () => idOf()?.instances.length === 3);
  },
);

test(
  'a container started from a terminal shows up in well under a second',
  { skip: skip || (base() ? false : 'no fleetdeck/node-base image; npm run samples:build makes it (npm test runs it first)') },
  async (t) => {
    const core = await testCore();
    t.after(() => {
      core.stop();
      removeProject(project);
    });
    const lags: number[] = [];
    for (let i = 0; i < 3; i++) {
      const name = `${project}-lat-${i}`;
      run(name);
      const returned = Date.now();
      await untilServices(core, (l) => l.some((s) => s.instances.some((x) => x.name === name && x.state === 'running')), 5_000);
      lags.push(Date.now() - returned);
    }
    assert.ok(Math.max(...lags) < 1000, `seen ${lags.join(', ')} ms after docker run returned`);
  },
);

test(
  'a container killed, or turning unhealthy, from a terminal shows within a second',
  { skip: skip || (base() ? false : 'no fleetdeck/node-base image; npm run samples:build makes it (npm test runs it first)') },
  async (t) => {
    const core = await testCore();
    const name = `${project}-sick`;
    t.after(() => {
      core.stop();
      try {
        docker('rm', '-f', name);
      } catch {
        /* already gone */
      }
    });
    // A healthcheck that fails from the start: unhealthy after its first try.
    docker(
      'run',
      '-d',
      '--name',
      name,
      '--label',
      'dev.fleetdeck.service=sick',
      '--label',
      `dev.fleetdeck.project=${project}`,
      '--health-cmd',
      'exit 1',
      '--health-interval',
      '1s',
      '--health-retries',
      '1',
      base(),
      'node',
      '-e',
      'setInterval(() => {}, 1e9)',
    );
    const inst = () =>
      core.services
        .list()
        .flatMap((s) => s.instances)
        .find((i) => i.name === name);
    await untilServices(core, () => inst()?.health === 'unhealthy', 15_000);
    const svc = core.services.list().find((s) => s.instances.some((i) => i.name === name))!;
    assert.equal(svc.unhealthy, 1);

    docker('kill', name);
    const killed = Date.now();
    await untilServices(core, () => inst()?.state === 'exited', 5_000);
    const lag = Date.now() - killed;
    assert.ok(lag < 1000, `the kill showed after ${lag} ms`);
    assert.equal(inst()?.exitCode, 137);
  },
);
