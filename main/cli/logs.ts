/** `fleetdeck logs`: stern's view from the command line, over the same pipeline as the window. */
import { ApiError } from '../common/errors';
import { droppedLine, formatEntry, instanceColours } from '../common/log-format';
import type { LogEvent } from '../common/model';
import { noColours } from '../common/output-policy';
import type { Core } from '../core/core';
import { followLogs } from '../core/logs/follow-logs';

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
  const text = e.kind === 'lines' ? e.entries.map((x) => formatEntry(x, colourFor, o.merged, o.raw)).join('') : e.kind === 'dropped' ? droppedLine(e.count, 'engine') : '';
  return (o.colour ? text : noColours(text)).replace(/\r\n/g, '\n');
}

/** Follows until `signal` aborts; `write` gets whole lines. Colour only where `colour` says (a TTY). */
export async function followFromCli(
  core: Core,
  target: string,
  options: { tail: number; raw: boolean; colour: boolean },
  write: (text: string) => void,
  signal: AbortSignal,
): Promise<void> {
  let serviceId: string | undefined;
  let instance: string | undefined;
  try {
    serviceId = core.services.resolve(target).id;
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'NOT_FOUND') throw e;
    try {
      instance = core.services.findInstance(target).instance.id;
    } catch {
      throw new ApiError('NOT_FOUND', `No service or container named "${target}".`, 'Run "fleetdeck ls" to see them.');
    }
  }
  const o = { raw: options.raw, colour: options.colour, merged: Boolean(serviceId) };
  const colourFor = instanceColours();
  const stop = followLogs(core.local, { ...(serviceId ? { serviceId } : {}), ...(instance ? { instance } : {}), tail: options.tail }, {
    next: (e) => {
      const text = logOutput(e, colourFor, o);
      if (text) write(text);
    },
    backlog: () => 0,
  });
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  stop();
}
