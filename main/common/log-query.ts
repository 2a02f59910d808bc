/**
 * The log search language (docs/log-search.md): text as people type it, parsed into the AST of
 * log-query-ast.ts. Pure code: the renderer parses as the user types, the engine to search.
 */
import type { LogQueryAst, LogQueryProblem, LogTerm } from './log-query-ast';
import type { LogLevel } from './model';

export { matchesLine, highlightRanges, type LogLineForMatch } from './log-query-match';
export { ftsMatch } from './log-query-fts';
export { ftsTokens } from './log-query-unicode61';

/** A query that cannot be parsed: what is wrong, in plain words, and where (0-based offset). */
export class LogQueryError extends Error {
  readonly at: number;
  constructor(message: string, at: number) {
    super(message);
    this.name = 'LogQueryError';
    this.at = at;
  }
}

const LEVEL_WORDS: Record<string, LogLevel> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  fatal: 'fatal',
  crit: 'fatal',
  critical: 'fatal',
  panic: 'fatal',
};

const FIELD = /^[A-Za-z_@$][\w.@$-]*:/;
const SPACE = /\s/;

export function parseLogQuery(text: string): LogQueryAst {
  const terms: LogTerm[] = [];
  let i = 0;
  const n = text.length;
  const endOfBare = (from: number) => {
    let j = from;
    while (j < n && !SPACE.test(text[j]!)) j++;
    return j;
  };
  while (i < n) {
    if (SPACE.test(text[i]!)) {
      i++;
      continue;
    }
    const start = i;
    const negate = text[i] === '-';
    if (negate) i++;
    // A lone `-` (typing a negation not finished yet) is no term.
    if (i >= n || SPACE.test(text[i]!)) continue;
    if (text[i] === '"') {
      const q = quoted(text, i, 'phrase');
      if (q.value === '') throw new LogQueryError(`Empty phrase at character ${i}: put words between the quotes`, i);
      terms.push({ kind: 'phrase', value: q.value, negate });
      i = q.end;
      continue;
    }
    if (text[i] === '/') {
      const r = regexAt(text, i);
      if (r) {
        terms.push({ kind: 'regex', source: r.source, flags: r.flags, negate });
        i = r.end;
        continue;
      }
    }
    const field = FIELD.exec(text.slice(i, endOfBare(i)));
    if (field && !text.startsWith('//', i + field[0].length)) {
      const name = field[0].slice(0, -1);
      const at = i + field[0].length;
      let value: string;
      if (text[at] === '"') {
        const q = quoted(text, at, `value of "${name}:"`);
        value = q.value;
        i = q.end;
      } else {
        i = endOfBare(at);
        value = text.slice(at, i);
        if (value === '') throw new LogQueryError(`Nothing after "${name}:" at character ${start + (negate ? 1 : 0)}`, start + (negate ? 1 : 0));
      }
      terms.push(fieldTerm(name, value, negate, at));
      continue;
    }
    i = endOfBare(i);
    terms.push({ kind: 'word', value: text.slice(start + (negate ? 1 : 0), i), negate });
  }
  return { terms };
}

/** The parse, or what is wrong with the query, for callers that show problems rather than throw. */
export function parseLogQuerySafe(text: string): { ast: LogQueryAst } | { problem: LogQueryProblem } {
  try {
    return { ast: parseLogQuery(text) };
  } catch (e) {
    if (e instanceof LogQueryError) return { problem: { message: e.message, at: e.at } };
    throw e;
  }
}

function fieldTerm(name: string, value: string, negate: boolean, at: number): LogTerm {
  const lower = name.toLowerCase();
  if (lower === 'level') {
    const min = LEVEL_WORDS[value.toLowerCase()];
    if (!min) throw new LogQueryError(`Unknown level "${value}" at character ${at}: use trace, debug, info, warn, error or fatal`, at);
    return { kind: 'level', min, negate };
  }
  if (lower === 'stream') {
    const v = value.toLowerCase();
    if (v !== 'stdout' && v !== 'stderr') throw new LogQueryError(`Unknown stream "${value}" at character ${at}: use stdout or stderr`, at);
    return { kind: 'field', field: 'stream', value: v, negate };
  }
  return { kind: 'field', field: lower === 'service' || lower === 'instance' ? lower : name, value, negate };
}

/** A double-quoted string from the quote at `q`: `\"` and `\\` are escapes, any other backslash is itself. */
function quoted(text: string, q: number, what: string): { value: string; end: number } {
  let value = '';
  for (let j = q + 1; j < text.length; j++) {
    const c = text[j]!;
    if (c === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) {
      value += text[j + 1];
      j++;
    } else if (c === '"') return { value, end: j + 1 };
    else value += c;
  }
  throw new LogQueryError(`Unclosed quote: the ${what} starting at character ${q} has no closing "`, q);
}

/**
 * `/source/flags` from the slash at `s`, ended as a JavaScript literal ends (the first `/` outside
 * a class, not escaped) and followed by flags only, then a space or the end. Anything else
 * (`/orders/7`, `/tmp`) is no regex: regexes are opt-in, so paths stay words.
 */
function regexAt(text: string, s: number): { source: string; flags: string; end: number } | undefined {
  let inClass = false;
  let j = s + 1;
  for (; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) break;
  }
  if (j >= text.length || j === s + 1) return undefined;
  let end = j + 1;
  while (end < text.length && !SPACE.test(text[end]!)) end++;
  const flags = text.slice(j + 1, end);
  if (!/^[imsu]*$/.test(flags)) return undefined;
  const source = text.slice(s + 1, j);
  const twice = [...flags].find((f, k) => flags.indexOf(f) !== k);
  if (twice) throw new LogQueryError(`Invalid regular expression /${source}/${flags} at character ${s}: flag "${twice}" is given twice`, s);
  try {
    new RegExp(source, flags);
  } catch (e) {
    const why = String((e as Error).message).replace(/^.*: /, '');
    throw new LogQueryError(`Invalid regular expression /${source}/${flags} at character ${s}: ${why}`, s);
  }
  return { source, flags, end };
}
