/**
 * Fleetdeck's own log: JSON lines (pino) in `fleetdeck.log` in the state folder, rotated at
 * 5 MiB with 3 old files kept (rotating-file-stream), mode 0600. The level comes from
 * FLEETDECK_LOG (`error`, `warn`, `info` — the default —, `debug`, or `off`). It is for
 * debugging the panel: failures that are handled (a retry, a fallback) are written here instead
 * of vanishing. What engines say is logged as data, never as the message; secrets never are.
 */
import { mkdirSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const LEVELS = new Set(['error', 'warn', 'info', 'debug', 'off']);

let root: Logger = pino({ level: 'silent' });

/** Starts writing the log (once per process; later calls change nothing but the level). */
export function openLog(stateDir: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const wanted = (env.FLEETDECK_LOG ?? 'info').toLowerCase();
  const level = LEVELS.has(wanted) ? wanted : 'info';
  if (level === 'off') return (root = pino({ level: 'silent' }));
  if (root.level !== 'silent') {
    root.level = level;
    return root;
  }
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const stream = createStream('fleetdeck.log', { path: stateDir, size: '5M', rotate: 3, mode: 0o600 });
    stream.on('error', () => {}); // a full disk must not take the panel down with it
    root = pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
  } catch {
    root = pino({ level: 'silent' });
  }
  if (!LEVELS.has(wanted)) root.warn({ FLEETDECK_LOG: wanted }, 'unknown log level; using info');
  return root;
}

/** A logger for one part of the engine (`docker`, `kube`, `session`…). */
export function log(component: string): Logger {
  return root.child({ component });
}

/** For a handled failure: the error's first line and code, without stack dumps of HTTP bodies. */
export function errorFields(e: unknown): { error: string; code?: string | number } {
  const x = e as { message?: string; code?: string | number; statusCode?: number };
  const error = (x?.message ?? String(e)).split('\n')[0]!.slice(0, 300);
  const code = x?.statusCode ?? x?.code;
  return code === undefined ? { error } : { error, code };
}
