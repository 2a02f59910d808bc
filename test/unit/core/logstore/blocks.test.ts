// A block's texts and its lines' times as stored, read back exactly; the cheap pre-check of which lines may match.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBlock, decodeLines, encodeBlock, encodeLines } from '../../../../main/core/logstore/blocks';

test('times and metas come back as written, whatever the gaps between them (backwards, weeks, the same ms)', () => {
  const t0 = Date.UTC(2026, 11, 2);
  const times = [t0, t0, t0 + 1, t0 - 5000, t0 + 40 * 86_400_000, t0 + 40 * 86_400_000 + 3, t0 - 3 * 86_400_000];
  const metas = [0, 3, 8 + 5, 1, 2, 7, 15];
  const back = decodeLines(encodeLines(times, metas, Math.min(...times)), times.length, Math.min(...times));
  assert.deepEqual([...back.t], times);
  assert.deepEqual([...back.meta], metas);
});

test('a block gives each line its text back, any character included', () => {
  const texts = ['plain', '', 'ünïcødé 日本語', 'nul \u0000 and \u001b[31mred\u001b[0m', 'x'.repeat(20_000)];
  const b = decodeBlock(encodeBlock(texts));
  assert.equal(b.n, texts.length);
  assert.deepEqual(
    texts.map((_, i) => b.text(i)),
    texts,
  );
});

test('the lines that may hold every token: found in any case, never across two lines, and no answer for a block with non-ASCII text', () => {
  const b = decodeBlock(encodeBlock(['Connection REFUSED by db', 'all fine', 'ref', 'used twice: refused refused', '', 'refused-connection']));
  assert.deepEqual(b.linesWith(['refused']), [0, 3, 5]);
  assert.deepEqual(b.linesWith(['refused', 'connection']), [0, 5]);
  assert.deepEqual(b.linesWith(['nothing']), []);
  const mixed = decodeBlock(encodeBlock(['refused', 'réfused']));
  assert.equal(mixed.linesWith(['refused']), undefined, 'folding is not lower-casing there: every line is checked');
});
