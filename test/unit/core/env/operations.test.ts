import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { KeyedQueue, ProgressBoard, validateReplicas, waitUntil, withTimeout } from '../../../../main/core/env/operations';

test('operations on one key run one after another, a failure does not stop the next, other keys run alongside', async () => {
  const q = new KeyedQueue();
  const log: string[] = [];
  const step =
    (name: string, ms: number, fail = false) =>
    async () => {
      log.push(`${name}+`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name}-`);
      if (fail) throw new Error(name);
      return name;
    };
  const a1 = q.run('a', step('a1', 20, true));
  const a2 = q.run('a', step('a2', 1));
  const b1 = q.run('b', step('b1', 1));
  await assert.rejects(a1, /a1/);
  assert.equal(await a2, 'a2');
  assert.equal(await b1, 'b1');
  assert.ok(log.indexOf('a1-') < log.indexOf('a2+'), 'a2 waited for a1');
  assert.ok(log.indexOf('b1-') < log.indexOf('a1-'), 'b did not wait for a');
});

test('waitUntil resolves on the change that makes it true, or says false at the timeout; no listener stays', async () => {
  const e = new EventEmitter<{ change: [] }>();
  let n = 0;
  const p = waitUntil(e, () => n >= 2, 1000);
  n = 1;
  e.emit('change');
  n = 2;
  e.emit('change');
  assert.equal(await p, true);
  assert.equal(await waitUntil(e, () => false, 20), false);
  assert.equal(e.listenerCount('change'), 0);
  assert.equal(await waitUntil(e, () => true, 1), true);
});

test('withTimeout rejects with its message when the promise is late', async () => {
  await assert.rejects(withTimeout(new Promise(() => {}), 10, 'ping timed out'), /ping timed out/);
  assert.equal(await withTimeout(Promise.resolve(3), 10, 'x'), 3);
});

test('replica counts: whole, not negative, at most the maximum, in the same words for every engine', () => {
  assert.throws(() => validateReplicas(-1, 50), /0 or more/);
  assert.throws(() => validateReplicas(1.5, 50), /whole number/);
  assert.throws(() => validateReplicas(51, 50), /At most 50/);
  validateReplicas(0, 50);
  validateReplicas(50, 50);
});

test('progress is shown per service and each change is announced', () => {
  let changes = 0;
  const b = new ProgressBoard(() => changes++);
  b.set('s', { kind: 'scale', target: 3, message: 'Scaling 1 → 3…' });
  assert.equal(b.get('s')?.target, 3);
  b.set('s', undefined);
  assert.equal(b.get('s'), undefined);
  assert.equal(changes, 2);
});
