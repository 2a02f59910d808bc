import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Instance } from '../../../main/common/model';
import { readiness } from '../../../main/common/readiness';

const inst = (state: Instance['state'], health: Instance['health']): Instance => ({
  id: `${state}-${health}`,
  shortId: 'x',
  name: 'x',
  image: 'img',
  state,
  health,
  createdAt: 0,
  ports: [],
  restartCount: 0,
});

test('a replica still starting is not counted as running (scale 3 → 4 shows 3/4 until the fourth is ready)', () => {
  const four = [inst('running', 'healthy'), inst('running', 'healthy'), inst('running', 'healthy'), inst('running', 'starting')];
  assert.deepEqual(readiness(four), { running: 3, healthy: 3, unhealthy: 0 });
});

test('without a health check a running replica is ready; unhealthy and exited ones are not; terminating pods are left out', () => {
  const l = [inst('running', 'none'), inst('running', 'unhealthy'), inst('exited', 'none'), inst('stopping', 'healthy'), inst('starting', 'none')];
  assert.deepEqual(readiness(l), { running: 1, healthy: 0, unhealthy: 1 });
});
