/**
 * Regexes for word and phrase terms, matching text as the index reads it (log-query-unicode61.ts).
 * A term whose folded form is ASCII (nearly all) gets one regex on the line as written: each letter
 * is a class of the letters that fold to it (`e` is `[eEéÉèȩ…]`) and dropped diacritics may follow
 * any character, so no pass over the line (folding it, or even checking it is ASCII) is needed.
 * Other terms are tested on the folded line.
 */
import { foldChar, foldText, ftsTokens, isTokenChar, separatorClass } from './log-query-unicode61';

export interface TextPattern {
  /** On the line as written; undefined when the term folds to something not ASCII. */
  raw: RegExp | undefined;
  /** On the folded line (foldText). */
  folded: RegExp;
}

export const NON_ASCII = /[\u0080-\uffff]/;
const escape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const hex = (cp: number) => `\\u{${cp.toString(16)}}`;

interface Classes {
  /** Separators (lone surrogates too: they reach SQLite as U+FFFD), dropped diacritics, and each ASCII letter's class. */
  sep: string;
  dropped: string;
  letter: Map<string, string>;
}
let classes: Classes | undefined;

/** Built on first use: no code point beyond U+2200 folds to ASCII (the unicode61 test checks it). */
function charClasses(): Classes {
  if (classes) return classes;
  const dropped: number[] = [];
  const into = new Map<string, number[]>();
  for (let cp = 0x80; cp < 0x2200; cp++) {
    if (!isTokenChar(cp)) continue;
    const f = foldChar(cp);
    if (f < 0) dropped.push(cp);
    else if (f < 0x80) into.set(String.fromCharCode(f), [...(into.get(String.fromCharCode(f)) ?? []), cp]);
  }
  const letter = new Map<string, string>();
  for (const c of 'abcdefghijklmnopqrstuvwxyz') letter.set(c, `[${c}${c.toUpperCase()}${(into.get(c) ?? []).map(hex).join('')}]`);
  classes = { sep: separatorClass().slice(1, -1) + '\\u{d800}-\\u{dfff}', dropped: dropped.map(hex).join(''), letter };
  return classes;
}

const firstCp = (s: string) => s.codePointAt(0)!;
const lastCp = (s: string) => {
  const c = s.charCodeAt(s.length - 1);
  return c >= 0xdc00 && c <= 0xdfff && s.length > 1 ? s.codePointAt(s.length - 2)! : c;
};

/** A folded ASCII text as a regex on raw text: letters by class, dropped diacritics allowed after each character. */
function rawBody(folded: string, c: Classes): string {
  const d = `[${c.dropped}]*`;
  return [...folded].map((ch) => c.letter.get(ch) ?? escape(ch)).join(d);
}

function rawEdges(body: string, first: boolean, last: boolean, c: Classes): RegExp {
  const token = `[^${c.sep}${c.dropped}]`;
  // Diacritics after the last letter are taken in (a highlight covers them); the lookahead still sees past them.
  const end = last ? `[${c.dropped}]*(?![${c.dropped}]*${token})` : '';
  return new RegExp((first ? `(?<!${token}[${c.dropped}]*)` : '') + body + end, 'u');
}

function foldedEdges(body: string, first: boolean, last: boolean, c: Classes): RegExp {
  const token = `[^${c.sep}]`;
  return new RegExp((first ? `(?<!${token})` : '') + body + (last ? `(?!${token})` : ''), 'u');
}

/**
 * A word matches where the line holds it, folded as the index folds (any case, Latin accents
 * ignored), punctuation as written, and not joined to a letter or digit on either side. For a
 * plain word that is a whole-word match; for `/orders/7` or `user-service` it implies its tokens
 * are adjacent in order, so the FTS candidates (its tokens ANDed) hold every line it matches.
 */
export function wordPattern(value: string): TextPattern {
  const c = charClasses();
  const f = foldText(value).folded;
  const first = f !== '' && isTokenChar(firstCp(f));
  const last = f !== '' && isTokenChar(lastCp(f));
  return {
    raw: NON_ASCII.test(f) ? undefined : rawEdges(rawBody(f, c), first, last, c),
    folded: foldedEdges(escape(f), first, last, c),
  };
}

/** A phrase: its tokens next to each other in order, with any separators between them. */
export function phrasePattern(value: string): TextPattern {
  const tokens = ftsTokens(value);
  if (tokens.length === 0) return wordPattern(value);
  const c = charClasses();
  const between = `[${c.dropped}]*[${c.sep}][${c.sep}${c.dropped}]*`;
  return {
    raw: tokens.some((t) => NON_ASCII.test(t)) ? undefined : rawEdges(tokens.map((t) => rawBody(t, c)).join(between), true, true, c),
    folded: foldedEdges(tokens.map(escape).join(`[${c.sep}]+`), true, true, c),
  };
}
