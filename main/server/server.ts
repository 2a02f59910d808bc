/**
 * `serve` mode: the renderer build and the API over a WebSocket on one port, guarded by
 * a random token (as Headlamp and Jupyter do) and, for browsers, a same-origin check.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_CLIENT_MESSAGE_BYTES } from '../common/protocol';
import type { Core } from '../core/core';
import { hostAllowed, isLoopback, newToken, originAllowed, presentedToken, tokenCookie, tokenMatches, type HostPolicy } from './auth';
import { plain, serveStatic } from './static';
import { log } from '../core/log';

export const API_PATH = '/api';

export interface ServeOptions {
  core: Core;
  staticDir: string;
  port?: number;
  host?: string;
  token?: string;
  /**
   * Serve requests whatever name they reach the server by (`--allow-remote`). Default: only
   * when bound to a non-loopback address; otherwise only loopback names and the bound host.
   */
  allowRemote?: boolean;
}

export interface RunningServer {
  url: string;
  /** The URL to open, with the token. */
  openUrl: string;
  token: string;
  port: number;
  host: string;
  server: Server;
  /** Clients connected to the API now. */
  openSessions(): number;
  close(): Promise<void>;
}

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const host = o.host ?? '127.0.0.1';
  const token = o.token ?? newToken();
  const root = resolve(o.staticDir);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
  let cookieName = tokenCookie(o.port ?? 7420); // fixed once the port is known
  const hosts: HostPolicy = { port: o.port ?? 7420, boundHost: host, allowRemote: o.allowRemote ?? !isLoopback(host) };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch {
      if (!res.headersSent) plain(res, 400, 'Bad request.');
      else res.destroy();
    }
  });
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = requestUrl(req);
    if (!url) return plain(res, 400, 'Bad request.');
    if (!hostAllowed(req.headers.host, hosts)) {
      return plain(res, 421, `Fleetdeck answers only as ${hosts.boundHost}, localhost or 127.0.0.1; open the URL "fleetdeck serve" printed.`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'Method not allowed.');
    }
    if (!tokenMatches(presentedToken(req, url, cookieName), token)) {
      return plain(res, 401, 'Fleetdeck: open the URL printed by "fleetdeck serve"; it carries the access token.');
    }
    if (url.searchParams.has('token')) {
      // Trade the URL token for a cookie so assets load and the token leaves the address bar.
      res.setHeader('Set-Cookie', `${cookieName}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    }
    void serveStatic(root, url.pathname, res).catch(() => {
      if (!res.headersSent) plain(res, 500, 'Could not read the renderer files.');
    });
  };

  server.on('upgrade', (req, socket, head) => {
    // Node drops its own error listener on upgrade sockets: a client resetting a refused upgrade must not crash us.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!url || url.pathname !== API_PATH) return refuse(404, 'Not Found');
    if (!hostAllowed(req.headers.host, hosts)) return refuse(421, 'Misdirected Request');
    if (!originAllowed(header(req, 'origin'), req.headers.host, hosts)) return refuse(403, 'Forbidden');
    if (!tokenMatches(presentedToken(req, url, cookieName), token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, o.core));
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(o.port ?? 7420, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  cookieName = tokenCookie(port);
  hosts.port = port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/`;
  return {
    url,
    openUrl: `${url}?token=${encodeURIComponent(token)}`,
    token,
    port,
    host,
    server,
    openSessions: () => wss.clients.size,
    close: () =>
      new Promise<void>((ok) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function attach(ws: WebSocket, core: Core): void {
  const session = core.session((text) => ws.send(text), {
    backlog: () => ws.bufferedAmount,
    drop: (reason) => {
      process.stderr.write(`fleetdeck: ${reason}\n`);
      log('server').warn({ reason }, 'dropped a client');
      // 1008: policy violation. A client that reads nothing never completes the close handshake.
      ws.close(1008, reason.slice(0, 120));
      setTimeout(() => ws.terminate(), 2000).unref();
    },
  });
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    session.receive(data.toString());
  });
  ws.on('close', () => session.close());
  ws.on('error', () => session.close());
}

function requestUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export { isLoopback };
