import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LINE_BREAK_MARK, jsonText, noColours, plainText, stripEscapes, terminalText } from '../../../main/common/output-policy';
import { anyControl, anyText, hostileText, show, unsafeOutsideColours } from './hostile-text';

const ESC = '\x1b';
const RUNS = { numRuns: 2000 };

test('colours and styles pass, so coloured logs stay coloured', () => {
  const line = `${ESC}[1;31mERROR${ESC}[0m disk ${ESC}[38;5;208mfull${ESC}[m ${ESC}[38:2::255:0:0mrgb`;
  assert.equal(terminalText(line), line);
});

test('the clipboard, the title, cursor moves, screen clears and queries are removed', () => {
  assert.equal(terminalText(`a${ESC}]52;c;ZXZpbA==${ESC}\\b`), 'ab', 'OSC 52 clipboard write');
  assert.equal(terminalText(`a${ESC}]0;pwned\x07b`), 'ab', 'window title');
  assert.equal(terminalText(`a${ESC}]8;;http://x${ESC}\\link${ESC}]8;;${ESC}\\b`), 'alinkb', 'hyperlink');
  assert.equal(terminalText(`a${ESC}[2J${ESC}[H${ESC}[5Ab`), 'ab', 'clear screen, home, cursor up');
  assert.equal(terminalText(`a${ESC}[6nb`), 'ab', 'cursor position query (its answer would be typed as input)');
  assert.equal(terminalText(`a${ESC}[?1049hb`), 'ab', 'alternate screen');
  assert.equal(terminalText(`a${ESC}[>4;1mb`), 'ab', 'a private sequence ending in m is not a colour');
  assert.equal(terminalText(`a${ESC}Pq#0;2;0;0;0${ESC}\\b`), 'ab', 'DCS (sixel)');
  assert.equal(terminalText(`a${ESC}_payload${ESC}\\b${ESC}^pm${ESC}\\c${ESC}Xsos${ESC}\\d`), 'abcd', 'APC, PM, SOS');
  assert.equal(terminalText(`a${ESC}cb${ESC}7c${ESC}8d`), 'abcd', 'full reset, save/restore cursor');
  assert.equal(terminalText(`a\u009b2Jb`), 'a2Jb', '8-bit CSI is dropped (its parameters stay as text)');
  assert.equal(terminalText(`a\u009d52;c;QQ==\x07b`), 'a52;c;QQ==b', '8-bit OSC is dropped');
  assert.equal(terminalText('a\x07\x08b\tc\x7fd\x0ee'), 'ab\tcde', 'bell, backspace, DEL and shift-out go, tab stays');
});

test('line breaks inside a field are shown, never obeyed', () => {
  for (const br of ['\r', '\n', '\r\n', '\v', '\f', '\x85', '\u2028', '\u2029']) {
    assert.equal(terminalText(`a${br}b`), `a${LINE_BREAK_MARK}b`, show(br));
    assert.equal(plainText(`a${br}b`), `a${LINE_BREAK_MARK}b`, show(br));
  }
  assert.equal(terminalText('a\r\n\r\nb'), 'a↵↵b');
});

test('an unterminated sequence does not leak the rest of the field into the terminal', () => {
  assert.equal(terminalText(`ok ${ESC}]8;;http://x`), 'ok ');
  assert.equal(terminalText(`ok ${ESC}P1;2`), 'ok ');
  assert.equal(terminalText(`ok ${ESC}[12`), 'ok 12');
  assert.equal(terminalText(`ok ${ESC}`), 'ok ');
  assert.equal(terminalText(`ok ${ESC}[31mred`), `ok ${ESC}[31mred`, 'an open colour passes: formatEntry closes it');
});

test('plainText keeps no escape at all, and shows what was there', () => {
  assert.equal(plainText(`api${ESC}]52;c;QQ==\x07`), 'api^[]52;c;QQ==^G');
  assert.equal(plainText(`${ESC}[31mred${ESC}[0m`), '^[[31mred^[[0m', 'not even colours: a name is plain text');
  assert.equal(plainText('a\u009b2J\tb\x7f'), 'a^[[2J^Ib^?');
  assert.equal(plainText('web-1 shop/api:1.2 ünïcødé 名前'), 'web-1 shop/api:1.2 ünïcødé 名前');
});

test('stripEscapes leaves plain text for levels and JSON', () => {
  assert.equal(stripEscapes(`${ESC}[32m{"level":30}${ESC}[0m`), '{"level":30}');
  assert.equal(stripEscapes(`ERROR\rboom`), 'ERROR boom');
});

test('jsonText is the same JSON when parsed, with nothing raw for a terminal', () => {
  const value = { name: `a${ESC}]52;c;QQ==\x07\u009b2J\x7f\u2028\u2029\r\n`, n: 1, nested: [{ k: '\u0085' }] };
  const text = jsonText(value);
  assert.deepEqual(JSON.parse(text), value);
  assert.equal(anyControl(text.replace(/\n {0,}/g, '')), undefined, show(text));
  assert.match(text, /\\u009b2J\\u007f\\u2028\\u2029/);
});

test('property: terminalText lets nothing but colours and tabs out, and no line break', () => {
  fc.assert(
    fc.property(fc.oneof(hostileText, anyText), (s) => {
      const out = terminalText(s);
      assert.equal(unsafeOutsideColours(out), undefined, `${show(s)} → ${show(out)}`);
      assert.equal(noColours(out).includes(ESC), false, `${show(s)} → ${show(out)}`);
    }),
    RUNS,
  );
});

test('property: terminalText is idempotent, and leaves text without controls as it is', () => {
  fc.assert(
    fc.property(fc.oneof(hostileText, anyText), (s) => {
      const once = terminalText(s);
      assert.equal(terminalText(once), once, show(s));
      if (anyControl(s.replace(/\t/g, '')) === undefined) assert.equal(once, s);
    }),
    RUNS,
  );
});

test('property: plainText keeps no control character at all, is idempotent, and changes only what was unsafe', () => {
  fc.assert(
    fc.property(fc.oneof(hostileText, anyText), (s) => {
      const out = plainText(s);
      assert.equal(anyControl(out), undefined, `${show(s)} → ${show(out)}`);
      assert.equal(plainText(out), out);
      assert.equal(out === s, anyControl(s) === undefined, show(s));
    }),
    RUNS,
  );
});

test('property: jsonText round-trips any value and writes no raw control, C1 or line separator', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.dictionary(hostileText, hostileText, { maxKeys: 4 }), (v, d) => {
      for (const value of [v, d]) {
        const text = jsonText(value, 0);
        assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
        assert.equal(anyControl(text), undefined, show(text));
      }
    }),
    RUNS,
  );
});

test('bidi overrides cannot make a name or a line read in another order than it is', () => {
  const name = 'api\u202Egpj.exe\u202C';
  assert.equal(plainText(name), 'api<U+202E>gpj.exe<U+202C>');
  assert.equal(terminalText('ok \u2066hidden\u2069 \u202Dx'), 'ok hidden x');
});
