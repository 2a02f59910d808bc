/**
 * The exact verdict of a query on a line, and where its terms hit. It runs on every candidate line
 * of a search, so a query is compiled once (kept per AST object) and a line is folded, tested
 * slowly or parsed as JSON only when a term needs it.
 */
import type { LogQueryAst, LogTerm } from './log-query-ast';
import type { LogLevel } from './model';
import { valueTokens } from './log-query-fts';
import { NON_ASCII, phrasePattern, wordPattern, type TextPattern } from './log-query-patterns';
import { foldText } from './log-query-unicode61';

export interface LogLineForMatch {
  text: string;
  level?: LogLevel;
  /** Service id (`<env>/<project>/<name>`). */
  service: string;
  /** Instance name. */
  instance: string;
  stream: 'stdout' | 'stderr';
}

const RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };
const UNPARSED = Symbol('unparsed');

/** The spellings of a request id people and libraries use, compared without case, `-` or `_`. */
const REQUEST_ID = new Set(['requestid', 'reqid', 'xrequestid']);
const squash = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

/** What one call knows of its line, worked out on first need. */
class Seen {
  private isAscii: boolean | undefined;
  private foldedText: string | undefined;
  private parsed: unknown = UNPARSED;
  constructor(readonly line: LogLineForMatch) {}
  ascii(): boolean {
    return (this.isAscii ??= !NON_ASCII.test(this.line.text));
  }
  folded(): string {
    return (this.foldedText ??= foldText(this.line.text).folded);
  }
  json(): unknown {
    if (this.parsed === UNPARSED) {
      this.parsed = undefined;
      const t = this.line.text.trimStart();
      if (t.startsWith('{')) {
        try {
          this.parsed = JSON.parse(t);
        } catch {}
      }
    }
    return this.parsed;
  }
}

type Test = (seen: Seen) => boolean;

const testText =
  (p: TextPattern): Test =>
  (s) =>
    p.raw ? p.raw.test(s.line.text) : !s.ascii() && p.folded.test(s.folded());

/** A JSON value as text, compared folded: numbers and booleans by their JSON text. */
function valueText(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function fieldOf(json: unknown, path: string[]): unknown {
  let at: unknown = json;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    const o = at as Record<string, unknown>;
    if (Object.hasOwn(o, key)) at = o[key];
    else {
      // Failing the exact name, the same name in another case (`Status`, `statusCode` stays apart).
      const lower = key.toLowerCase();
      const k = Object.keys(o).find((x) => x.toLowerCase() === lower);
      if (k === undefined) return undefined;
      at = o[k];
    }
  }
  return at;
}

function jsonFieldTest(field: string, value: string): Test {
  // Parsing JSON is most of the cost of a field term: first the words the line must hold as written.
  const words = valueTokens(value).map((t) => testText(wordPattern(t)));
  const parsed = jsonValueTest(field, value);
  return words.length === 0 ? parsed : (s) => words.every((w) => w(s)) && parsed(s);
}

function jsonValueTest(field: string, value: string): Test {
  const want = foldText(value).folded;
  const same = (v: unknown) => {
    const t = valueText(v);
    return t !== undefined && (t === value || foldText(t).folded === want);
  };
  if (REQUEST_ID.has(squash(field))) {
    return (s) => {
      const j = s.json();
      if (j === null || typeof j !== 'object' || Array.isArray(j)) return false;
      for (const [k, v] of Object.entries(j)) if (REQUEST_ID.has(squash(k)) && same(v)) return true;
      return false;
    };
  }
  const path = field.split('.');
  return (s) => {
    const j = s.json();
    if (j === undefined) return false;
    const o = j as Record<string, unknown>;
    // A key with dots in its name (`http.method` written flat) counts as the nested path does.
    if (path.length > 1 && o !== null && typeof o === 'object' && Object.hasOwn(o, field)) return same(o[field]);
    return same(fieldOf(j, path));
  };
}

