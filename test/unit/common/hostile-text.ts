// Arbitraries for what a container or cluster may say, and the checks that only colours get out.
// Shared by the output policy, log format and CLI tests.
import fc from 'fast-check';

const ESC = '\x1b';

/** Any UTF-16 code unit, lone surrogates included, and any code point. */
export const anyText = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

const params = fc
  .array(fc.oneof(fc.nat(400).map(String), fc.constantFrom(';', ':', '?', '>', '=', '<', '!', ' ', '"')), { maxLength: 6 })
  .map((p) => p.join(''));
const bidi = fc.constantFrom('\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069');
const breaks = fc.constantFrom('\r', '\n', '\r\n', '\n\r', '\v', '\f', '\x85', '\u2028', '\u2029');
const c0 = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const c1 = fc.integer({ min: 0x7f, max: 0x9f }).map((c) => String.fromCharCode(c));

/** Escape sequences of every kind, whole, cut short, and mixed with what ends them. */
const sequence = fc.oneof(
  params.map((p) => `${ESC}[${p}m`),
  fc
    .tuple(params, fc.string({ unit: fc.constantFrom(' ', '!', '/', '$'), maxLength: 2 }), fc.integer({ min: 0x40, max: 0x7e }))
    .map(([p, i, f]) => `${ESC}[${p}${i}${String.fromCharCode(f)}`),
  fc
    .tuple(fc.constantFrom('0', '2', '8', '52', '1337'), anyText, fc.constantFrom('\x07', `${ESC}\\`, '', '\x9c'))
    .map(([n, body, end]) => `${ESC}]${n};${body}${end}`),
  fc.tuple(fc.constantFrom('P', 'X', '^', '_'), anyText, fc.constantFrom(`${ESC}\\`, '')).map(([k, body, end]) => `${ESC}${k}${body}${end}`),
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => `${ESC}${String.fromCharCode(c)}`),
  fc.constantFrom(ESC, `${ESC}[`, `${ESC}]`, '\x9b', '\x9d', '\x90', '\x9c', `\x9b2J`, `\x9d52;c;QQ==\x07`),
  params.map((p) => `\x9b${p}m`),
);

/** Text with escape sequences, C0/C1 controls, line breaks and JSON structure mixed in. */
export const hostileText = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: sequence },
      { weight: 2, arbitrary: breaks },
      c0,
      c1,
      bidi,
      anyText,
      fc.constantFrom('{', '}', '"', ':', ',', '[', ']', '\\', '\\u001b', '\\r\\n', '↵', '\t', 'ERR ', '01:02:03.456 '),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

export const anyField = fc.oneof(hostileText, anyText);

/** JSON log lines whose message, keys and values (nested too) hold the hostile text, JSON-escaped as a logger writes them. */
export const hostileJsonLine = fc
  .tuple(
    anyField,
    fc.dictionary(
      anyField,
      fc.oneof(
        anyField,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(anyField, { maxLength: 3 }),
        fc.dictionary(anyField, anyField, { maxKeys: 2 }),
      ),
      { maxKeys: 4 },
    ),
    fc.constantFrom('info', 'error', 30, 50, undefined),
    fc.constantFrom('msg', 'message'),
  )
  .map(([msg, rest, level, key]) => JSON.stringify({ ...(level === undefined ? {} : { level }), ...rest, [key]: msg }));

const SGR = /\x1b\[[0-9;:]*m/g;
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_OR_TAB = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** The first character that is neither text, a tab nor part of an SGR colour sequence, or undefined. */
export function unsafeOutsideColours(s: string): string | undefined {
  return UNSAFE.exec(s.replace(SGR, ''))?.[0];
}

/** The first control character of any kind (tab and ESC included), or undefined. */
export function anyControl(s: string): string | undefined {
  return UNSAFE_OR_TAB.exec(s)?.[0];
}

export function withoutColours(s: string): string {
  return s.replace(SGR, '');
}

/** For assertion messages: every character visible. */
export const show = (s: string) => JSON.stringify(s);
