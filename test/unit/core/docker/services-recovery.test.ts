// Scaling and rolling restarts after a crash, against a fake engine whose containers the test sets
// up as a killed Fleetdeck leaves them: never-started replicas, stopped ones, half a restart.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Instance } from '../../../../main/common/model';
import type { DiscoveredContainer, DockerDiscovery } from '../../../../main/core/docker/discovery';
import type { DockerEngine } from '../../../../main/core/docker/engine';
import { OpJournal, type OpRecord } from '../../../../main/core/docker/op-journal';
import { DockerServices } from '../../../../main/core/docker/services';
import { TemplateStore } from '../../../../main/core/docker/templates';

const root = mkdtempSync(join(tmpdir(), 'fd-recovery-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const SERVICE = 'docker:local/shop/web';
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

class FakeDiscovery extends EventEmitter {
  readonly containers = new Map<string, DiscoveredContainer>();
  isSynced = false;
  sync() {
    this.isSynced = true;
    this.emit('change');
    this.emit('synced');
  }
  update(id: string, patch: Partial<Instance>) {
    const c = this.containers.get(id)!;
    this.containers.set(id, { ...c, instance: { ...c.instance, ...patch } });
    setImmediate(() => this.emit('change')); // as events arrive: after the call that caused them
  }
  remove(id: string) {
    this.containers.delete(id);
    setImmediate(() => this.emit('change'));
  }
}

/** An engine that does to the fake discovery what a real one's events would. */
function fakeEngine(d: FakeDiscovery) {
  const calls: string[] = [];
  let made = 0;
  const inspectOf = (id: string) => {
    const c = d.containers.get(id)!;
    return {
      Id: id,
      Name: `/${c.instance.name}`,
      Config: { Image: 'img', Labels: c.labels, StopTimeout: 1 },
      HostConfig: { NetworkMode: 'shop', PortBindings: {} },
      NetworkSettings: { Networks: { shop: { Aliases: ['web'] } } },
    };
  };
  const container = (id: string) => ({
    id,
    inspect: async () => inspectOf(id),
    start: async () => {
      calls.push(`start ${d.containers.get(id)!.instance.name}`);
      d.update(id, { state: 'running', startedAt: Date.now() });
    },
    restart: async () => {
      calls.push(`restart ${d.containers.get(id)!.instance.name}`);
      d.update(id, { state: 'running', startedAt: Date.now() });
    },
    stop: async () => {
      calls.push(`stop ${d.containers.get(id)!.instance.name}`);
      d.update(id, { state: 'exited' });
    },
    remove: async (o: { force?: boolean }) => {
      const c = d.containers.get(id)!;
      if (c.instance.state === 'running' && !o.force) throw Object.assign(new Error('running'), { statusCode: 409 });
      calls.push(`remove ${c.instance.name}`);
      d.remove(id);
    },
  });
  const api = {
    getContainer: container,
    getNetwork: () => ({ connect: async () => {} }),
    createContainer: async (spec: { name: string; Labels: Record<string, string> }) => {
      const id = `new${made++}`;
      calls.push(`create ${spec.name}`);
      add(d, id, spec.name, 'created', { labels: spec.Labels });
      return container(id);
    },
  };
  return { engine: { api, status: { state: 'connected' } } as unknown as DockerEngine, calls };
}

function add(
  d: FakeDiscovery,
  id: string,
  name: string,
  state: Instance['state'],
  o: { labels?: Record<string, string>; createdAt?: number; startedAt?: number } = {},
) {
  const replica = Number(/-(\d+)$/.exec(name)?.[1]);
  const labels = { 'dev.fleetdeck.service': 'web', 'dev.fleetdeck.project': 'shop', ...o.labels };
  const instance: Instance = {
    id,
    shortId: id,
    name,
    image: 'img',
    state,
    health: 'none',
    createdAt: o.createdAt ?? Date.now() - 1000,
    ports: [],
    restartCount: 0,
    replica,
    ...(state === 'running' ? { startedAt: o.startedAt ?? Date.now() - 500 } : {}),
  };
  d.containers.set(id, { instance, key: { group: 'fleetdeck', project: 'shop', name: 'web' }, labels });
}

function setup() {
  const dir = join(root, `s${dirs++}`, 'docker-operations');
  mkdirSync(dir, { recursive: true });
  const d = new FakeDiscovery();
  const { engine, calls } = fakeEngine(d);
  const journal = new OpJournal(dir);
  const services = new DockerServices('docker:local', engine, d as unknown as DockerDiscovery, new TemplateStore(undefined), journal, { maxReplicas: 50 });
  const abandon = (r: Omit<OpRecord, 'envId' | 'serviceId' | 'startedAt' | 'pid'> & { pid?: number }) => {
    const rec: OpRecord = { envId: 'docker:local', serviceId: SERVICE, startedAt: Date.now() - 2000, pid: deadPid(), ...r };
    writeFileSync(join(dir, `${rec.id}.json`), JSON.stringify(rec), { mode: 0o600 });
    return rec;
  };
  const names = () => [...d.containers.values()].map((c) => `${c.instance.name}:${c.instance.state}`).sort();
  return { d, services, calls, abandon, names, journalFiles: () => readdirSync(dir) };
}

test('a count never includes never-started containers', () => {
  const { d, services } = setup();
  add(d, 'a', 'shop-web-1', 'running');
  add(d, 'b', 'shop-web-2', 'created', { labels: { 'dev.fleetdeck.op': 'feedbeef' } });
  add(d, 'c', 'shop-web-3', 'created');
  add(d, 'e', 'shop-web-4', 'exited');
  const s = services.get(SERVICE);
  assert.equal(s.running, 1);
  assert.equal(s.desired, 2, 'the running and the stopped replica, not the two never started');
  services.close();
});

test('a scale to 5 cut short after its creates: the next Fleetdeck starts the replicas it left and creates only the rest', async () => {
  const { d, services, calls, abandon, names, journalFiles } = setup();
  add(d, 'a', 'shop-web-1', 'running');
  const op = abandon({ id: 'a1a1a1a1a1a1', kind: 'scale', target: 5 });
  for (const n of [2, 3, 4]) add(d, `c${n}`, `shop-web-${n}`, 'created', { labels: { 'dev.fleetdeck.op': op.id } });
  assert.equal(services.get(SERVICE).desired, 1);
  d.sync();
  await services.whenRecovered();
  assert.deepEqual(calls.sort(), ['create shop-web-5', 'start shop-web-2', 'start shop-web-3', 'start shop-web-4', 'start shop-web-5']);
  assert.deepEqual(names(), ['shop-web-1:running', 'shop-web-2:running', 'shop-web-3:running', 'shop-web-4:running', 'shop-web-5:running']);
  assert.deepEqual(journalFiles(), [], 'the operation is off the journal once finished');
  const s = services.get(SERVICE);
  assert.equal(s.desired, 5);
  assert.equal(s.running, 5);
  assert.equal(s.operation, undefined);
  services.close();
});

test('never-started replicas no operation will start are removed; a user’s, a live operation’s and a young unknown one stay', async () => {
  const { d, services, calls, abandon, names } = setup();
  add(d, 'a', 'shop-web-1', 'running');
  const dead = abandon({ id: 'dead00000000', kind: 'scale', target: 1 });
  const live = abandon({ id: 'live00000000', kind: 'scale', target: 9, pid: process.ppid });
  add(d, 'x', 'shop-web-2', 'created', { labels: { 'dev.fleetdeck.op': dead.id } });
  add(d, 'y', 'shop-web-3', 'created', { labels: { 'dev.fleetdeck.op': live.id } });
  add(d, 'u', 'shop-web-4', 'created'); // `docker create` by hand: not ours
  add(d, 'o', 'shop-web-5', 'created', { labels: { 'dev.fleetdeck.op': 'beef00000000' }, createdAt: Date.now() - 120_000 });
  add(d, 'n', 'shop-web-6', 'created', { labels: { 'dev.fleetdeck.op': 'cafe00000000' } });
  d.sync();
  await services.whenRecovered();
  assert.deepEqual(calls.sort(), ['remove shop-web-2', 'remove shop-web-5']);
  assert.deepEqual(names(), ['shop-web-1:running', 'shop-web-3:created', 'shop-web-4:created', 'shop-web-6:created']);

  // A scale now counts the one running replica, reuses the freed number, keeps clear of every name in use.
  const two = await services.scale(SERVICE, 2);
  assert.equal(two.running, 2);
  assert.equal(two.desired, 2);
  assert.deepEqual(calls.slice(2), ['create shop-web-2', 'start shop-web-2']);
  services.close();
});

test('a scale-down cut short: the stopped replica it left is removed first, then the newest', async () => {
  const { d, services, calls, abandon, names } = setup();
  add(d, 'a', 'shop-web-1', 'running', { createdAt: Date.now() - 9000 });
  add(d, 'b', 'shop-web-2', 'running', { createdAt: Date.now() - 8000 });
  add(d, 'c', 'shop-web-3', 'running', { createdAt: Date.now() - 7000 });
  add(d, 'e', 'shop-web-4', 'exited', { createdAt: Date.now() - 6000 });
  abandon({ id: 'b2b2b2b2b2b2', kind: 'scale', target: 2 });
  d.sync();
  await services.whenRecovered();
  assert.deepEqual([...calls].sort(), ['remove shop-web-3', 'remove shop-web-4', 'stop shop-web-3']);
  assert.deepEqual(names(), ['shop-web-1:running', 'shop-web-2:running']);
  services.close();
});

test('a rolling restart cut short restarts those not restarted yet and starts the one it left stopped', async () => {
  const { d, services, calls, abandon, journalFiles } = setup();
  const t = Date.now() - 60_000;
  add(d, 'a', 'shop-web-1', 'running', { createdAt: t, startedAt: t + 50_000 }); // restarted before the crash
  add(d, 'b', 'shop-web-2', 'exited', { createdAt: t + 1 }); // stopped by the restart the crash cut
  add(d, 'c', 'shop-web-3', 'running', { createdAt: t + 2, startedAt: t + 3000 }); // not reached
  add(d, 'z', 'shop-web-4', 'running', { createdAt: t + 3, startedAt: t + 4000 }); // came after: not part of it
  abandon({ id: 'c3c3c3c3c3c3', kind: 'rolling-restart', replicas: { a: t + 1000, b: t + 2000, c: t + 3000 } });
  d.sync();
  await services.whenRecovered();
  assert.deepEqual(calls, ['start shop-web-2', 'restart shop-web-3']);
  assert.deepEqual(journalFiles(), []);
  services.close();
});

test('an operation another live Fleetdeck runs is not resumed', async () => {
  const { d, services, calls, abandon, journalFiles } = setup();
  add(d, 'a', 'shop-web-1', 'running');
  const rec = abandon({ id: 'd4d4d4d4d4d4', kind: 'scale', target: 3, pid: process.ppid });
  d.sync();
  await services.whenRecovered();
  assert.deepEqual(calls, []);
  assert.deepEqual(journalFiles(), [`${rec.id}.json`]);
  services.close();
});

test('service names, projects and images from labels are shown as plain text, and still resolve', () => {
  const { d, services } = setup();
  const osc = '\x1b]52;c;SlNPTkNMSVA=\x07';
  add(d, 'h', 'evil-1', 'running');
  const c = d.containers.get('h')!;
  d.containers.set('h', { ...c, instance: { ...c.instance, image: `img${osc}` }, key: { group: 'fleetdeck', project: 'shop\r\nERR', name: `mark${osc}` } });
  d.sync();
  const s = services.list().find((x) => x.instances[0]?.id === 'h')!;
  assert.equal(s.name, 'mark^[]52;c;SlNPTkNMSVA=^G');
  assert.equal(s.project, 'shop↵ERR');
  assert.equal(s.image, 'img^[]52;c;SlNPTkNMSVA=^G');
  assert.equal(services.resolve(`mark${osc}`).id, s.id, 'typed raw');
  assert.equal(services.resolve(s.name).id, s.id, 'typed as shown');
  services.close();
});
