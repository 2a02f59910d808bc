/**
 * One client's conversation over either pipe: parses and validates its messages,
 * dispatches them to the core, and tears its streams down when the client goes away.
 *
 * What one client can hold is bounded: a cap on open streams; while the pipe is backed up,
 * snapshot streams (lists that are sent whole) keep only their newest event and services.watch
 * merges its changes into one held event; and a client that stays behind, or lets too much pile
 * up, is dropped with a reason. Logs and terminals have
 * flow control of their own on top (they read `backlog`).
 */
import { PROTOCOL_VERSION, snapshotStreams, type ServicesEvent, type StreamName } from '../../common/api';
import { ApiError, type ApiErrorBody } from '../../common/errors';
import { parseClientMessage, type ServerMessage } from '../../common/protocol';
import { mergeServicesEvents } from '../../common/services-feed';
import type { ApiImpl } from './contract';

export interface SessionLimits {
  /** Streams one client may have open at once. */
  maxStreams: number;
  /** Bytes queued in the pipe above which the client counts as behind. */
  behindBytes: number;
  /** A client behind for this long is dropped. */
  behindMs: number;
  /** A client with this much queued is dropped at once. */
  maxQueuedBytes: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  maxStreams: 100,
  behindBytes: 1 << 20,
  behindMs: 20_000,
  maxQueuedBytes: 32 << 20,
};

export interface SessionOptions {
  /** Bytes the pipe holds for this client and has not sent yet (a WebSocket's bufferedAmount). */
  backlog?: () => number;
  /** Disconnects the client, telling it why (the pipe closes; the session is closed by the session itself). */
  drop?: (reason: string) => void;
  limits?: Partial<SessionLimits>;
}

const DRAIN_CHECK_MS = 100;

type Merge = (held: unknown, next: unknown) => unknown;
const newest: Merge = (_held, next) => next;
/** How a stream's events fold into one while the client is behind; streams not here are sent as they come. */
function heldMerge(stream: StreamName): Merge | undefined {
  if (snapshotStreams.has(stream)) return newest;
  if (stream === 'services.watch') return (held, next) => mergeServicesEvents(held as ServicesEvent, next as ServicesEvent);
  return undefined;
}

export class ApiSession {
  private readonly subs = new Map<number, () => void>();
  /** Events held back while the client is behind: one per stream, later ones merged into it. */
  private readonly held = new Map<number, unknown>();
  private closed = false;
  private behindSince: number | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private readonly backlog: () => number;
  private readonly limits: SessionLimits;

  constructor(
    private readonly impl: ApiImpl,
    private readonly transmit: (text: string) => void,
    app: { name: string; version: string },
    private readonly options: SessionOptions = {},
  ) {
    this.backlog = options.backlog ?? (() => 0);
    this.limits = { ...DEFAULT_SESSION_LIMITS, ...options.limits };
    this.send({ type: 'hello', protocol: PROTOCOL_VERSION, app: app.name, version: app.version });
  }

