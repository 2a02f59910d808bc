import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { instanceColours } from '../../../../main/common/log-format';
import { noColours, terminalText } from '../../../../main/common/output-policy';
import { ansiSpans, paletteColour, sgrClass, visible } from '../../../../renderer/src/features/logs/ansi-spans';
import { rowSpans, rowText, type RowOptions } from '../../../../renderer/src/features/logs/live-row';
import { anyControl, hostileJsonLine, hostileText, show } from '../../common/hostile-text';

const opts = (o: Partial<RowOptions> = {}): RowOptions => ({ merged: true, raw: false, colourFor: instanceColours(), ...o });
const joined = (spans: { text: string }[]) => spans.map((s) => s.text).join('');

test('colours become classes (themed), 256 and true colours inline values, decorations classes; the sequences are gone', () => {
  const spans = ansiSpans('plain \x1b[31mred\x1b[0m \x1b[1;96mbold cyan\x1b[0m \x1b[38;5;196mp\x1b[0m \x1b[38;2;1;2;3mt\x1b[0m \x1b[38:5:21mc\x1b[m');
  assert.equal(joined(spans), 'plain red bold cyan p t c');
  const by = (t: string) => spans.find((s) => s.text === t)!;
  assert.equal(by('red').className, 'ansi-red-fg');
  assert.equal(by('bold cyan').className, 'ansi-bright-cyan-fg ansi-bold');
  assert.equal(by('p').color, paletteColour(196));
  assert.equal(by('t').color, 'rgb(1, 2, 3)');
  assert.equal(by('c').color, paletteColour(21), 'colon parameters read as semicolons');
  assert.equal(paletteColour(196), 'rgb(255, 0, 0)');
  assert.equal(paletteColour(232), 'rgb(8, 8, 8)');
  assert.equal(sgrClass('\x1b[36m'), 'ansi-cyan-fg');
  assert.equal(sgrClass('\x1b[95m'), 'ansi-bright-magenta-fg');
});

test('hidden and blink are not applied: a line never hides its text', () => {
  const spans = ansiSpans('\x1b[8msecret\x1b[0m \x1b[5mblink\x1b[0m');
  assert.equal(joined(spans), 'secret blink');
  assert.ok(spans.every((s) => !s.className));
});

test('a row reads time, instance, level, text; a JSON line as its message and fields unless raw', () => {
  const line = {
    t: new Date(2026, 0, 1, 12, 3, 4, 567).getTime(),
    instance: 'web-1',
    stream: 'stdout' as const,
    level: 'warn' as const,
    text: '{"level":"warn","msg":"slow","ms":900}',
  };
  assert.equal(rowText(line, opts()), '12:03:04.567 web-1 WRN slow ms=900');
  assert.equal(rowText(line, opts({ raw: true })), `12:03:04.567 web-1 WRN ${line.text}`);
  assert.equal(rowText(line, opts({ merged: false })), '12:03:04.567 WRN slow ms=900');
  const spans = rowSpans(line, opts());
  assert.match(spans.find((s) => s.text === 'web-1 ')!.className!, /^ll-instance ansi-[a-z-]+-fg$/);
  assert.equal(rowText({ ...line, level: undefined, stream: 'stderr', text: 'oops' }, opts()), '12:03:04.567 web-1 ▌oops');
});

test('whatever a container wrote, a row holds no control character but tabs, and Find searches exactly what is drawn', () => {
  fc.assert(
    fc.property(fc.oneof(hostileText, hostileJsonLine), hostileText, fc.boolean(), (text, instance, raw) => {
      const line = { t: 0, instance, stream: 'stdout' as const, text };
      const spans = rowSpans(line, opts({ raw }));
      const drawn = joined(spans);
      const bad = anyControl(drawn.replace(/\t/g, ''));
      assert.equal(bad, undefined, `${show(text)} → ${show(drawn)}`);
      assert.equal(rowText(line, opts({ raw })), drawn, show(text));
    }),
    { numRuns: 2000 },
  );
});

test('span texts are the visible text without its colours', () => {
  fc.assert(
    fc.property(hostileText, (raw) => {
      const text = terminalText(raw);
      assert.equal(joined(ansiSpans(text)), visible(noColours(text)), show(raw));
    }),
    { numRuns: 2000 },
  );
});
