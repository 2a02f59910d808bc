import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { Environment, EnvironmentCapabilities } from '../../../../main/common/model';
import type { EnvironmentDriver } from '../../../../main/core/env/driver';
import { untilRemoved } from '../../../../main/core/env/teardown';
import { Environments } from '../../../../main/core/environments';

const caps = (removable: boolean): EnvironmentCapabilities => ({
  instanceActions: [],
  scale: false,
  rollingRestart: false,
  terminal: false,
  metrics: [],
  namespaces: false,
  removable,
  activity: false,
  inspect: false,
});

/** A driver of no kind in particular: the registry must not care. */
function fake(id: string, removable = true, name = id): EnvironmentDriver & { started: number; removed: number; say(name: string): void } {
  const e = new EventEmitter();
  let shown = name;
  const d = {
    id,
    name,
    kind: 'docker' as const,
    capabilities: caps(removable),
    state: 'connected' as const,
    started: 0,
    removed: 0,
    on: (ev: 'change', fn: () => void) => e.on(ev, fn),
    off: (ev: 'change', fn: () => void) => e.off(ev, fn),
    describe: (): Environment => ({ id, kind: 'docker', name: shown, endpoint: 'x', state: 'connected', since: 0, capabilities: caps(removable) }),
    start: () => void d.started++,
    stop: () => {},
    remove: () => {
      d.removed++;
      e.emit('removed');
    },
    reconnect: () => {},
    onRemoved: (fn: () => void) => {
      e.once('removed', fn);
      return () => e.off('removed', fn);
    },
    services: undefined as never,
    whenSynced: async () => true,
    onceSynced: () => () => {},
    followInstance: () => () => {},
    watchMetrics: () => ({ history: [], stop: () => {} }),
    openTerminal: () => () => {},
    eventsPerSecond: () => undefined,
    inspect: () => Promise.reject(new Error('no inspect')),
    revealEnv: () => Promise.reject(new Error('no inspect')),
    setNamespaces: async () => {},
    say: (n: string) => {
      shown = n;
      e.emit('change');
    },
  };
  return d;
}

test('the registry lists drivers in order, pushes changes, finds the owner of an id by the longest prefix', async (t) => {
  const local = fake('docker:local', false);
  const envs = new Environments(local, {}, []);
  t.after(() => envs.stop());
  const a = fake('kube:a');
  const ab = fake('kube:a/b');
  envs.add(a);
  envs.add(ab);
  await envs.start();
  assert.deepEqual(
    envs.list().map((e) => e.id),
    ['docker:local', 'kube:a', 'kube:a/b'],
  );
  assert.equal(a.started, 1, 'started with the registry');
  const pushed: string[] = [];
  envs.on('change', (l) => pushed.push(l[1]!.name));
  a.say('renamed\x1b[2J');
  assert.deepEqual(pushed, ['renamed^[[2J'], 'the list goes through the output policy');
  assert.equal(envs.owner('kube:a/b/ns/deployment/web').id, 'kube:a/b');
  assert.equal(envs.owner('kube:a/ns/deployment/web').id, 'kube:a');
  assert.throws(() => envs.owner('kube:zzz/ns/deployment/web'), /No environment holds/);
  assert.throws(() => envs.get('kube:nope'), /No environment "kube:nope"/);
  assert.throws(() => envs.add(fake('kube:a')), /exists already/);
});

test('only removable drivers are removed, and streams on them end once', async (t) => {
  const local = fake('docker:local', false);
  const forgotten: string[] = [];
  const envs = new Environments(local, {}, [{ start: async () => {}, stop: () => {}, removed: (id) => forgotten.push(id) }]);
  t.after(() => envs.stop());
  const other = fake('docker:other');
  envs.add(other);
  assert.throws(() => envs.remove('docker:local'), /cannot be removed/);
  let stopped = 0;
  const ended: string[] = [];
  untilRemoved(
    other,
    () => stopped++,
    (e) => ended.push(e.message),
  );
  const closed = untilRemoved(
    other,
    () => stopped++,
    (e) => ended.push(e.message),
  );
  closed(); // a client closing first: stop once, no end
  envs.remove('docker:other');
  assert.equal(other.removed, 1);
  assert.deepEqual(forgotten, ['docker:other']);
  assert.equal(stopped, 2);
  assert.deepEqual(ended, ['docker:other was removed from Fleetdeck.']);
  assert.deepEqual(
    envs.list().map((e) => e.id),
    ['docker:local'],
  );
});
