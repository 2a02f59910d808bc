/**
 * What both engines' inspect share: which environment variables are kept back, and how
 * untrusted text from a container or a cluster is made fit for a page or a terminal.
 */
import { plainText } from '../../common/output-policy';

/** Shown instead of a value that is kept back; the raw views use it too. */
export const MASK = '••••••';

// By name, since values cannot be told apart: `DB_PASSWORD`, `API_TOKEN`, `SENTRY_DSN`, `TLS_CERT`…
const SECRET_NAME = /pass|secret|token|key|credential|auth|private|cert|dsn|cookie|session/i;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

// Every line break a terminal or a browser honours (as the output policy counts them).
const LINE_BREAKS = /\r\n|[\n\v\f\r\x85\u2028\u2029]/;

/**
 * Text that is several lines on purpose (a health check's output, a YAML document): each line
 * through `plainText`, joined by `\n`, so the breaks stay but nothing else does. Tabs become
 * spaces first, or the policy would show them as `^I`.
 */
export function plainLines(text: string): string {
  return text
    .replace(/\t/g, '    ')
    .split(LINE_BREAKS)
    .map((l) => plainText(l))
    .join('\n');
}

/** One-line display text, absent stays absent. */
export function plain(text: string | undefined | null): string {
  return text == null ? '' : plainText(String(text));
}
