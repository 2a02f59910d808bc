/**
 * Colours in a log line as spans for React text nodes: anser reads the SGR sequences (the only
 * escapes the output policy lets through), and every piece of text it returns passes the policy
 * once more, so a control character can only ever show as harmless caret text.
 */
import Anser from 'anser';
import { plainText } from '../../../../main/common/output-policy';

export interface Span {
  text: string;
  /** `ansi-red-fg`, `ansi-bright-blue-bg`, `ansi-bold`…: themed in styles.css. */
  className?: string;
  /** 256-colour and true-colour values, which no class names. */
  color?: string;
  background?: string;
}

// eslint-disable-next-line no-control-regex
const SGR_WITH_COLONS = /\x1b\[([0-9;]*:[0-9;:]*)m/g;
// Decorations shown; `hidden` and `blink` are not (a log line never hides its text, nor blinks).
const DECORATIONS = new Set(['bold', 'dim', 'italic', 'underline', 'strikethrough']);

/** What the page may show of a piece of text: tabs stay tabs; every other control is caret text, bidi controls `<U+…>`. */
export function visible(text: string): string {
  return text.includes('\t') ? text.split('\t').map(plainText).join('\t') : plainText(text);
}

/** The spans of text that may hold SGR sequences (after `terminalText`); their texts joined are `visible(noColours(text))`. */
export function ansiSpans(text: string): Span[] {
  // anser reads `;` parameters only: `38:5:1` is the same colour as `38;5;1`.
  const normal = text.includes(':') ? text.replace(SGR_WITH_COLONS, (_m, p: string) => `\x1b[${p.replace(/:/g, ';')}m`) : text;
  if (!normal.includes('\x1b[')) return normal ? [{ text: visible(normal) }] : [];
  const spans: Span[] = [];
  for (const c of Anser.ansiToJson(normal, { use_classes: true, remove_empty: true })) {
    const span: Span = { text: visible(c.content) };
    const classes: string[] = [];
    colour(c.fg, c.fg_truecolor, 'fg', classes, (v) => (span.color = v));
    colour(c.bg, c.bg_truecolor, 'bg', classes, (v) => (span.background = v));
    for (const d of c.decorations ?? []) if (DECORATIONS.has(d)) classes.push(`ansi-${d}`);
    if (classes.length) span.className = classes.join(' ');
    // Pieces that look the same are one span (fewer nodes in each row).
    const prev = spans.at(-1);
    if (prev && prev.className === span.className && prev.color === span.color && prev.background === span.background) prev.text += span.text;
    else spans.push(span);
  }
  return spans;
}

function colour(value: string | null, truecolor: string | null, kind: 'fg' | 'bg', classes: string[], set: (css: string) => void): void {
  if (!value) return;
  if (value === 'ansi-truecolor') {
    if (truecolor && /^\d{1,3}, \d{1,3}, \d{1,3}$/.test(truecolor)) set(`rgb(${truecolor})`);
    return;
  }
  const palette = /^ansi-palette-(\d{1,3})$/.exec(value);
  if (palette) return set(paletteColour(Number(palette[1])));
  if (/^ansi-(?:bright-)?[a-z]+$/.test(value)) classes.push(`${value}-${kind}`);
}

/** The xterm 256-colour palette above the 16 named colours: a 6×6×6 cube, then 24 greys. */
export function paletteColour(n: number): string {
  if (n >= 232) {
    const g = 8 + (n - 232) * 10;
    return `rgb(${g}, ${g}, ${g})`;
  }
  const i = n - 16;
  const level = (x: number) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))}, ${level(Math.floor(i / 6) % 6)}, ${level(i % 6)})`;
}

const classCache = new Map<string, string>();
/** The class of an SGR colour such as `\x1b[36m` (how log-format's instance colours are named): `ansi-cyan-fg`. */
export function sgrClass(sgr: string): string {
  let c = classCache.get(sgr);
  if (c === undefined) {
    c = ansiSpans(`${sgr}x`)[0]?.className ?? '';
    classCache.set(sgr, c);
  }
  return c;
}
