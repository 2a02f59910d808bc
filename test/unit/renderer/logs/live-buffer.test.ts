import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveBuffer, LiveFind, occurrences, type LiveLine } from '../../../../renderer/src/features/logs/live-buffer';

const line = (text: string, extra: Partial<LiveLine> = {}): LiveLine => ({ t: 1, instance: 'web-1', stream: 'stdout', text, ...extra });
const texts = (b: LiveBuffer) => Array.from({ length: b.viewLength }, (_, i) => b.line(b.viewSeq(i))!.text);

test('the ring keeps the newest lines up to its capacity and counts what fell out', () => {
  const b = new LiveBuffer(3);
  b.push(['a', 'b', 'c', 'd', 'e'].map((t) => line(t)));
  assert.deepEqual(texts(b), ['c', 'd', 'e']);
  assert.equal(b.size, 3);
  assert.equal(b.evicted, 2);
  assert.equal(b.viewEvicted, 2);
  assert.equal(b.line(0), undefined, 'a line that fell out is gone');
  assert.equal(b.line(4)!.text, 'e');
  assert.equal(b.nextSeq, 5);
});

test('the filter is a view: level and probes hide lines without losing them, notes and the jump target always show', () => {
  const b = new LiveBuffer(100);
  b.push([
    line('debug thing', { level: 'debug' }),
    line('GET /health 200'),
    line('{"url":"/metrics","status":200}', { level: 'info' }),
    line('careful', { level: 'warn' }),
    line('── web-2 left ──', { note: true }),
    line('the hit', { level: 'debug', target: true }),
    line('no level'),
  ]);
  assert.equal(b.probes, 2);
  b.setFilter({ minLevel: '', hideProbes: true });
  assert.deepEqual(texts(b), ['debug thing', 'careful', '── web-2 left ──', 'the hit', 'no level']);
  b.setFilter({ minLevel: 'warn', hideProbes: true });
  assert.deepEqual(texts(b), ['careful', '── web-2 left ──', 'the hit']);
  b.setFilter({ minLevel: '', hideProbes: false });
  assert.equal(b.viewLength, 7);
  // Lines pushed later go through the filter too.
  b.setFilter({ minLevel: 'error', hideProbes: true });
  b.push([line('boom', { level: 'error' }), line('fine', { level: 'info' })]);
  assert.deepEqual(texts(b).slice(-1), ['boom']);
});

test('held (paused), nothing falls out: lines past the capacity are counted, and after release the ring moves again', () => {
  const b = new LiveBuffer(3);
  b.push([line('a'), line('b')]);
  b.hold();
  b.push([line('c'), line('d'), line('e')]);
  assert.deepEqual(texts(b), ['a', 'b', 'c']);
  assert.equal(b.skipped, 2);
  assert.equal(b.release(), 2);
  b.push([line('f')]);
  assert.deepEqual(texts(b), ['b', 'c', 'f']);
});

test('rows are found by seq; a seq not in the view gives the next row', () => {
  const b = new LiveBuffer(10);
  b.push([line('a', { level: 'info' }), line('b', { level: 'debug' }), line('c', { level: 'info' })]);
  b.setFilter({ minLevel: 'info', hideProbes: false });
  assert.equal(b.viewIndexOf(2), 1);
  assert.equal(b.viewIndexOf(1), -1);
  assert.equal(b.viewIndexAtOrAfter(1), 1);
  assert.equal(b.viewIndexAtOrAfter(3), 2);
});

test('the view stays right over many evictions (its index is compacted)', () => {
  const b = new LiveBuffer(1000);
  for (let i = 0; i < 20_000; i++) b.push([line(`l${i}`, { level: i % 2 ? 'info' : 'debug' })]);
  b.setFilter({ minLevel: 'info', hideProbes: false });
  for (let i = 20_000; i < 30_000; i++) b.push([line(`l${i}`, { level: i % 2 ? 'info' : 'debug' })]);
  assert.equal(b.viewLength, 500);
  assert.equal(texts(b)[0], 'l29001');
  assert.equal(texts(b).at(-1), 'l29999');
  b.clear();
  assert.equal(b.viewLength, 0);
  assert.equal(b.size, 0);
  assert.equal(b.evicted, 0);
});

test('Find counts every occurrence, case-insensitively, a slice at a time, and forgets lines that fell out', () => {
  const b = new LiveBuffer(5);
  b.push([line('Timeout here'), line('nothing'), line('timeout, TIMEOUT again')]);
  const f = new LiveFind('timeout', (x) => x.text);
  assert.equal(f.update(b, b.nextSeq, 1), false, 'one row per call: not caught up');
  assert.equal(f.update(b, b.nextSeq), true);
  assert.equal(f.total, 3);
  assert.deepEqual(
    [f.seqs, f.ks],
    [
      [0, 2, 2],
      [0, 0, 1],
    ],
  );
  assert.equal(f.indexAtOrAfter(2, 1), 2);
  b.push([line('x'), line('y'), line('z timeout')]);
  f.update(b, b.nextSeq);
  assert.deepEqual(f.seqs, [2, 2, 5], 'line 0 fell out, line 5 came');
  // The paused view ends at a seq: lines after it are not searched yet.
  const g = new LiveFind('timeout', (x) => x.text);
  g.update(b, 5);
  assert.deepEqual(g.seqs, [2, 2]);
  assert.deepEqual(occurrences('a.b A.B', 'a.b'), [
    [0, 3],
    [4, 7],
  ]);
  assert.deepEqual(occurrences('x', ''), []);
});
