/**
 * The one client of the API contract, for the window and the CLI alike. Calls return promises;
 * streams call back until unsubscribed and are re-opened by themselves after the pipe reconnects.
 */
import type { MethodName, MethodParams, MethodResults, StreamEvents, StreamName, StreamParams } from './api';
import { ApiError, type ApiErrorBody } from './errors';
import type { ServerMessage } from './protocol';

export type PipeState = 'connecting' | 'open' | 'closed';

/** The text pipe under the client: Electron IPC, a WebSocket, or an in-process session. */
export interface Pipe {
  send(text: string): void;
  onMessage(cb: (text: string) => void): void;
  onState(cb: (s: PipeState) => void): void;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: ApiError): void;
}
interface Sub {
  stream: StreamName;
  params: unknown;
  /** Not reopened after a reconnect (it starts an action): it ends with UNREACHABLE instead. */
  once?: boolean;
  onEvent(data: unknown): void;
  onEnd?(error?: ApiErrorBody): void;
}

export class ApiClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly subs = new Map<number, Sub>();
  private state: PipeState = 'connecting';
  private readonly stateCbs = new Set<(s: PipeState) => void>();
  private readonly pipe: Pipe;
  private greeted = false;

  constructor(pipe: Pipe) {
    this.pipe = pipe;
    pipe.onMessage((t) => this.receive(t));
    pipe.onState((s) => this.setState(s));
  }

  get connection(): PipeState {
    return this.state;
  }

  onConnection(cb: (s: PipeState) => void): () => void {
    this.stateCbs.add(cb);
    return () => this.stateCbs.delete(cb);
  }

  call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResults[M]> {
    if (this.state !== 'open') {
      return Promise.reject(new ApiError('UNREACHABLE', 'Not connected to the Fleetdeck engine.', 'Wait for the connection to come back, then try again.'));
    }
    const id = this.nextId++;
    return new Promise<MethodResults[M]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.pipe.send(JSON.stringify({ type: 'call', id, method, params }));
    });
  }

  subscribe<S extends StreamName>(
    stream: S,
    params: StreamParams<S>,
    onEvent: (data: StreamEvents[S]) => void,
    onEnd?: (error?: ApiErrorBody) => void,
    options: { once?: boolean } = {},
  ): () => void {
    const id = this.nextId++;
    this.subs.set(id, { stream, params, onEvent: onEvent as (d: unknown) => void, ...(onEnd ? { onEnd } : {}), ...(options.once ? { once: true } : {}) });
    if (this.state === 'open') this.pipe.send(JSON.stringify({ type: 'subscribe', id, stream, params }));
    return () => {
      if (this.subs.delete(id) && this.state === 'open') this.pipe.send(JSON.stringify({ type: 'unsubscribe', id }));
    };
  }

  private setState(s: PipeState): void {
    this.state = s;
    if (s === 'closed') {
      const lost = new ApiError(
        'UNREACHABLE',
        'The connection to the Fleetdeck engine was lost before an answer came.',
        'Check the result once it reconnects, then try again if needed.',
      );
      for (const p of this.pending.values()) p.reject(lost);
      this.pending.clear();
    }
    if (s === 'closed') this.greeted = false;
    if (s === 'open') this.resubscribe();
    this.stateCbs.forEach((cb) => cb(s));
  }

  private resubscribe(): void {
    for (const [id, sub] of this.subs) {
      if (sub.once) {
        // A one-shot stream (an action with progress) is not restarted: it may have done its work.
        this.subs.delete(id);
        sub.onEnd?.({
          code: 'UNREACHABLE',
          message: 'The connection to the engine dropped while this was running.',
          hint: 'Check the result, then try again if needed.',
        });
        continue;
      }
      this.pipe.send(JSON.stringify({ type: 'subscribe', id, stream: sub.stream, params: sub.params }));
    }
  }

  private receive(text: string): void {
    let m: ServerMessage;
    try {
      m = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    switch (m.type) {
      case 'result': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.value);
        else p.reject(ApiError.fromBody(m.error));
        return;
      }
      case 'event':
        this.subs.get(m.id)?.onEvent(m.data);
        return;
      case 'end': {
        const sub = this.subs.get(m.id);
        this.subs.delete(m.id);
        sub?.onEnd?.(m.error);
        return;
      }
      case 'hello':
        // A second hello on an open pipe means the engine started a new session for us (the
        // desktop pipe after a blocked navigation): our streams there are gone, so reopen them.
        if (this.greeted) this.resubscribe();
        this.greeted = true;
        return;
    }
  }
}
