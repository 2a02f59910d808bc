/**
 * One client's conversation over either pipe: parses and validates its messages,
 * dispatches them to the core, and tears its streams down when the client goes away.
 */
import { PROTOCOL_VERSION } from '../../common/api';
import { ApiError, type ApiErrorBody } from '../../common/errors';
import { parseClientMessage, type ServerMessage } from '../../common/protocol';
import type { ApiImpl } from './contract';

export class ApiSession {
  private readonly subs = new Map<number, () => void>();
  private closed = false;

  constructor(
    private readonly impl: ApiImpl,
    private readonly transmit: (text: string) => void,
    app: { name: string; version: string },
    /** Bytes the pipe holds for this client and has not sent yet (a WebSocket's bufferedAmount). */
    private readonly backlog: () => number = () => 0,
  ) {
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

  private subscribe(id: number, stream: keyof ApiImpl['streams'], params: unknown): void {
    if (this.subs.has(id)) {
      this.send({ type: 'end', id, error: { code: 'CONFLICT', message: `Stream id ${id} is already in use.` } });
      return;
    }
    let ended = false;
    const sink = {
      next: (data: unknown) => {
        if (!ended) this.send({ type: 'event', id, data });
      },
      backlog: () => this.backlog(),
      end: (error?: ApiError) => {
        if (ended) return;
        ended = true;
        this.subs.delete(id);
        this.send(error ? { type: 'end', id, error: error.toBody() } : { type: 'end', id });
      },
    };
    try {
      const start = this.impl.streams[stream] as (p: unknown, s: typeof sink) => () => void;
      const stop = start(params, sink);
      if (ended) safely(stop);
      else this.subs.set(id, () => { ended = true; safely(stop); });
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
    }
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
