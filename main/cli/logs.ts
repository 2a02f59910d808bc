/** `fleetdeck logs`: stern's view from the command line, over the same pipeline as the window. */
import { droppedLine, formatEntry } from '../common/log-format';
import type { LogEvent } from '../common/model';
import { noColours } from '../common/output-policy';

export interface LogOutputOptions {
  raw: boolean;
  /** Colours where stdout is a terminal; none in a pipe. */
  colour: boolean;
  /** Every instance's lines merged, so each carries its instance. */
  merged: boolean;
}

/**
 * What `fleetdeck logs` writes for one event: whole lines, each through formatEntry (so through
 * the output policy) whether or not stdout is a terminal, with LF endings.
 */
export function logOutput(e: LogEvent, colourFor: (instance: string) => string, o: LogOutputOptions): string {
  const text =
    e.kind === 'lines' ? e.entries.map((x) => formatEntry(x, colourFor, o.merged, o.raw)).join('') : e.kind === 'dropped' ? droppedLine(e.count, 'engine') : '';
  return (o.colour ? text : noColours(text)).replace(/\r\n/g, '\n');
}
