import assert from 'node:assert/strict';
import { test } from 'node:test';
import { degradedOf, sortBreakers } from '../../../main/common/degraded';

test('all breakers closed, few errors, every replica ready: not degraded', () => {
  assert.equal(
    degradedOf({
      breakers: [
        { instance: 'order-service-1', breaker: 'user-service', state: 'closed' },
        { instance: 'order-service-2', breaker: 'user-service', state: 'closed' },
      ],
      requests: { total: 1000, errors: 10, windowSeconds: 30 },
      readiness: { up: 2, failing: 0 },
    }),
    undefined,
  );
  assert.equal(degradedOf({}), undefined);
});

test('an open breaker names the breaker and the instances it is open on', () => {
  const d = degradedOf({
    breakers: [
      { instance: 'order-service-2', breaker: 'user-service', state: 'open' },
      { instance: 'order-service-1', breaker: 'user-service', state: 'open' },
      { instance: 'order-service-3', breaker: 'user-service', state: 'closed' },
    ],
  })!;
  assert.equal(d.reason, 'circuit breaker user-service open on order-service-1, order-service-2');
});

test('breakers sort by breaker, then replica number', () => {
  const list = sortBreakers([
    { instance: 'o-10', breaker: 'users', state: 'closed' },
    { instance: 'o-2', breaker: 'users', state: 'open' },
    { instance: 'o-1', breaker: 'db', state: 'closed' },
  ]);
  assert.deepEqual(
    list.map((b) => `${b.breaker}/${b.instance}`),
    ['db/o-1', 'users/o-2', 'users/o-10'],
  );
});

test('half-open counts as degraded too, after the open ones', () => {
  const d = degradedOf({
    breakers: [
      { instance: 'a-1', breaker: 'payments', state: 'half_open' },
      { instance: 'a-1', breaker: 'users', state: 'open' },
    ],
  })!;
  assert.equal(d.reason, 'circuit breaker users open on a-1; circuit breaker payments half-open on a-1');
});

test('5xx at or above 5% of at least 10 requests is degraded; fewer requests are not judged', () => {
  assert.equal(degradedOf({ requests: { total: 100, errors: 12, windowSeconds: 30 } })!.reason, '5xx 12% of requests over the last 30 s');
  assert.equal(degradedOf({ requests: { total: 100, errors: 4, windowSeconds: 30 } }), undefined);
  assert.equal(degradedOf({ requests: { total: 4, errors: 4, windowSeconds: 30 } }), undefined);
});

test('readiness failing on some replicas is degraded; on all of them it is unhealthy, not degraded', () => {
  assert.equal(degradedOf({ readiness: { up: 3, failing: 1 } })!.reason, 'readiness failing on 1 of 3 replicas');
  assert.equal(degradedOf({ readiness: { up: 2, failing: 2 } }), undefined);
});
