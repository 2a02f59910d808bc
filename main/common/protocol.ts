/**
 * The message protocol both pipes carry: one JSON object per message (one IPC message,
 * or one WebSocket text frame). Ids are chosen by the client and echo back in replies.
 */
import { z } from 'zod';
import { ApiError, type ApiErrorBody } from './errors';
import { isMethodName, isStreamName, methods, streams, type MethodName, type StreamName } from './api';

export type ClientMessage =
  | { type: 'call'; id: number; method: MethodName; params: unknown }
  | { type: 'subscribe'; id: number; stream: StreamName; params: unknown }
  | { type: 'unsubscribe'; id: number };

export type ServerMessage =
  | { type: 'hello'; protocol: number; app: string; version: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: ApiErrorBody }
  /** A stream's next event. */
  | { type: 'event'; id: number; data: unknown }
  /** A stream ended on the engine's side; with an error when it failed. */
  | { type: 'end'; id: number; error?: ApiErrorBody };

/** Bigger messages are refused before parsing: nothing the UI sends comes close. */
export const MAX_CLIENT_MESSAGE_BYTES = 256 * 1024;

const id = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const envelope = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id, method: z.string().max(100), params: z.unknown().optional() }).strict(),
  z.object({ type: z.literal('subscribe'), id, stream: z.string().max(100), params: z.unknown().optional() }).strict(),
  z.object({ type: z.literal('unsubscribe'), id }).strict(),
]);

/** What a request carried, validated; or the error to answer with (and the id, if one could be read). */
export type Parsed = { ok: true; message: ClientMessage } | { ok: false; id?: number; error: ApiErrorBody };

export function parseClientMessage(text: string): Parsed {
  if (text.length > MAX_CLIENT_MESSAGE_BYTES) {
    return { ok: false, error: bad(`Message of ${text.length} bytes is over the ${MAX_CLIENT_MESSAGE_BYTES}-byte limit.`) };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: bad('Message is not JSON.') };
  }
  const env = envelope.safeParse(raw);
  if (!env.success) {
    const rid = readId(raw);
    return { ok: false, ...(rid === undefined ? {} : { id: rid }), error: bad(`Malformed message: ${summarize(env.error)}.`) };
  }
  const m = env.data;
  if (m.type === 'unsubscribe') return { ok: true, message: m };
  if (m.type === 'call') {
    if (!isMethodName(m.method)) return unknown(m.id, `No method "${m.method}".`);
    const p = methods[m.method].safeParse(m.params ?? {});
    if (!p.success) return invalid(m.id, m.method, p.error);
    return { ok: true, message: { type: 'call', id: m.id, method: m.method, params: p.data } };
  }
  if (!isStreamName(m.stream)) return unknown(m.id, `No stream "${m.stream}".`);
  const p = streams[m.stream].safeParse(m.params ?? {});
  if (!p.success) return invalid(m.id, m.stream, p.error);
  return { ok: true, message: { type: 'subscribe', id: m.id, stream: m.stream, params: p.data } };
}

function bad(message: string): ApiErrorBody {
  return new ApiError('BAD_MESSAGE', message, 'This is a bug in the client; reload the window.').toBody();
}
function unknown(id: number, message: string): Parsed {
  return { ok: false, id, error: { code: 'UNKNOWN_METHOD', message, hint: 'Client and engine versions differ; restart Fleetdeck.' } };
}
function invalid(id: number, name: string, err: z.ZodError): Parsed {
  return { ok: false, id, error: { code: 'INVALID_PARAMS', message: `Invalid parameters for ${name}: ${summarize(err)}.` } };
}
function readId(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return undefined;
  const v = (raw as { id: unknown }).id;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}
/** Zod's issues as one readable clause: `id: expected number; method: required`. */
export function summarize(err: z.ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
