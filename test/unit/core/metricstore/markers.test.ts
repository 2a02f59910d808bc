import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Instance, Service } from '../../../../main/common/model';
import { markersBetween } from '../../../../main/core/metricstore/markers';

const instance = (id: string, extra: Partial<Instance> = {}): Instance => ({
  id,
  shortId: id,
  name: `web-${id}`,
  image: 'web:1',
  state: 'running',
  health: 'healthy',
  createdAt: 0,
  ports: [],
  restartCount: 0,
  ...extra,
});
const service = (instances: Instance[], extra: Partial<Service> = {}): Service => ({
  id: 'docker:local/p/web',
  envId: 'docker:local',
  name: 'web',
  group: 'compose',
  image: 'web:1',
  instances,
  desired: instances.length,
  running: instances.length,
  healthy: instances.length,
  unhealthy: 0,
  createdAt: 0,
  scalable: true,
  ...extra,
});

test('a scale, a new image and a rolling restart each give a marker in words', () => {
  const before = service([instance('1')]);
  const after = service([instance('1'), instance('2')], { image: 'web:2', operation: { kind: 'rolling-restart', message: '' } });
  const kinds = markersBetween(before, after, 5).map((m) => [m.kind, m.text]);
  assert.deepEqual(kinds, [
    ['scale', 'scaled 1 → 2'],
    ['restart', 'rolling restart'],
    ['deploy', 'image web:1 → web:2'],
  ]);
});

test('an instance that restarts or crashes is named; one asked to stop is no crash', () => {
  const before = service([instance('1'), instance('2'), instance('3')]);
  const after = service([
    instance('1', { restartCount: 2 }),
    instance('2', { state: 'exited', exitCode: 1 }),
    instance('3', { state: 'exited', exitCode: 143 }),
  ]);
  const got = markersBetween(before, after, 5).map((m) => [m.kind, m.instance, m.text]);
  assert.deepEqual(got, [
    ['restart', 'web-1', 'web-1 restarted (2 restarts)'],
    ['crash', 'web-2', 'web-2 exited with code 1'],
  ]);
});

test('a breaker changing state is a marker; one first seen closed is not; names are plain text', () => {
  const before = service([instance('1')], { breakers: [{ instance: 'web-1', breaker: 'users', state: 'closed' }] });
  const after = service([instance('1')], {
    breakers: [
      { instance: 'web-1', breaker: 'users', state: 'open' },
      { instance: 'web-1', breaker: 'stock', state: 'closed' },
      { instance: 'web-1', breaker: 'bad\u001b[31m', state: 'half_open' },
    ],
  });
  const got = markersBetween(before, after, 5);
  assert.deepEqual(
    got.map((m) => m.text),
    ['breaker users open on web-1', 'breaker bad^[[31m half-open on web-1'],
  );
  assert.ok(got.every((m) => !m.text.includes('\u001b')));
  assert.deepEqual(markersBetween(undefined, after, 5), [], 'the first sight of a service is no event');
});

test('a new service whose containers start is not a scale from 0, a scale from 0 is', () => {
  const created = service([instance('1', { state: 'created' })], { desired: 0, running: 0, healthy: 0 });
  assert.deepEqual(markersBetween(created, service([instance('1')]), 5), []);
  const none = service([], { desired: 0 });
  assert.deepEqual(
    markersBetween(none, service([instance('1')]), 5).map((m) => m.text),
    ['scaled 0 → 1'],
  );
});