/** `service:` and `instance:`: the whole value, any case, or a prefix when it ends in `*`. */
function nameTest(value: string, names: (line: LogLineForMatch) => string[]): Test {
  const v = value.toLowerCase();
  const prefix = v.endsWith('*') ? v.slice(0, -1) : undefined;
  return (s) => names(s.line).some((n) => (prefix === undefined ? n.toLowerCase() === v : n.toLowerCase().startsWith(prefix)));
}

const serviceNames = (l: LogLineForMatch) => [l.service, l.service.slice(l.service.lastIndexOf('/') + 1)];

function termTest(term: LogTerm): Test {
  switch (term.kind) {
    case 'word':
      return testText(wordPattern(term.value));
    case 'phrase':
      return testText(phrasePattern(term.value));
    case 'regex': {
      const re = new RegExp(term.source, term.flags.replace(/[gy]/g, ''));
      return (s) => re.test(s.line.text);
    }
    case 'level': {
      const min = RANK[term.min];
      return (s) => s.line.level !== undefined && RANK[s.line.level] >= min;
    }
    case 'field':
      if (term.field === 'service') return nameTest(term.value, serviceNames);
      if (term.field === 'instance') return nameTest(term.value, (l) => [l.instance]);
      if (term.field === 'stream') {
        const v = term.value.toLowerCase();
        return (s) => s.line.stream === v;
      }
      return jsonFieldTest(term.field, term.value);
  }
}

// Cheap terms first: the verdict is an AND, so order changes only the cost.
const COST: Record<LogTerm['kind'], number> = { level: 0, field: 2, word: 1, phrase: 1, regex: 3 };
const cost = (t: LogTerm) => (t.kind === 'field' && ['service', 'instance', 'stream'].includes(t.field) ? 0 : COST[t.kind]);

const compiled = new WeakMap<LogQueryAst, Test>();

function compile(ast: LogQueryAst): Test {
  const tests = [...ast.terms]
    .sort((a, b) => cost(a) - cost(b))
    .map((t) => {
      const test = termTest(t);
      return t.negate ? (s: Seen) => !test(s) : test;
    });
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  return (s) => {
    for (const t of tests) if (!t(s)) return false;
    return true;
  };
}

/** Whether the line matches the query: every term holds (negated ones do not). */
export function matchesLine(ast: LogQueryAst, line: LogLineForMatch): boolean {
  let test = compiled.get(ast);
  if (!test) compiled.set(ast, (test = compile(ast)));
  return test(new Seen(line));
}

/** Where the positive word, phrase, regex and JSON field terms occur in the text: sorted, overlaps merged. */
export function highlightRanges(ast: LogQueryAst, text: string): Array<[start: number, end: number]> {
  const found: Array<[number, number]> = [];
  const ascii = !NON_ASCII.test(text);
  let fold: { folded: string; at?: number[] } | undefined;
  const addAll = (re: RegExp, onFolded: boolean) => {
    const g = new RegExp(re.source, re.flags.replace(/[gy]/g, '') + 'g');
    const subject = onFolded ? (fold ??= foldText(text, true)).folded : text;
    for (const m of subject.matchAll(g)) {
      if (m[0] === '') continue;
      const s = m.index;
      const e = s + m[0].length;
      found.push(onFolded ? [fold!.at![s]!, endAt(fold!.at!, e)] : [s, e]);
    }
  };
  const addPattern = (p: TextPattern) => {
    if (p.raw) addAll(p.raw, false);
    else if (!ascii) addAll(p.folded, true);
  };
  for (const term of ast.terms) {
    if (term.negate) continue;
    if (term.kind === 'word') addPattern(wordPattern(term.value));
    else if (term.kind === 'phrase') addPattern(phrasePattern(term.value));
    else if (term.kind === 'regex') addAll(new RegExp(term.source, term.flags), false);
    else if (term.kind === 'field' && !['service', 'instance', 'stream'].includes(term.field) && term.value !== '') addPattern(wordPattern(term.value));
  }
  found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const r of found) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** The end in the original text of a folded match ending at e: past the last folded unit's source code point. */
function endAt(at: number[], e: number): number {
  const src = at[e - 1]!;
  let k = e;
  while (k < at.length - 1 && at[k] === src) k++;
  return at[k]!;
}
