import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attention, countFleet, fleetSummary, windowTitle } from '../../../../renderer/src/features/glance/attention';
import { mergeGlance } from '../../../../renderer/src/features/glance/merge';
import { inst, row, svc } from './fixtures';

test('Degraded and unhealthy services need a look; healthy, scaled to 0 and deliberately stopped ones do not', () => {
  assert.equal(attention(svc('ok')), undefined);
  assert.equal(attention(svc('degraded', { degraded: { reason: 'circuit breaker user-service open on order-service-1' } })), 'degraded');
  assert.equal(attention(svc('sick', { instances: [inst(1), inst(2, { health: 'unhealthy' })] })), 'unhealthy');
  assert.equal(
    attention(svc('half', { instances: [inst(1), inst(2, { state: 'exited', exitCode: 0, health: 'none' })] })),
    'unhealthy',
    'one of two replicas down',
  );
  assert.equal(attention(svc('zero', { instances: [], desired: 0 })), undefined);
  assert.equal(attention(svc('stopped', { instances: [inst(1, { state: 'exited', exitCode: 143, health: 'none' })] })), undefined);
  assert.equal(attention(svc('crashed', { instances: [inst(1, { state: 'exited', exitCode: 1, health: 'none' })] })), 'unhealthy');
  assert.equal(attention(svc('scaling', { operation: { kind: 'scale', target: 3, message: 'Scaling to 3…' } })), undefined);
});

test('the summary and the title count across every environment', () => {
  const docker = [svc('a'), svc('b', { degraded: { reason: 'breaker open' } })];
  const kube = [svc('c', { envId: 'kube:ctx', instances: [inst(1, { health: 'unhealthy' })] }), svc('d', { envId: 'kube:ctx' })];
  const counts = countFleet([docker, kube, []]);
  assert.deepEqual(counts, { services: 4, environments: 3, degraded: 1, unhealthy: 1 });
  assert.equal(fleetSummary(counts), '4 services in 3 environments · 1 degraded · 1 unhealthy');
  assert.equal(fleetSummary(countFleet([[svc('a')]])), '1 service in 1 environment · 0 degraded · 0 unhealthy');
  assert.equal(windowTitle(counts.degraded + counts.unhealthy), 'Fleetdeck (2 unhealthy)');
  assert.equal(windowTitle(0), 'Fleetdeck');
});

test('a glance update keeps the rows whose figures did not change, and the whole map when none did', () => {
  const a = svc('a');
  const b = svc('b');
  const first = mergeGlance({}, { t: 1, stepMs: 30_000, rows: [row(a, { cpuPercent: 1 }), row(b, { cpuPercent: 2 })] });
  const same = mergeGlance(first, { t: 2, stepMs: 30_000, rows: [row(a, { cpuPercent: 1 }), row(b, { cpuPercent: 2 })] });
  assert.equal(same, first);
  const next = mergeGlance(first, { t: 3, stepMs: 30_000, rows: [row(a, { cpuPercent: 1 }), row(b, { cpuPercent: 3 })] });
  assert.notEqual(next, first);
  assert.equal(next[a.id], first[a.id]);
  assert.equal(next[b.id]!.cpuPercent, 3);
  const gone = mergeGlance(next, { t: 4, stepMs: 30_000, rows: [row(a, { cpuPercent: 1 })] });
  assert.deepEqual(Object.keys(gone), [a.id], 'a service no longer listed leaves');
});
