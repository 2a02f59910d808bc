import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatEntry, instanceColours, noticeLine, prettyJson } from '../../../main/common/log-format';
import { toEntry } from '../../../main/core/logs/entry';
import { anyField, hostileJsonLine, hostileText, show, unsafeOutsideColours, withoutColours } from './hostile-text';

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const ESC = '\x1b';
const RESET = `${ESC}[0m`;
const DIM = `${ESC}[2m`;

test('a JSON line reads as its message, then its other fields', () => {
  const line = '{"level":"info","time":"2026-11-27T10:00:00Z","service":"user-service","requestId":"r1","status":200,"msg":"request completed"}';
  assert.equal(plain(prettyJson(line)!), 'request completed requestId=r1 status=200');
  assert.equal(prettyJson('not json'), undefined);
  assert.equal(prettyJson('{broken'), undefined);
});

test('merged lines carry the instance, each instance keeps its colour, and the level is a word', () => {
  const colour = instanceColours();
  const a = formatEntry({ t: 0, instance: 'web-1', stream: 'stdout', level: 'error', text: 'boom' }, colour, true);
  const b = formatEntry({ t: 0, instance: 'web-2', stream: 'stdout', text: 'ok' }, colour, true);
  const a2 = formatEntry({ t: 0, instance: 'web-1', stream: 'stdout', text: 'again' }, colour, true);
  assert.match(plain(a), /web-1 ERR boom\r\n$/);
  assert.equal(
    a.slice(a.indexOf('web-1') - 5, a.indexOf('web-1')),
    a2.slice(a2.indexOf('web-1') - 5, a2.indexOf('web-1')),
    'same colour for the same instance',
  );
  assert.notEqual(a.slice(a.indexOf('web-1') - 5, a.indexOf('web-1')), b.slice(b.indexOf('web-2') - 5, b.indexOf('web-2')));
  assert.doesNotMatch(plain(formatEntry({ t: 0, instance: 'web-1', stream: 'stdout', text: 'x' }, colour, false)), /web-1/, 'one instance: no prefix');
});

// ---- the output policy, after JSON decoding ----

const LINE_OF_ONE = /^[^\r\n\v\f\x85\u2028\u2029]*\r\n$/;

function oneSafeLine(out: string, input: string): void {
  assert.equal(unsafeOutsideColours(out.slice(0, -2)), undefined, `${show(input)} → ${show(out)}`);
  assert.match(withoutColours(out), LINE_OF_ONE, `${show(input)} → ${show(out)}`);
  assert.ok(out.endsWith(`${RESET}\r\n`), 'colours are closed before the line ends');
}

test('reproduction: an OSC 52 clipboard write, title, hyperlink and screen clear inside a JSON message do not reach the terminal', () => {
  const line = '{"level":"info","msg":"\\u001b]52;c;SlNPTkNMSVA=\\u0007\\u001b[2J\\u001b[HX"}';
  const e = toEntry(`2026-11-27T10:00:01.123456789Z ${line}`, 'web-1', 'stdout');
  for (const raw of [false, true]) {
    const out = formatEntry(e, instanceColours(), true, raw);
    assert.doesNotMatch(out, /\x1b\]|\x1b\[2J|\x1b\[H|\x07/, show(out));
    oneSafeLine(out, line);
  }
  assert.match(plain(formatEntry(e, instanceColours(), true)), /web-1 INF X\r\n$/);
  assert.equal(prettyJson('{"msg":"\\u001b]8;;http://evil\\u001b\\\\link\\u001b]0;title\\u0007"}'), `link${RESET}`, 'hyperlink and title');
});

test('reproduction: CR/LF inside a JSON message cannot forge a line from another container', () => {
  const line = '{"msg":"a\\r\\n01:02:03.456 fleetdeck-prod-db-1 ERR FORGED-LINE"}';
  const out = formatEntry(toEntry(line, 'web-1', 'stdout'), instanceColours(), true);
  oneSafeLine(out, line);
  assert.match(plain(out), /^\d\d:\d\d:\d\d\.\d{3} web-1 a↵01:02:03\.456 fleetdeck-prod-db-1 ERR FORGED-LINE\r\n$/);
});

test('each field closes its colours, so an open colour cannot disguise the next field', () => {
  const out = prettyJson('{"msg":"\\u001b[31mred","k\\u001b[8m":"\\u001b[41mv","n":1}')!;
  assert.equal(out, `${ESC}[31mred${RESET} ${DIM}k${ESC}[8m${RESET}${DIM}=${ESC}[41mv${RESET} ${DIM}n${RESET}${DIM}=1${RESET}`);
  const e = formatEntry({ t: 0, instance: `db${ESC}[0m`, stream: 'stderr', text: `${ESC}[42mgreen` }, instanceColours(), true);
  assert.match(e, /db\^\[\[0m\x1b\[0m /, 'the instance name is plain text, its colour closed');
  assert.ok(e.endsWith(`${ESC}[42mgreen${RESET}${RESET}\r\n`));
});

test('values that are not strings are shown as JSON, with C1 and line separators inside them made safe too', () => {
  const out = prettyJson('{"msg":"m","o":{"a":"\\u009b2J\\u2028x"},"l":["\\r\\n"]}')!;
  assert.equal(plain(out), 'm o={"a":"2J↵x"} l=["\\r\\n"]');
});

test('property: raw log lines → toEntry → formatEntry (pretty and raw): one line, nothing but colours', () => {
  fc.assert(
    fc.property(
      hostileText,
      anyField,
      fc.boolean(),
      fc.boolean(),
      fc.constantFrom<'stdout' | 'stderr'>('stdout', 'stderr'),
      (line, instance, raw, merged, stream) => {
        const out = formatEntry(toEntry(line, instance, stream), instanceColours(), merged, raw);
        oneSafeLine(out, line);
      },
    ),
    { numRuns: 2000 },
  );
});

test('property: JSON log lines with escapes and line breaks in message, keys and values → one line, nothing but colours', () => {
  fc.assert(
    fc.property(hostileJsonLine, fc.boolean(), fc.boolean(), (line, raw, withTimestamp) => {
      const e = toEntry(withTimestamp ? `2026-11-27T10:00:01.5Z ${line}` : line, 'web-1', 'stdout');
      const out = formatEntry(e, instanceColours(), true, raw);
      oneSafeLine(out, line);
      // Whatever the fields held, the pretty form never lets a decoded field start a line.
      const pretty = prettyJson(e.text);
      if (pretty !== undefined) assert.equal(unsafeOutsideColours(pretty), undefined, `${show(line)} → ${show(pretty)}`);
    }),
    { numRuns: 2000 },
  );
});

test('property: entries made anywhere (not only by toEntry) still come out as one safe line', () => {
  fc.assert(
    fc.property(anyField, anyField, fc.boolean(), (text, instance, raw) => {
      oneSafeLine(formatEntry({ t: 0, instance, stream: 'stdout', text }, instanceColours(), true, raw), text);
      assert.match(withoutColours(noticeLine(`${instance} left`)), LINE_OF_ONE);
    }),
    { numRuns: 1000 },
  );
});
