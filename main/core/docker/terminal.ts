/**
 * Exec shells in containers: bash where there is one, else sh, on a TTY, with a clear message
 * when the container has no shell at all. The shared registry (env/terminals.ts) does the rest.
 */
import type { Duplex } from 'node:stream';
import { NO_SHELL_MESSAGE, SHELL_SCRIPT, type StartTerminal } from '../env/terminals';
import type { DockerEngine } from './engine';
import { dockerError } from './errors';

export function dockerShell(engine: DockerEngine, containerId: string, size: { cols: number; rows: number }): StartTerminal {
  return async (out) => {
    const c = engine.api.getContainer(containerId);
    let exec;
    let socket: Duplex;
    try {
      exec = await c.exec({
        Cmd: ['/bin/sh', '-c', SHELL_SCRIPT],
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: true,
        Env: ['TERM=xterm-256color', `COLUMNS=${size.cols}`, `LINES=${size.rows}`],
      });
      socket = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
    } catch (e) {
      const err = dockerError(e, 'open a terminal');
      throw new Error(/no such file|executable file not found/i.test(err.message) ? NO_SHELL_MESSAGE : `${err.message} ${err.hint ?? ''}`.trim(), { cause: e });
    }
    void exec.resize({ h: size.rows, w: size.cols }).catch(() => {});
    // A missing shell shows only in what sh prints before it exits with 126/127.
    let first = '';
    let closed = false;
    socket.on('data', (b: Buffer) => {
      if (first.length < 400) first += b.toString('utf8');
      out.data(b);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (closed) return;
      void exec
        .inspect()
        .then(
          (i) => i.ExitCode,
          () => null,
        )
        .then((code) => {
          const noShell = (code === 126 || code === 127) && /no such file|not found/i.test(first);
          out.exit(code, noShell ? NO_SHELL_MESSAGE : undefined);
        });
    });
    return {
      shell: 'sh',
      write: (data) => void socket.write(data),
      resize: async (cols, rows) => {
        await exec.resize({ h: rows, w: cols }).catch(() => {});
      },
      hold: (held) => void (held ? socket.pause() : socket.resume()),
      close: () => {
        closed = true;
        socket.end();
        socket.destroy();
      },
    };
  };
}