  receive(text: string): void {
    if (this.closed) return;
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      this.send({ type: 'result', id: parsed.id ?? 0, ok: false, error: parsed.error });
      return;
    }
    const m = parsed.message;
    switch (m.type) {
      case 'call':
        void this.call(m.id, () => (this.impl.methods[m.method] as (p: unknown) => unknown)(m.params));
        return;
      case 'subscribe':
        this.subscribe(m.id, m.stream, m.params);
        return;
      case 'unsubscribe':
        this.subs.get(m.id)?.();
        this.subs.delete(m.id);
        return;
    }
  }

  /** The client is gone: stop every stream it had open. */
  close(): void {
    this.closed = true;
    clearInterval(this.drainTimer);
    this.held.clear();
    for (const stop of this.subs.values()) safely(stop);
    this.subs.clear();
  }

  get openStreams(): number {
    return this.subs.size;
  }

  private async call(id: number, run: () => unknown): Promise<void> {
    try {
      const value = await run();
      this.send({ type: 'result', id, ok: true, value: value ?? null });
    } catch (e) {
      this.send({ type: 'result', id, ok: false, error: toErrorBody(e) });
    }
  }

  private subscribe(id: number, stream: StreamName, params: unknown): void {
    if (this.subs.has(id)) {
      // Not an `end`: that id names a live stream, and the client would take it for over.
      this.send({
        type: 'result',
        id,
        ok: false,
        error: {
          code: 'CONFLICT',
          message: `Stream id ${id} is already in use; the stream open under it goes on.`,
          hint: 'This is a bug in the client; reload the window.',
        },
      });
      return;
    }
    if (this.subs.size >= this.limits.maxStreams) {
      const error = new ApiError(
        'LIMIT',
        `This window has ${this.subs.size} streams open, the most one client may hold.`,
        'Close views you no longer need (logs, metrics, terminals), or reload the window.',
      );
      this.send({ type: 'end', id, error: error.toBody() });
      return;
    }
    let ended = false;
    const merge = heldMerge(stream);
    const sink = {
      next: (data: unknown) => {
        if (ended) return;
        if (merge && (this.held.has(id) || this.isBehind())) {
          this.held.set(id, this.held.has(id) ? merge(this.held.get(id), data) : data);
          this.watchDrain();
          return;
        }
        this.send({ type: 'event', id, data });
      },
      backlog: () => this.backlog(),
      end: (error?: ApiError) => {
        if (ended) return;
        ended = true;
        this.subs.delete(id);
        this.flushHeld(id);
        this.send(error ? { type: 'end', id, error: error.toBody() } : { type: 'end', id });
      },
    };
    try {
      const start = this.impl.streams[stream] as (p: unknown, s: typeof sink) => () => void;
      const stop = start(params, sink);
      if (ended) safely(stop);
      else
        this.subs.set(id, () => {
          ended = true;
          this.held.delete(id);
          safely(stop);
        });
    } catch (e) {
      sink.end(e instanceof ApiError ? e : new ApiError('INTERNAL', toErrorBody(e).message));
    }
  }

  private send(m: ServerMessage): void {
    if (this.closed) return;
    try {
      this.transmit(JSON.stringify(m));
    } catch {
      // The pipe is gone; its close handler ends this session.
      return;
    }
    const queued = this.backlog();
    if (queued > this.limits.maxQueuedBytes) {
      this.drop(`the client let ${Math.round(queued / (1 << 20))} MiB of messages pile up unread`);
    } else if (queued > this.limits.behindBytes) {
      this.watchDrain();
    }
  }

  private isBehind(): boolean {
    return this.backlog() > this.limits.behindBytes;
  }

  /** While the client is behind: send held snapshots once it catches up, drop it if it never does. */
  private watchDrain(): void {
    this.behindSince ??= Date.now();
    this.drainTimer ??= setInterval(() => {
      if (this.closed) return;
      if (this.isBehind()) {
        if (Date.now() - this.behindSince! > this.limits.behindMs) {
          this.drop(`the client read nothing for ${Math.round(this.limits.behindMs / 1000)} s while messages waited`);
        }
        return;
      }
      this.behindSince = undefined;
      clearInterval(this.drainTimer);
      this.drainTimer = undefined;
      for (const id of [...this.held.keys()]) this.flushHeld(id);
    }, DRAIN_CHECK_MS);
    this.drainTimer.unref?.();
  }

  private flushHeld(id: number): void {
    if (!this.held.has(id)) return;
    const data = this.held.get(id);
    this.held.delete(id);
    this.send({ type: 'event', id, data });
  }

  private drop(reason: string): void {
    if (this.closed) return;
    this.close();
    this.options.drop?.(`Fleetdeck disconnected this client: ${reason}.`);
  }
}

export function toErrorBody(e: unknown): ApiErrorBody {
  if (e instanceof ApiError) return e.toBody();
  const msg = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message: `Unexpected error: ${msg.split('\n')[0]}`, hint: 'Try again; if it persists, report it with the log.' };
}

function safely(f: () => void): void {
  try {
    f();
  } catch {
    /* stopping a stream must never break the session */
  }
}
