/** `fleetdeck logs`: stern's view from the command line, over the same pipeline as the window. */
import { ApiError } from '../common/errors';
import { droppedLine, formatEntry, instanceColours } from '../common/log-format';
import type { Core } from '../core/core';
import { followLogs } from '../core/logs/follow-logs';

const SGR = /\x1b\[[0-9;:]*m/g; // eslint-disable-line no-control-regex

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
  const merged = Boolean(serviceId);
  const colourFor = instanceColours();
  const out = (s: string) => write(options.colour ? s.replace(/\r\n/g, '\n') : s.replace(SGR, '').replace(/\r\n/g, '\n'));
  const stop = followLogs(core.local, { ...(serviceId ? { serviceId } : {}), ...(instance ? { instance } : {}), tail: options.tail }, {
    next: (e) => {
      if (e.kind === 'lines') out(e.entries.map((x) => formatEntry(x, colourFor, merged, options.raw)).join(''));
      else if (e.kind === 'dropped') out(droppedLine(e.count, 'engine'));
    },
    backlog: () => 0,
  });
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  stop();
}
