/**
 * The terminals of every environment, by id: `terminal.input`, `terminal.resize` and `terminal.flow`
 * name a terminal and nothing else, so one registry serves Docker exec and pods/exec alike. A driver
 * only starts a shell and hands back a session; ids, UTF-8 decoding, flow control and closing are here.
 */
import { randomUUID } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { ApiError } from '../../common/errors';
import type { TerminalEvent } from '../../common/api';

/** bash where there is one (as a login shell, so the image's profile applies), else sh: run by /bin/sh -c. */
export const SHELL_SCRIPT = 'if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi';

export const NO_SHELL_MESSAGE = 'This container has no shell (/bin/sh is missing), so no terminal can be opened in it.';

/** One shell on a TTY, as a driver runs it. */
export interface TerminalSession {
  /** What the ready event names. */
  readonly shell: string;
  write(data: string): void;
  resize(cols: number, rows: number): Promise<void>;
  /**
   * Stop reading the shell's output (true) or read it again (false). Not reading is what holds the
   * shell: the transport's own backpressure (TCP, the WebSocket) stops it from writing.
   */
  hold(held: boolean): void;
  /** Ends the shell; nothing is reported after it. */
  close(): void;
}

/** Where a driver's session reports what the shell does. */
export interface TerminalOutput {
  data(chunk: Buffer): void;
  /** The shell ended (code null: unknown), or could not start; `message` says why when it is not a plain exit. */
  exit(code: number | null, message?: string): void;
}

/** Starts a shell; rejects with an Error whose message is for the user when it cannot. */
export type StartTerminal = (out: TerminalOutput) => Promise<TerminalSession>;

export interface OpenTerminal {
  start: StartTerminal;
  emit: (e: TerminalEvent) => void;
  /** Bytes queued towards the viewer. */
  backlog?: () => number;
}

interface Live {
  session: TerminalSession;
  /** The renderer asked to pause (xterm is behind on parsing). */
  heldByViewer: boolean;
  /** The pipe to the viewer is backed up. */
  heldByPipe: boolean;
}

/** Above this many bytes queued in the pipe, the shell's output waits; it resumes below the low mark. */
const PIPE_HIGH = 1 << 20;
const PIPE_LOW = 256 << 10;

export class Terminals {
  private readonly live = new Map<string, Live>();

  /** Opens a shell; events go to `emit` until the shell exits or the returned function is called. */
  open({ start, emit, backlog = () => 0 }: OpenTerminal): () => void {
    const terminalId = randomUUID();
    const decoder = new StringDecoder('utf8');
    let stopped = false;
    let ended = false;
    let live: Live | undefined;
    // Output can come before the session is handed back; it follows the ready event.
    let early: Buffer[] | undefined = [];

    const forward = (b: Buffer) => {
      const text = decoder.write(b);
      if (text) emit({ kind: 'data', data: text });
      // Memory stays bounded however fast the shell writes (`yes`, a big `cat`): wait for the pipe.
      if (live && !live.heldByPipe && backlog() > PIPE_HIGH) {
        const t = live;
        t.heldByPipe = true;
        this.apply(t);
        const poll = setInterval(() => {
          if (stopped || ended || backlog() < PIPE_LOW) {
            clearInterval(poll);
            t.heldByPipe = false;
            if (!stopped && !ended) this.apply(t);
          }
        }, 50);
      }
    };
    const out: TerminalOutput = {
      data: (b) => {
        if (stopped || ended) return;
        if (early) early.push(b);
        else forward(b);
      },
      exit: (code, message) => {
        if (stopped || ended) return;
        ended = true;
        this.live.delete(terminalId);
        for (const b of early ?? []) forward(b);
        early = undefined;
        const rest = decoder.end();
        if (rest) emit({ kind: 'data', data: rest });
        emit({ kind: 'exit', code, ...(message ? { message } : {}) });
      },
    };

    void start(out).then(
      (session) => {
        if (stopped || ended) return session.close();
        live = { session, heldByViewer: false, heldByPipe: false };
        this.live.set(terminalId, live);
        emit({ kind: 'ready', terminalId, shell: session.shell });
        const pending = early ?? [];
        early = undefined;
        for (const b of pending) forward(b);
      },
      (e: unknown) => out.exit(null, e instanceof ApiError && e.hint ? `${e.message} ${e.hint}` : (e as Error).message),
    );
    return () => {
      stopped = true;
      this.live.delete(terminalId);
      live?.session.close();
    };
  }

  input(terminalId: string, data: string): void {
    this.get(terminalId).session.write(data);
  }

  /** The viewer's own flow control (xterm's write watermark): pause while it catches up. */
  flow(terminalId: string, paused: boolean): void {
    const t = this.get(terminalId);
    t.heldByViewer = paused;
    this.apply(t);
  }

  async resize(terminalId: string, cols: number, rows: number): Promise<void> {
    await this.get(terminalId)
      .session.resize(cols, rows)
      .catch(() => {});
  }

  /** How many shells are open (for tests and the log). */
  get size(): number {
    return this.live.size;
  }

  private apply(t: Live): void {
    t.session.hold(t.heldByViewer || t.heldByPipe);
  }

  private get(id: string): Live {
    const t = this.live.get(id);
    if (!t) throw new ApiError('NOT_FOUND', 'That terminal has closed.', 'Open a new terminal.');
    return t;
  }
}
