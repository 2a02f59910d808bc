/**
 * Shells in pods through pods/exec (client-node's Exec: the v5/v4.channel.k8s.io WebSocket protocol):
 * the same login shell as Docker's on a TTY, resized over channel 4, its exit read from the status on
 * channel 3. The shared registry (env/terminals.ts) holds it by id and does the flow control.
 */
import { PassThrough, Writable } from 'node:stream';
import type * as K8s from '@kubernetes/client-node';
import { ApiError } from '../../common/errors';
import type { Instance } from '../../common/model';
import { NO_SHELL_MESSAGE, SHELL_SCRIPT, type StartTerminal } from '../env/terminals';
import { clientNode, describeKubeError } from './kubeconfig';

export interface PodShellTarget {
  kc: K8s.KubeConfig;
  /** The context's name, for messages. */
  context: string;
  ns: string;
  pod: string;
  container: string | undefined;
  /** Whether the pod still runs, to say why a shell ended. */
  running: () => boolean;
}

/** The CONFLICT a pod that does not run gets, in the words kubectl uses for its phase. */
export function notRunning(pod: Instance): ApiError {
  const phase = { starting: 'Pending', stopping: 'Terminating', exited: 'Completed', created: 'Unknown' }[pod.state as string] ?? pod.state;
  const comes = pod.state === 'starting' || pod.state === 'created';
  return new ApiError(
    'CONFLICT',
    `${pod.name} is ${phase}, so no terminal can be opened in it.`,
    comes ? 'Wait until it is Running, or pick a running pod.' : 'Pick a running pod.',
  );
}

/**
 * client-node sends a resize only when stdout looks like a TTY (rows, columns and a 'resize'
 * event), so the viewer's size lives here and every output chunk goes straight on.
 */
class TtySink extends Writable {
  columns: number;
  rows: number;
  constructor(
    size: { cols: number; rows: number },
    private readonly onChunk: (b: Buffer) => void,
  ) {
    super();
    this.columns = size.cols;
    this.rows = size.rows;
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.onChunk(chunk);
    done();
  }
  setSize(cols: number, rows: number): void {
    this.columns = cols;
    this.rows = rows;
    this.emit('resize');
  }
}

export function podShell(t: PodShellTarget, size: { cols: number; rows: number }): StartTerminal {
  return async (out) => {
    const k8s = await clientNode();
    const stdin = new PassThrough();
    const sink = new TtySink(size, (b) => out.data(b));
    // client-node ends stdout at the status frame; a late write or key must not crash the process.
    sink.on('error', () => {});
    stdin.on('error', () => {});
    let status: K8s.V1Status | undefined;
    let ws: Awaited<ReturnType<K8s.Exec['exec']>>;
    try {
      // No stderr with a TTY: the terminal merges it into stdout, and kubectl asks the same way.
      ws = await new k8s.Exec(t.kc).exec(
        t.ns,
        t.pod,
        t.container ?? '',
        ['/bin/sh', '-c', `export TERM=xterm-256color; ${SHELL_SCRIPT}`],
        sink,
        null,
        stdin,
        true,
        (s) => (status = s),
      );
    } catch (e) {
      throw new Error(execFailure(e, t), { cause: e });
    }
    let closed = false;
    ws.on('error', () => {});
    ws.on('close', () => {
      if (closed) return;
      const end = exitOf(status, t);
      out.exit(end.code, end.message);
    });
    return {
      shell: 'sh',
      write: (data) => void stdin.write(data),
      resize: async (cols, rows) => sink.setSize(cols, rows),
      // Not reading the socket is what holds the shell: TCP then stops the API server, which stops the kubelet.
      hold: (held) => (held ? ws.pause() : ws.resume()),
      close: () => {
        closed = true;
        stdin.end();
        ws.close(1000);
      },
    };
  };
}

/** The exit code from the status on channel 3, and what to tell the user when it is not a plain exit. */
function exitOf(status: K8s.V1Status | undefined, t: PodShellTarget): { code: number | null; message?: string } {
  const gone = !t.running();
  const why = gone ? `${t.pod} is no longer running (deleted, restarted or evicted), so its shell ended. Open a terminal in a running pod.` : undefined;
  if (!status)
    return { code: null, message: why ?? `The connection to ${t.context} closed, so this terminal ended. Open a new terminal when the cluster answers.` };
  if (status.status === 'Success') return why ? { code: 0, message: why } : { code: 0 };
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (status.reason === 'NonZeroExitCode' && cause?.message && /^\d+$/.test(cause.message)) {
    const code = Number(cause.message);
    return why ? { code, message: why } : { code };
  }
  if (/executable file not found|no such file/i.test(status.message ?? '')) return { code: null, message: NO_SHELL_MESSAGE };
  return {
    code: null,
    message: `The shell in ${t.pod} failed: ${firstLine(status.message ?? status.reason ?? 'unknown error')}. Open a new terminal to try again.`,
  };
}

/** Why the exec did not open: ws reports an HTTP answer as "Unexpected server response: N" and loses the body. */
function execFailure(e: unknown, t: PodShellTarget): string {
  const text = String((e as { message?: unknown })?.message ?? e);
  const http = /Unexpected server response: (\d+)/.exec(text)?.[1];
  if (http === '401')
    return `${t.context} did not accept your kubeconfig credentials for pods/exec (HTTP 401). Log in again as you would for kubectl, then open a new terminal.`;
  if (http === '403')
    return `Your kubeconfig user may not open shells in namespace ${t.ns} (pods/exec is forbidden, HTTP 403). Ask for the pods/exec permission there.`;
  if (http === '404') return `${t.pod} no longer exists in ${t.ns}. Pick a pod from the list.`;
  if (http) return `${t.context} refused to open a shell in ${t.pod} (HTTP ${http}); the pod may be starting or stopping. Try again in a moment.`;
  const cause = (e as { error?: unknown })?.error ?? e;
  return `Could not reach ${t.context} to open a shell in ${t.pod} (${describeKubeError(cause)}). Check that the cluster is reachable, then open a new terminal.`;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/\.$/, '').slice(0, 300);
}
