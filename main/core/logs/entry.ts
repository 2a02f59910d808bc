/** One log line as the panel shows it: when, from which instance and stream, how severe, what. */
import type { LogEntry, LogLevel } from '../../common/model';
import { plainText, stripEscapes, terminalText } from '../../common/output-policy';

// Docker's `timestamps: true` prefix: RFC 3339 with nanoseconds, then one space.
const DOCKER_TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;
const PINO_LEVELS: Record<number, LogLevel> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const WORD_LEVEL = /^\W{0,3}(trace|debug|info|notice|warn(?:ing)?|error|err|fatal|crit(?:ical)?|panic)\b/i;

export function levelOf(value: unknown): LogLevel | undefined {
  if (typeof value === 'number') return PINO_LEVELS[value];
  if (typeof value !== 'string') return undefined;
  const v = value.toLowerCase();
  if (v.startsWith('warn')) return 'warn';
  if (v === 'err' || v === 'error') return 'error';
  if (v === 'fatal' || v === 'panic' || v.startsWith('crit')) return 'fatal';
  if (v === 'info' || v === 'notice') return 'info';
  if (v === 'debug' || v === 'trace') return v;
  return undefined;
}

// A JSON line whose first key is its level (pino, zap, bunyan write it so): read without parsing the line.
const LEADING_LEVEL = /^\{\s*"(?:level|lvl|severity|levelname)"\s*:\s*(?:(\d+)\s*[,}]|"([a-zA-Z]+)")/;

/** Lines of one second share their prefix: Date.parse runs once a second of lines, not once a line. */
let lastSecond = '';
let lastSecondMs = NaN;

/** ms of a Docker timestamp (`2026-12-02T15:40:01.123456789Z`): the second parsed once, the fraction read. */
function dockerTime(ts: string): number {
  const dot = ts.charCodeAt(19) === 46 ? 19 : -1;
  let end = 19;
  let ms = 0;
  if (dot > 0) {
    end = 20;
    while (end < ts.length && ts.charCodeAt(end) >= 48 && ts.charCodeAt(end) <= 57) end++;
    ms = Number(ts.slice(20, Math.min(end, 23)).padEnd(3, '0'));
  }
  const second = ts.slice(0, 19) + ts.slice(end);
  if (second !== lastSecond) {
    lastSecondMs = Date.parse(second);
    lastSecond = second;
  }
  return lastSecondMs + ms;
}

/** The instance's name made safe, once per name rather than once per line. */
let lastName = '';
let lastSafe = '';
function safeName(name: string): string {
  if (name !== lastName) {
    lastSafe = plainText(name);
    lastName = name;
  }
  return lastSafe;
}

/** Parses a raw line (with Docker's timestamp prefix when present) into an entry. */
export function toEntry(raw: string, instance: string, stream: 'stdout' | 'stderr', now = Date.now()): LogEntry {
  let t = now;
  let line = raw;
  const m = DOCKER_TS.exec(raw);
  if (m) {
    const parsed = dockerTime(m[1]!);
    if (Number.isFinite(parsed)) t = parsed;
    line = raw.slice(m[0].length);
  }
  // The text as it arrived, made safe; JSON fields decoded from it are made safe again when formatted.
  const text = terminalText(line);
  const plain = stripEscapes(line).trimStart();
  let level: LogLevel | undefined;
  const lead = plain.startsWith('{') ? LEADING_LEVEL.exec(plain) : null;
  if (lead) level = levelOf(lead[1] !== undefined ? Number(lead[1]) : lead[2]);
  else if (plain.startsWith('{')) {
    try {
      const j = JSON.parse(plain) as Record<string, unknown>;
      level = levelOf(j.level ?? j.lvl ?? j.severity ?? j.levelname);
    } catch {
      /* not JSON after all */
    }
  }
  level ??= levelOf(WORD_LEVEL.exec(plain)?.[1]);
  return { t, instance: safeName(instance), stream, text, ...(level ? { level } : {}) };
}
