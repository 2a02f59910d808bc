// DockerServices rebuilds its list on every engine event; services that did not change keep their identity.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Instance } from '../../../../main/common/model';
import type { DiscoveredContainer, DockerDiscovery } from '../../../../main/core/docker/discovery';
import type { DockerEngine } from '../../../../main/core/docker/engine';
import { OpJournal } from '../../../../main/core/docker/op-journal';
import { DockerServices } from '../../../../main/core/docker/services';
import { TemplateStore } from '../../../../main/core/docker/templates';

const dir = mkdtempSync(join(tmpdir(), 'fd-identity-'));
after(() => rmSync(dir, { recursive: true, force: true }));

class FakeDiscovery extends EventEmitter {
  readonly containers = new Map<string, DiscoveredContainer>();
  isSynced = false;
}

function container(d: FakeDiscovery, id: string, service: string, state: Instance['state'] = 'running') {
  const instance: Instance = { id, shortId: id, name: `shop-${service}-${id}`, image: 'img', state, health: 'none', createdAt: 1, ports: [], restartCount: 0 };
  d.containers.set(id, { instance, key: { group: 'fleetdeck', project: 'shop', name: service }, labels: {} });
}

test('an engine event rebuilds the list, but only the service it changed is a new object', () => {
  const d = new FakeDiscovery();
  const services = new DockerServices('docker:local', {} as DockerEngine, d as unknown as DockerDiscovery, new TemplateStore(undefined), new OpJournal(dir), {
    maxReplicas: 50,
  });
  container(d, 'a1', 'api');
  container(d, 'w1', 'web');
  const first = services.list();
  d.emit('change'); // an event that changed nothing shown
  assert.equal(services.list(), first, 'nothing changed: the same array');
  container(d, 'w2', 'web', 'exited');
  d.emit('change');
  const second = services.list();
  assert.notEqual(second, first);
  const byName = (l: typeof first, n: string) => l.find((s) => s.name === n);
  assert.equal(byName(second, 'api'), byName(first, 'api'), 'api did not change: the same object');
  assert.notEqual(byName(second, 'web'), byName(first, 'web'));
  assert.equal(byName(second, 'web')!.instances.length, 2);
});
