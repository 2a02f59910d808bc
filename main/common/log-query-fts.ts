/**
 * The FTS5 MATCH expression that picks a query's candidate lines: a necessary condition only
 * (matchesLine gives the verdict), so anything uncertain is left out rather than risk dropping a
 * line that matches.
 */
import type { LogQueryAst } from './log-query-ast';
import { tokenSpans } from './log-query-unicode61';

const LINE_ATTRIBUTES = new Set(['service', 'instance', 'stream']);

/**
 * A field's value is compared decoded, but the index holds the line as written: tokens a JSON
 * writer may have spelled otherwise are left out. Any character can be written `\uXXXX` and glue
 * its hex to the next token, and writers do it for non-ASCII (Python's default), `<>&` (Go's), `'`,
 * and control characters (`\n` glues an `n`).
 */
const MAY_BE_ESCAPED = /[^\x20-\x7e]|[<>&']/;

/** The tokens of a field's value that a line holding it as JSON surely holds as written. */
export function valueTokens(value: string): string[] {
  // JSON.parse reads `1.50` as 1.5 and `1e3` as 1000: of the values a writer may have written as a JSON
  // number, only short plain integers are written as compared. Anything else that is not a number (a
  // uuid such as 04c0186c-…, which starts with a digit) was a string, written as typed.
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(value) && !/^-?(0|[1-9]\d{0,14})$/.test(value)) return [];
  return tokenSpans(value)
    .filter((s) => !MAY_BE_ESCAPED.test(value.slice(s.start, s.end)) && (s.start === 0 || !MAY_BE_ESCAPED.test(value[s.start - 1]!)))
    .map((s) => s.token);
}

/**
 * Every line matchesLine accepts also matches this, or undefined when the query narrows nothing.
 * Tokens are ANDed rather than written as phrases: the store's index is `detail=none`, where FTS5
 * refuses phrases ("phrase queries are not supported"); adjacency is matchesLine's to check. Each
 * token is quoted, its quotes doubled, so no query text is read as FTS5 syntax.
 */
export function ftsMatch(ast: LogQueryAst): string | undefined {
  const tokens = requiredTokens(ast);
  if (tokens.length === 0) return undefined;
  return tokens.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');
}

/** The index tokens every line matchesLine accepts holds (folded as unicode61 folds them). */
export function requiredTokens(ast: LogQueryAst): string[] {
  const tokens = new Set<string>();
  for (const term of ast.terms) {
    if (term.negate) continue;
    if (term.kind === 'word' || term.kind === 'phrase') for (const s of tokenSpans(term.value)) tokens.add(s.token);
    else if (term.kind === 'field' && !LINE_ATTRIBUTES.has(term.field)) for (const t of valueTokens(term.value)) tokens.add(t);
  }
  return [...tokens];
}
