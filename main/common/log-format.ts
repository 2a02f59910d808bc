/** How a log entry is written for a terminal (the logs view's xterm, or `fleetdeck logs`): time, instance (coloured per instance), level, text. */
import type { LogEntry, LogLevel } from './model';
import { plainText, terminalText } from './output-policy';

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
// Instance colours: distinct on light and dark backgrounds (the terminal theme maps them).
const INSTANCE_COLOURS = ['\x1b[36m', '\x1b[35m', '\x1b[34m', '\x1b[32m', '\x1b[33m', '\x1b[96m', '\x1b[95m', '\x1b[94m'];
const LEVEL: Record<LogLevel, string> = {
  trace: `${DIM}TRC${RESET}`,
  debug: `${DIM}DBG${RESET}`,
  info: '\x1b[32mINF\x1b[0m',
  warn: '\x1b[33mWRN\x1b[0m',
  error: '\x1b[1;31mERR\x1b[0m',
  fatal: '\x1b[1;41;97mFTL\x1b[0m',
};

export function timeOf(t: number): string {
  const d = new Date(t);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

// Shown elsewhere on the line (time, level) or the same on every line of a service.
const HIDDEN_FIELDS = new Set(['level', 'lvl', 'severity', 'time', 'timestamp', 'ts', '@timestamp', 'msg', 'message', 'service', 'pid', 'hostname', 'v']);

/** One field from the container, safe once decoded, with its colours closed so they cannot run into the next. */
function field(text: string): string {
  return `${terminalText(text)}${RESET}`;
}

/**
 * A JSON log line as people read it: the message, then the other fields as key=value, dimmed.
 * JSON.parse turns `\u001b` and `\r\n` back into the characters, so the policy applies to what
 * it decoded (message, keys, values), not only to the line as it arrived.
 */
export function prettyJson(text: string): string | undefined {
  if (!text.startsWith('{')) return undefined;
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) return undefined;
  const msg = j.msg ?? j.message;
  const rest = Object.entries(j)
    .filter(([k]) => !HIDDEN_FIELDS.has(k))
    .map(([k, v]) => `${DIM}${field(k)}${DIM}=${field(typeof v === 'string' ? v : String(JSON.stringify(v)))}`)
    .join(' ');
  return `${typeof msg === 'string' ? field(msg) : ''}${rest ? ` ${rest}` : ''}`;
}

/**
 * `colourFor` keeps each instance's colour stable for the life of the view. Exactly one line
 * comes out, ending in CRLF: every field from the container passes the output policy here
 * too, whoever made the entry.
 */
export function formatEntry(e: LogEntry, colourFor: (instance: string) => string, showInstance: boolean, raw = false): string {
  const who = showInstance ? `${colourFor(e.instance)}${plainText(e.instance)}${RESET} ` : '';
  const level = e.level && LEVEL[e.level] ? `${LEVEL[e.level]} ` : '';
  const err = e.stream === 'stderr' && !e.level ? '\x1b[31m▌\x1b[0m' : '';
  const text = (!raw && prettyJson(e.text)) || field(e.text);
  return `${DIM}${timeOf(e.t)}${RESET} ${who}${level}${err}${text}${RESET}\r\n`;
}

export function instanceColours(): (instance: string) => string {
  const seen = new Map<string, string>();
  return (instance) => {
    let c = seen.get(instance);
    if (!c) seen.set(instance, (c = INSTANCE_COLOURS[seen.size % INSTANCE_COLOURS.length]!));
    return c;
  };
}

export function droppedLine(count: number, where: 'engine' | 'view'): string {
  const why = where === 'engine' ? 'the connection could not keep up' : 'the view could not keep up';
  return `\x1b[30;43m … ${count} lines not shown: ${why} \x1b[0m\r\n`;
}

export function noticeLine(text: string): string {
  return `${DIM}── ${plainText(text)} ──${RESET}\r\n`;
}
