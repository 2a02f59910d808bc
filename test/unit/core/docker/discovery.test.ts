// Discovery against a fake engine whose answers the test times: the races a real engine makes rare.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { DockerDiscovery } from '../../../../main/core/docker/discovery';
import type { DockerEngine } from '../../../../main/core/docker/engine';

function inspectOf(id: string, status = 'running') {
  return {
    Id: id.padEnd(64, '0'),
    Name: `/${id}`,
    Created: '2026-11-27T10:00:00Z',
    RestartCount: 0,
    Config: { Image: 'img', Labels: { 'dev.fleetdeck.service': 'web' } },
    State: { Status: status, Running: status === 'running', Paused: false, Restarting: false, StartedAt: '2026-11-27T10:00:01Z', ExitCode: 0 },
    NetworkSettings: { Ports: {} },
  };
}

class FakeEngine extends EventEmitter {
  status = { state: 'connected' as const, since: 0 };
  truth = new Map<string, ReturnType<typeof inspectOf>>();
  listGate: Promise<void> = Promise.resolve();
  listFailures = 0;
  api = {
    listContainers: async () => {
      const snapshot = [...this.truth.keys()].map((id) => ({ Id: id.padEnd(64, '0') }));
      await this.listGate;
      if (this.listFailures-- > 0) throw Object.assign(new Error('boom'), { statusCode: 500 });
      return snapshot;
    },
    getContainer: (id: string) => ({
      inspect: async () => {
        const c = [...this.truth.values()].find((x) => x.Id === id || x.Id.startsWith(id));
        if (!c) throw Object.assign(new Error('no such container'), { statusCode: 404 });
        return c;
      },
    }),
  };
  event(id: string, action: string) {
    this.emit('event', { Type: 'container', Action: action, Actor: { ID: id.padEnd(64, '0'), Attributes: {} }, time: 0, timeNano: Date.now() * 1e6 });
  }
}

const names = (d: DockerDiscovery) => [...d.containers.values()].map((c) => `${c.instance.name}:${c.instance.state}`).sort();
const settle = () => new Promise((r) => setTimeout(r, 20));

test('a container started while the full list is in flight is not lost when the list lands', async () => {
  const engine = new FakeEngine();
  engine.truth.set('aaa', inspectOf('aaa'));
  let open!: () => void;
  engine.listGate = new Promise((r) => (open = r));
  const d = new DockerDiscovery(engine as unknown as DockerEngine);
  engine.emit('connected');
  await settle();
  engine.truth.set('bbb', inspectOf('bbb'));
  engine.event('bbb', 'start');
  engine.truth.set('aaa', inspectOf('aaa', 'exited'));
  engine.event('aaa', 'die');
  await settle();
  open();
  await d.whenSynced(1000);
  await settle();
  assert.deepEqual(names(d), ['aaa:exited', 'bbb:running']);
});

test('a list that fails while the engine is up is retried, not left empty', async () => {
  const engine = new FakeEngine();
  engine.truth.set('aaa', inspectOf('aaa'));
  engine.listFailures = 1;
  const d = new DockerDiscovery(engine as unknown as DockerEngine); // lists at once: the engine is connected
  assert.equal(await d.whenSynced(3000), true, 'synced by the retry, with no reconnect to prompt it');
  assert.deepEqual(names(d), ['aaa:running']);
});

test('whenSynced gives up after its timeout and leaves no listener behind', async () => {
  const engine = new FakeEngine();
  engine.status = { state: 'unreachable', since: 0 } as never;
  const d = new DockerDiscovery(engine as unknown as DockerEngine);
  assert.equal(await d.whenSynced(30), false);
  assert.equal(d.listenerCount('synced'), 0);
});

test('a destroyed container does not come back from an inspect that started before the destroy', async () => {
  const engine = new FakeEngine();
  const d = new DockerDiscovery(engine as unknown as DockerEngine);
  engine.emit('connected');
  await d.whenSynced(1000);
  engine.truth.set('ccc', inspectOf('ccc'));
  engine.event('ccc', 'die'); // inspect starts
  engine.truth.delete('ccc');
  engine.event('ccc', 'destroy');
  await settle();
  assert.deepEqual(names(d), []);
});
