import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sparklinePath, sparkText, trend } from '../../../../renderer/src/features/glance/sparkline';
import { cpuText, errorRateText, p95Text, rpsShort, rpsText } from '../../../../renderer/src/features/glance/figures';

const box = { width: 60, height: 16, floor: 5 };

/** The path's pieces: each run starts with M; a lone value becomes M and a dash (h). */
const moves = (d: string) => d.match(/[MLh]/g)?.join('') ?? '';

test('a full series is one line from the left edge to the right, the highest value at the top', () => {
  const d = sparklinePath([0, 10, 20], box);
  assert.equal(d, 'M0 15.5L30 8L60 0.5');
});

test('nulls are gaps: the line stops at one and starts again after it', () => {
  const d = sparklinePath([1, 2, null, null, 3, 4], box);
  assert.equal(moves(d), 'MLML');
  assert.equal(d.indexOf('M', 1) > 0, true);
  assert.match(d, /^M0 /);
  assert.match(d, /M48 /, 'the second run starts at the fifth value (4 × 12 px)');
});

test('a lone value between gaps still shows, as a short dash', () => {
  assert.equal(moves(sparklinePath([null, 3, null, null], box)), 'Mh');
  assert.equal(moves(sparklinePath([null, null, null, 3], box)), 'Mh', 'the newest value alone: what a service just started shows');
  assert.match(sparklinePath([null, null, null, 3], box), /h-/, 'drawn backwards from the right edge, inside the box');
  assert.equal(moves(sparklinePath([7], box)), 'Mh');
});

test('nothing measured draws nothing', () => {
  assert.equal(sparklinePath([], box), '');
  assert.equal(sparklinePath([null, null, null], box), '');
});

test('below the floor the line stays low: an idle service is not blown up to full height', () => {
  const d = sparklinePath([0.1, 0.2, 0.1], box);
  for (const y of [...d.matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]))) assert.ok(y > 14, `y ${y} near the bottom`);
  const busy = sparklinePath([50, 100], box);
  assert.match(busy, /L60 0.5$/, 'above the floor the highest value reaches the top');
});

test('trend words: rising, falling, steady, or none with too little to compare', () => {
  const flat = new Array<number | null>(24).fill(10);
  assert.equal(trend([...flat, 10, 10, 11, 10, 10, 10]), 'steady');
  assert.equal(trend([...flat, 30, 30, 30, 30, 30, 30]), 'rising');
  assert.equal(trend([...flat, 2, 2, 2, 2, 2, 2]), 'falling');
  assert.equal(trend([null, null, null, 4, 5, 6]), undefined, 'only recent values: nothing before them');
  assert.equal(trend(new Array<number | null>(30).fill(null)), undefined);
  assert.equal(trend([...new Array<number | null>(24).fill(0.1), 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]), 'steady', 'a tiny change of an idle service is steady');
});

test('the cell says it in words, with its unit', () => {
  assert.equal(sparkText('CPU', cpuText(12.04), 'rising'), 'CPU 12 %, rising');
  assert.equal(sparkText('CPU', cpuText(3.25), undefined), 'CPU 3.3 %');
  assert.equal(sparkText('Requests', rpsText(3.2), 'steady'), 'Requests 3.2 req/s, steady');
  assert.equal(sparkText('Requests', rpsText(undefined), undefined), 'Requests not measured');
  assert.equal(rpsShort(14.6), '15/s');
  assert.equal(cpuText(0), '0 %');
});

test('error rate is a percentage and a tiny one is not shown as zero; p95 in ms', () => {
  assert.equal(errorRateText(0), '0 %');
  assert.equal(errorRateText(0.0004), '<0.1 %');
  assert.equal(errorRateText(0.025), '2.5 %');
  assert.equal(errorRateText(0.5), '50 %');
  assert.equal(errorRateText(undefined), undefined);
  assert.equal(p95Text(97.2), '97 ms');
  assert.equal(p95Text(4.25), '4.3 ms');
});
