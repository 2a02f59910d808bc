// Starts: nothing; uses the running Docker engine (creates and removes one network).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { resolveDockerEndpoint } from '../../../main/core/docker/endpoint';
import { DockerEngine, type DockerEngineEvent, type DockerEngineStatus } from '../../../main/core/docker/engine';
import { docker, skipReason } from '../../helpers/docker';

const skip = skipReason();

function until<T>(engine: DockerEngine, ev: 'status' | 'event', pred: (x: T) => boolean, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no matching ${ev} in ${ms} ms`)), ms);
    const on = (x: T) => {
      if (!pred(x)) return;
      clearTimeout(t);
      engine.off(ev, on as never);
      resolve(x);
    };
    engine.on(ev, on as never);
  });
}

test('connects to the local engine and reports its version', { skip }, async (t) => {
  const engine = new DockerEngine(resolveDockerEndpoint());
  t.after(() => engine.stop());
  const connected = until<DockerEngineStatus>(engine, 'status', (s) => s.state === 'connected');
  engine.start();
  const s = await connected;
  assert.equal(s.version, docker('version', '--format', '{{.Server.Version}}'));
  assert.equal(s.apiVersion, docker('version', '--format', '{{.Server.APIVersion}}'));
});

test('engine events arrive as they happen', { skip }, async (t) => {
  const engine = new DockerEngine(resolveDockerEndpoint());
  t.after(() => engine.stop());
  const connected = until<DockerEngineStatus>(engine, 'status', (s) => s.state === 'connected');
  engine.start();
  await connected;
  const name = `fleetdeck-test-${randomBytes(4).toString('hex')}`;
  const seen = until<DockerEngineEvent>(engine, 'event', (e) => e.Type === 'network' && e.Action === 'create' && e.Actor.Attributes.name === name);
  docker('network', 'create', '--label', 'dev.fleetdeck.test=1', name);
  t.after(() => docker('network', 'rm', name));
  const ev = await seen;
  assert.equal(ev.Actor.Attributes.name, name);
});

test('an engine that is not there is unreachable, with what to do', async (t) => {
  const engine = new DockerEngine({ display: 'unix:///tmp/fleetdeck-no-engine.sock', options: { socketPath: '/tmp/fleetdeck-no-engine.sock' } });
  t.after(() => engine.stop());
  const down = until<DockerEngineStatus>(engine, 'status', (s) => s.state === 'unreachable');
  engine.start();
  const s = await down;
  assert.match(s.problem ?? '', /Cannot reach the Docker engine at unix:\/\/\/tmp\/fleetdeck-no-engine\.sock \(no socket there\)/);
  assert.match(s.problem ?? '', /retries by itself/);
});

test('the engine reports its activity in events per second', { skip }, async (t) => {
  const engine = new DockerEngine(resolveDockerEndpoint());
  t.after(() => engine.stop());
  const connected = until<DockerEngineStatus>(engine, 'status', (s) => s.state === 'connected');
  engine.start();
  await connected;
  const base = `fleetdeck-eps-${randomBytes(3).toString('hex')}`;
  const seen = until<DockerEngineEvent>(engine, 'event', (e) => e.Actor.Attributes.name === `${base}-4` && e.Action === 'destroy');
  for (let i = 0; i < 5; i++) {
    docker('network', 'create', `${base}-${i}`);
    docker('network', 'rm', `${base}-${i}`);
  }
  await seen;
  // 10 events (create + destroy of 5 networks) within the 5 s window: at least 2 per second.
  assert.ok(engine.eventsPerSecond() >= 2, `${engine.eventsPerSecond()} events/s`);
});
