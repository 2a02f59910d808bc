import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Service } from '../../../main/common/model';
import { buildCommands, filterCommands } from '../../../renderer/src/features/palette/commands';
import { DOCKER_CAPS } from '../../helpers/capabilities';

const svc = (name: string, desired: number, extra: Partial<Service> = {}): Service => ({
  id: `docker:local/shop/${name}`,
  envId: 'docker:local',
  name,
  project: 'shop',
  group: 'compose',
  image: 'x',
  instances: [],
  desired,
  running: desired,
  healthy: desired,
  unhealthy: 0,
  createdAt: 0,
  scalable: true,
  ...extra,
});

function commands(services: Service[]) {
  const calls: string[] = [];
  const list = buildCommands({
    environments: [{ id: 'docker:local', kind: 'docker', name: 'Docker (local)', endpoint: 'x', state: 'connected', since: 0, capabilities: DOCKER_CAPS }],
    services,
    selectEnvironment: (id) => calls.push(`env ${id}`),
    openService: (id) => calls.push(`open ${id}`),
    scale: (s, n) => calls.push(`scale ${s.name} ${n}`),
    rollingRestart: (s) => calls.push(`restart ${s.name}`),
    cycleTheme: () => calls.push('theme'),
  });
  return { list, calls };
}

test('typed words in any order find the command, and running it does that', () => {
  const { list, calls } = commands([svc('web', 2), svc('api', 1)]);
  const found = filterCommands(list, 'web up');
  assert.deepEqual(
    found.map((c) => c.title),
    ['Scale shop/web up'],
  );
  found[0]!.run();
  assert.deepEqual(calls, ['scale web 3']);
});

test('the palette never scales to 0 (that needs the confirmed control), nor standalone containers', () => {
  const { list } = commands([svc('api', 1), svc('lone', 1, { group: 'standalone', scalable: false, project: undefined })]);
  const titles = list.map((c) => c.title);
  assert.ok(!titles.includes('Scale shop/api down'));
  assert.ok(titles.includes('Scale shop/api up'));
  assert.ok(!titles.some((t) => t.startsWith('Scale lone')));
  assert.ok(titles.includes('Go to lone'));
});

test('services busy with an operation offer no new operation', () => {
  const { list } = commands([svc('web', 2, { operation: { kind: 'scale', target: 3, message: '' } })]);
  assert.deepEqual(
    list.filter((c) => c.title.includes('web')).map((c) => c.title),
    ['Go to shop/web'],
  );
});
