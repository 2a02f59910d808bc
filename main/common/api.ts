/**
 * The API contract: every query, command and stream the UI (or the CLI) can use.
 * main/core implements it once; both pipes (Electron IPC, WebSocket) carry it unchanged.
 * Params are validated here, in pure code, so the engine never sees a malformed request.
 */
import { z } from 'zod';
import type { AppInfo, Environment } from './model';

export const PROTOCOL_VERSION = 1;

const none = z.object({}).strict();
const environmentId = z
  .string()
  .min(1)
  .max(300)
  .regex(/^(docker|kube):[^\s]+$/, 'an environment id looks like "docker:local" or "kube:<context>"');

/** Request/response calls. */
export const methods = {
  'app.info': none,
  'environments.list': none,
  /** Try to reach an environment now instead of waiting for the next retry. */
  'environments.reconnect': z.object({ id: environmentId }).strict(),
} satisfies Record<string, z.ZodType>;

export interface MethodResults {
  'app.info': AppInfo;
  'environments.list': Environment[];
  'environments.reconnect': Environment;
}

/** Subscriptions: the engine pushes events until the caller unsubscribes. */
export const streams = {
  /** The whole environment list, first at once and then on every change (it is small). */
  'environments.watch': none,
} satisfies Record<string, z.ZodType>;

export interface StreamEvents {
  'environments.watch': Environment[];
}

export type MethodName = keyof typeof methods & keyof MethodResults;
export type StreamName = keyof typeof streams & keyof StreamEvents;
export type MethodParams<M extends MethodName> = z.input<(typeof methods)[M]>;
export type StreamParams<S extends StreamName> = z.input<(typeof streams)[S]>;

export function isMethodName(v: string): v is MethodName {
  return Object.hasOwn(methods, v);
}
export function isStreamName(v: string): v is StreamName {
  return Object.hasOwn(streams, v);
}
