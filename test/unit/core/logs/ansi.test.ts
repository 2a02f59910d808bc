import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterEscapes, stripEscapes } from '../../../../main/core/logs/ansi';

const ESC = '\x1b';

test('colours and styles pass, so coloured logs stay coloured', () => {
  const line = `${ESC}[1;31mERROR${ESC}[0m disk ${ESC}[38;5;208mfull${ESC}[m`;
  assert.equal(filterEscapes(line), line);
});

test('the clipboard, the title, cursor moves, screen clears and queries are removed', () => {
  assert.equal(filterEscapes(`a${ESC}]52;c;ZXZpbA==${ESC}\\b`), 'ab', 'OSC 52 clipboard write');
  assert.equal(filterEscapes(`a${ESC}]0;pwned\x07b`), 'ab', 'window title');
  assert.equal(filterEscapes(`a${ESC}[2J${ESC}[H${ESC}[5Ab`), 'ab', 'clear screen, home, cursor up');
  assert.equal(filterEscapes(`a${ESC}[6nb`), 'ab', 'cursor position query (its answer would be typed as input)');
  assert.equal(filterEscapes(`a${ESC}Pq#0;2;0;0;0${ESC}\\b`), 'ab', 'DCS (sixel)');
  assert.equal(filterEscapes(`a${ESC}cb`), 'ab', 'full reset');
  assert.equal(filterEscapes(`a\u009b2Jb`), 'a2Jb', '8-bit CSI is dropped (its parameters stay as text)');
  assert.equal(filterEscapes('a\x07\x08b\tc'), 'ab\tc', 'bell and backspace go, tab stays');
});

test('an unterminated OSC does not leak the rest of the line into the terminal', () => {
  assert.equal(filterEscapes(`ok ${ESC}]8;;http://x`), 'ok ');
});

test('stripEscapes leaves plain text for levels and JSON', () => {
  assert.equal(stripEscapes(`${ESC}[32m{"level":30}${ESC}[0m`), '{"level":30}');
});
