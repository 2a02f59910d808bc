import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter, MAX_LINE } from '../../../../main/core/logs/lines';

test('lines split across chunks, CRLF and a multi-byte character cut in two come out whole', () => {
  const s = new LineSplitter();
  const euro = Buffer.from('€');
  assert.deepEqual(s.push(Buffer.from('one\r\ntw')), ['one']);
  assert.deepEqual(s.push(Buffer.concat([Buffer.from('o '), euro.subarray(0, 1)])), []);
  assert.deepEqual(s.push(Buffer.concat([euro.subarray(1), Buffer.from('\nthree')])), ['two €']);
  assert.deepEqual(s.end(), ['three']);
});

test('a line with no end is cut at the limit, and its tail does not come out as another line', () => {
  const s = new LineSplitter();
  const out = [...s.push('x'.repeat(MAX_LINE + 10)), ...s.push('y'.repeat(100)), ...s.push('z\nnext\n')];
  assert.equal(out.length, 2);
  assert.match(out[0]!, /line cut at/);
  assert.ok(out[0]!.length < MAX_LINE + 50);
  assert.equal(out[1], 'next');
});
