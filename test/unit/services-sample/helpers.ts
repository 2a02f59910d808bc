import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { Writable } from 'node:stream';

/** A stream that keeps the JSON log lines a service writes. */
export function logSink(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return {
    stream,
    lines: () =>
      text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** Sends a request line exactly as given (no client-side path normalisation) and returns status and body. */
export function rawRequest(port: number, requestLine: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('connect', () => socket.write(`${requestLine}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    socket.on('data', (c: Buffer) => (data += c.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (!m) return reject(new Error(`no HTTP answer: ${JSON.stringify(data.slice(0, 100))}`));
      resolve({ status: Number(m[1]), body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
  });
}

export type SampleName = 'user-service' | 'order-service';

/** A sample service running as a host process (node --import tsx …/main.ts) on a free loopback port. */
export interface ServiceProcess {
  port: number;
  /** Everything it wrote on stdout so far (its JSON log lines). */
  output: () => string;
  /** Sends SIGTERM and returns when it was sent (performance.now()). */
  terminate: () => number;
  /** Resolves when the process exits: its exit code and when (performance.now()). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** SIGKILL if it still runs (for finally blocks). */
  kill: () => void;
}

export async function startServiceProcess(name: SampleName, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', `services-sample/${name}/src/main.ts`], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  let port = 0;
  for (let i = 0; i < 150 && !port && child.exitCode === null; i++) {
    port = Number(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1] ?? 0);
    if (!port) await new Promise((r) => setTimeout(r, 100));
  }
  if (!port) {
    kill();
    throw new Error(`${name} did not start within 15 s; its output: ${out.slice(0, 500)}`);
  }
  return {
    port,
    output: () => out,
    terminate: () => {
      child.kill('SIGTERM');
      return performance.now();
    },
    exited,
    kill,
  };
}

/** What a client that sent only part of a request got back before the server closed the connection. */
export interface HalfSentOutcome {
  /** The status line's code, or 0 if no answer came. */
  status: number;
  raw: string;
  /** When the server closed the connection (performance.now()). */
  closedAt: number;
}

/**
 * Opens a connection and sends part of a request: `headers` stops before the blank line that ends them,
 * `body` sends the headers with Content-Length: 100 and only 10 bytes of body. Resolves once the bytes
 * are written; `outcome` resolves when the server closes the connection (or after `giveUpMs`).
 */
export async function sendHalfRequest(
  port: number,
  kind: 'headers' | 'body',
  giveUpMs = 15_000,
  host = '127.0.0.1',
): Promise<{ outcome: Promise<HalfSentOutcome>; destroy: () => void }> {
  const socket = connect(port, host);
  let raw = '';
  socket.on('data', (c: Buffer) => (raw += c.toString('utf8')));
  socket.on('error', () => {}); // a reset after the answer is the server closing; the outcome says what came
  const outcome = new Promise<HalfSentOutcome>((resolve) => {
    const timer = setTimeout(() => socket.destroy(), giveUpMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0), raw, closedAt: performance.now() });
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      const head = `${kind === 'headers' ? 'GET /user/7' : 'POST /user/7'} HTTP/1.1\r\nHost: ${host}:${port}\r\n`;
      socket.write(kind === 'headers' ? `${head}X-Partial: yes\r\n` : `${head}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"partial"`, () =>
        resolve(),
      );
    });
  });
  return { outcome, destroy: () => socket.destroy() };
}

export interface LoadOptions {
  host?: string;
  port: number;
  path: string;
  /** Concurrent clients, each sending its next request when the previous one is answered. */
  clients: number;
  /** Bounds: the load stops after this many requests or this long, whichever comes first. */
  maxRequests: number;
  maxMs: number;
  /**
   * Called once, when this many requests have been answered or this long after the start, whichever comes
   * first (to send SIGTERM mid-load); returns when it acted (performance.now()).
   */
  trigger?: { afterAnswers: number; afterMs: number; action: () => number };
  /**
   * Through a port-forwarding proxy (Docker's userland proxy) a connection opened after the server closed its
   * listener is accepted by the proxy and then closed without an answer: count those as refused too.
   */
  proxied?: boolean;
}

export interface LoadReport {
  sent: number;
  answered: number;
  /** Answers carrying `Connection: close`. */
  answeredClose: number;
  /** Connections that delivered answers, and how many of those said `Connection: close` in their last one. */
  connections: number;
  connectionsToldToClose: number;
  /** New connections refused because the listener was closed (fine: the client goes elsewhere). */
  refused: number;
  /** Requests sent on an open connection that got a reset or hang-up instead of an answer (the bug). */
  unanswered: { code: string; message: string; reusedSocket: boolean; sentAfterTriggerMs: number | null }[];
  /** Requests the client sent on a socket after that socket had delivered `Connection: close`. */
  reusedAfterClose: number;
  statuses: Record<string, number>;
  triggeredAt: number | null;
  durationMs: number;
}

/**
 * Keep-alive load with Node's own http.Agent (keepAlive, one socket per client), bounded in count and time.
 * Each client stops at the first request that fails (after SIGTERM that is the refused reconnection).
 */
export async function keepAliveLoad(options: LoadOptions): Promise<LoadReport> {
  const host = options.host ?? '127.0.0.1';
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const closedSockets = new WeakSet<object>();
  /** Every socket that delivered an answer: did its last answer say Connection: close? */
  const lastAnswerClose = new Map<object, boolean>();
  const t0 = performance.now();
  const deadline = t0 + options.maxMs;
  const report: LoadReport = {
    sent: 0,
    answered: 0,
    answeredClose: 0,
    connections: 0,
    connectionsToldToClose: 0,
    refused: 0,
    unanswered: [],
    reusedAfterClose: 0,
    statuses: {},
    triggeredAt: null,
    durationMs: 0,
  };
  const fire = () => {
    if (options.trigger && report.triggeredAt === null) report.triggeredAt = options.trigger.action();
  };
  const triggerTimer = options.trigger ? setTimeout(fire, options.trigger.afterMs) : undefined;
  const one = () =>
    new Promise<'answered' | 'failed'>((resolve) => {
      report.sent++;
      const sentAt = performance.now();
      let connectedAt: number | null = null;
      const req = request({ host, port: options.port, path: options.path, agent }, (res) => {
        const close = (res.headers.connection ?? '').toLowerCase() === 'close';
        res.resume();
        res.on('end', () => {
          report.answered++;
          report.statuses[String(res.statusCode)] = (report.statuses[String(res.statusCode)] ?? 0) + 1;
          if (close) {
            report.answeredClose++;
            closedSockets.add(socket);
          }
          lastAnswerClose.set(socket, close);
          if (options.trigger && report.answered >= options.trigger.afterAnswers) fire();
          resolve('answered');
        });
      });
      let socket: object = req;
      req.on('socket', (s) => {
        socket = s;
        if (closedSockets.has(s)) report.reusedAfterClose++;
        if (!req.reusedSocket) s.once('connect', () => (connectedAt = performance.now()));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ?? 'ERROR';
        const openedAfterTrigger = connectedAt !== null && report.triggeredAt !== null && connectedAt >= report.triggeredAt;
        if (code === 'ECONNREFUSED' || (options.proxied && !req.reusedSocket && openedAfterTrigger)) {
          report.refused++;
        } else {
          report.unanswered.push({
            code,
            message: err.message,
            reusedSocket: req.reusedSocket,
            sentAfterTriggerMs: report.triggeredAt === null ? null : Math.round(sentAt - report.triggeredAt),
          });
        }
        resolve('failed');
      });
      req.end();
    });
  const client = async () => {
    while (report.sent < options.maxRequests && performance.now() < deadline) {
      if ((await one()) === 'failed') return;
    }
  };
  try {
    await Promise.all(Array.from({ length: options.clients }, client));
  } finally {
    clearTimeout(triggerTimer);
    agent.destroy();
  }
  report.durationMs = Math.round(performance.now() - t0);
  report.connections = lastAnswerClose.size;
  report.connectionsToldToClose = [...lastAnswerClose.values()].filter(Boolean).length;
  return report;
}
