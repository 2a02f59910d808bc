import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQuantity } from '../../../main/core/kubernetes/quantity';

test('CPU and memory quantities as metrics-server writes them', () => {
  assert.equal(parseQuantity('250m'), 0.25);
  assert.ok(Math.abs(parseQuantity('123456789n') - 0.123456789) < 1e-12);
  assert.equal(parseQuantity('2'), 2);
  assert.equal(parseQuantity('25Mi'), 25 * 2 ** 20);
  assert.equal(parseQuantity('1536Ki'), 1536 * 1024);
  assert.equal(parseQuantity('1G'), 1e9);
  assert.equal(parseQuantity('1.5e3'), 1500);
  assert.ok(Number.isNaN(parseQuantity('12 cores')));
});
