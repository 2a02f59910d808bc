/**
 * The one output policy for text that comes from a container or a cluster (log lines and the
 * fields decoded from them, names, labels, images, object fields) on its way to a terminal or
 * the page. Terminals obey what they are sent: a string could write the clipboard (OSC 52),
 * retitle the window, clear the screen, move the cursor over earlier lines or answer queries,
 * and a line break inside one field would start a line that looks like it came from elsewhere.
 * So whatever the source said, after every decoding step (JSON included) the text goes through
 * one of these, as kubectl does since CVE-2021-25743.
 */

/** Shown where a field held a line break, so one field can never start a line of its own. */
export const LINE_BREAK_MARK = '↵';

// Everything a terminal or a browser may break a line at; CRLF first so it is one mark.
const BREAK = '\\r\\n|[\\n\\v\\f\\r\\x85\\u2028\\u2029]';
// CSI: ESC [ params intermediates final; OSC: ESC ] … (BEL | ESC \), or to the end if never
// closed; DCS/SOS/PM/APC: ESC P|X|^|_ … ESC \; any other ESC with the one character after it.
const SEQUENCE = '\\x1b\\[[0-?]*[ -/]*[@-~]|\\x1b\\][^\\x07\\x1b]*(?:\\x07|\\x1b\\\\)?|\\x1b[PX^_][\\s\\S]*?(?:\\x1b\\\\|$)|\\x1b[ -~]?';
// C0 but tab, DEL, and C1 (0x80–0x9f: 8-bit CSI 0x9b and OSC 0x9d among them).
const CONTROL = '[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f]';
// Bidi embeddings, overrides and isolates: they make text read in another order than it is
// stored ("Trojan Source"), so a name or a line could show what it does not say.
const BIDI = '[\\u202a-\\u202e\\u2066-\\u2069]';

// Any character TERMINAL acts on (ESC is C0): most log lines hold none, and one scan of a class says so.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

// One pass, so that removing one thing can never join its neighbours into a new sequence.
const TERMINAL = new RegExp(`(${BREAK})|(${SEQUENCE})|${CONTROL}|${BIDI}`, 'g');
const PLAIN = new RegExp(`(${BREAK})|[\\x00-\\x1f\\x7f-\\x9f]|${BIDI}`, 'g');
// eslint-disable-next-line no-control-regex
const SGR_ONLY = /^\x1b\[[0-9;:]*m$/;
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;:]*m/g;
// JSON.stringify escapes C0 but leaves DEL, C1, the Unicode line separators and bidi controls raw.
const JSON_RAW = /[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * For a terminal (xterm in the Logs tab, `fleetdeck logs`): colours and text styles (SGR,
 * `ESC [ … m`) and tabs pass; every other escape sequence and control character is removed;
 * line breaks become `↵`; bidi controls are removed. An SGR left open is harmless as long as the caller resets after
 * the field (formatEntry does).
 */
export function terminalText(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(TERMINAL, (_m, brk: string | undefined, seq: string | undefined) => (brk ? LINE_BREAK_MARK : seq && SGR_ONLY.test(seq) ? seq : ''));
}

/**
 * For one-line plain text (names, labels, images, object fields, messages quoting them), on a
 * terminal or the page: no escape at all. Control characters stay visible in caret notation
 * (ESC is `^[`, as kubectl shows it; C1 as its ESC form, 0x9b is `^[[`) so that `api` and
 * `api` plus an invisible sequence never look alike; line breaks become `↵`; bidi controls
 * show as `<U+202E>`.
 */
export function plainText(text: string): string {
  return text.replace(PLAIN, (c, brk: string | undefined) => (brk ? LINE_BREAK_MARK : caret(c.charCodeAt(0))));
}

/** Plain content for matching (levels, JSON detection, search): sequences and controls silently gone. */
export function stripEscapes(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(TERMINAL, (_m, brk: string | undefined) => (brk ? ' ' : ''));
}

/** Colours off (a pipe, a file): for text that already went through `terminalText`. */
export function noColours(text: string): string {
  return text.replace(SGR, '');
}

/**
 * JSON for `--json`: the same value when parsed, but with DEL, C1 and U+2028/2029 written as
 * `\uXXXX` too (JSON allows any character escaped), so nothing raw reaches a terminal.
 */
export function jsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function caret(code: number): string {
  if (code > 0xff) return `<U+${code.toString(16).toUpperCase()}>`;
  if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
  if (code === 0x7f) return '^?';
  return `^[${String.fromCharCode(code - 0x40)}`;
}
