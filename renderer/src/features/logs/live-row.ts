/**
 * One line of the live list as the page shows it: time, instance (coloured per instance in the
 * merged view), level, then the text (a JSON line as its message and fields, unless Raw JSON).
 * Made only for the rows drawn (and, while Find is in use, for the rows searched), never for
 * every line that arrives. Every piece from the container passes the output policy.
 */
import { prettyJson, timeOf } from '../../../../main/common/log-format';
import type { LogLevel } from '../../../../main/common/model';
import { noColours, terminalText } from '../../../../main/common/output-policy';
import { ansiSpans, sgrClass, visible, type Span } from './ansi-spans';
import type { LiveLine } from './live-buffer';

export interface RowOptions {
  /** The merged view: each line names its instance. */
  merged: boolean;
  raw: boolean;
  /** The SGR colour of an instance (log-format's instanceColours), stable for the life of the view. */
  colourFor(instance: string): string;
}

export const LEVEL_LABEL: Record<LogLevel, string> = { trace: 'TRC', debug: 'DBG', info: 'INF', warn: 'WRN', error: 'ERR', fatal: 'FTL' };

/** The text part with its colours (SGR only), as the terminal views write it. */
function message(line: LiveLine, raw: boolean): string {
  if (line.note) return terminalText(line.text);
  return (!raw && prettyJson(line.text)) || terminalText(line.text);
}

// Each piece carries the space after it: fewer nodes per row.
function head(line: LiveLine, o: RowOptions): Span[] {
  const spans: Span[] = [{ text: `${timeOf(line.t)} `, className: 'll-time' }];
  if (line.note) return spans;
  if (o.merged) spans.push({ text: `${visible(line.instance)} `, className: `ll-instance ${sgrClass(o.colourFor(line.instance))}` });
  if (line.level && LEVEL_LABEL[line.level]) spans.push({ text: `${LEVEL_LABEL[line.level]} `, className: `ll-level level-${line.level}` });
  if (line.stream === 'stderr' && !line.level) spans.push({ text: '▌', className: 'll-stderr' });
  return spans;
}

/** The row's spans, in order. */
export function rowSpans(line: LiveLine, o: RowOptions): Span[] {
  const text = ansiSpans(message(line, o.raw));
  if (line.note) for (const s of text) s.className = s.className ? `${s.className} ll-note` : 'll-note';
  return [...head(line, o), ...text];
}

/** The row's text as read (what Find searches, and what Download writes): exactly the spans' texts joined. */
export function rowText(line: LiveLine, o: RowOptions): string {
  let s = '';
  for (const h of head(line, o)) s += h.text;
  return s + visible(noColours(message(line, o.raw)));
}
