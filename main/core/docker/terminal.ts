/**
 * Exec terminals into containers: a shell (bash where there is one, else sh) on a TTY,
 * with input, resize, and a clear message when the container has no shell at all.
 */
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { ApiError } from '../../common/errors';
import type { DockerEngine } from './engine';
import { dockerError } from './errors';

import type { TerminalEvent } from '../../common/api';

const SHELL = ['/bin/sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi'];

interface Live {
  socket: Duplex;
  exec: { resize(o: { h: number; w: number }): Promise<unknown> };
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

  /** Opens a shell; events go to `emit` until the shell exits or `stop` is called. */
  open(
    engine: DockerEngine,
    containerId: string,
    size: { cols: number; rows: number },
    emit: (e: TerminalEvent) => void,
    backlog: () => number = () => 0,
  ): () => void {
    const terminalId = randomUUID();
    let stopped = false;
    let socket: Duplex | undefined;
    void (async () => {
      const c = engine.api.getContainer(containerId);
      let exec;
      try {
        exec = await c.exec({
          Cmd: SHELL,
          AttachStdin: true,
          AttachStdout: true,
          AttachStderr: true,
          Tty: true,
          Env: ['TERM=xterm-256color', `COLUMNS=${size.cols}`, `LINES=${size.rows}`],
        });
        socket = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
      } catch (e) {
        const err = dockerError(e, 'open a terminal');
        const noShell = /no such file|executable file not found/i.test(err.message);
        emit({
          kind: 'exit',
          code: null,
          message: noShell
            ? 'This container has no shell (/bin/sh is missing), so no terminal can be opened in it.'
            : `${err.message} ${err.hint ?? ''}`.trim(),
        });
        return;
      }
      if (stopped) return void socket.destroy();
      const live: Live = { socket, exec, heldByViewer: false, heldByPipe: false };
      this.live.set(terminalId, live);
      emit({ kind: 'ready', terminalId, shell: 'sh' });
      void exec.resize({ h: size.rows, w: size.cols }).catch(() => {});
      const decoder = new StringDecoder('utf8');
      let first = '';
      socket.on('data', (b: Buffer) => {
        const text = decoder.write(b);
        if (first.length < 400) first += text;
        if (text) emit({ kind: 'data', data: text });
        // Memory stays bounded however fast the shell writes (`yes`, a big `cat`): wait for the pipe.
        if (!live.heldByPipe && backlog() > PIPE_HIGH) {
          live.heldByPipe = true;
          this.apply(live);
          const poll = setInterval(() => {
            if (stopped || backlog() < PIPE_LOW) {
              clearInterval(poll);
              live.heldByPipe = false;
              this.apply(live);
            }
          }, 50);
        }
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        this.live.delete(terminalId);
        if (stopped) return;
        void exec
          .inspect()
          .then(
            (i) => i.ExitCode,
            () => null,
          )
          .then((code) => {
            const noShell = (code === 126 || code === 127) && /no such file|not found/i.test(first);
            emit({
              kind: 'exit',
              code,
              ...(noShell ? { message: 'This container has no shell (/bin/sh is missing), so no terminal can be opened in it.' } : {}),
            });
          });
      });
    })();
    return () => {
      stopped = true;
      this.live.delete(terminalId);
      socket?.end();
      socket?.destroy();
    };
  }

  input(terminalId: string, data: string): void {
    this.get(terminalId).socket.write(data);
  }

  /** The viewer's own flow control (xterm's write watermark): pause while it catches up. */
  flow(terminalId: string, paused: boolean): void {
    const t = this.get(terminalId);
    t.heldByViewer = paused;
    this.apply(t);
  }

  private apply(t: Live): void {
    if (t.heldByViewer || t.heldByPipe) t.socket.pause();
    else t.socket.resume();
  }

  async resize(terminalId: string, cols: number, rows: number): Promise<void> {
    await this.get(terminalId)
      .exec.resize({ h: rows, w: cols })
      .catch(() => {});
  }

  private get(id: string): Live {
    const t = this.live.get(id);
    if (!t) throw new ApiError('NOT_FOUND', 'That terminal has closed.', 'Open a new terminal.');
    return t;
  }
}
