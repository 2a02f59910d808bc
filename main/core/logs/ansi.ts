/**
 * Logs come from untrusted programs, and xterm obeys every escape sequence it is sent: a log
 * line could set the clipboard (OSC 52), retitle the window, move the cursor over earlier
 * lines or answer queries. Only colours and text styles (SGR, `ESC [ … m`) pass; every other
 * sequence and control character is removed.
 */

// CSI: ESC [ params intermediates final; OSC: ESC ] … (BEL | ESC \); DCS/SOS/PM/APC: ESC P|X|^|_ … ESC \;
// other two-byte escapes: ESC + one char. C1 controls (0x80–0x9f) are dropped too.
const SEQUENCE =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][\s\S]*?(?:\x1b\\|$)|\x1b[ -~]?|[\x80-\x9f]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]/g;
// eslint-disable-next-line no-control-regex
const SGR = /^\x1b\[[0-9;:]*m$/;

/** Keeps colours (SGR) and tabs; drops every other escape sequence and control character. */
export function filterEscapes(text: string): string {
  return text.replace(SEQUENCE, (seq) => (SGR.test(seq) ? seq : '')).replace(CONTROL, '');
}

/** Plain text: for search, levels and JSON parsing. */
export function stripEscapes(text: string): string {
  return text.replace(SEQUENCE, '').replace(CONTROL, '');
}
