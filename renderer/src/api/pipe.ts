/**
 * The byte pipe under the API client: Electron IPC through the preload's bridge, or a
 * WebSocket to `serve`. Both carry the same JSON text; only this file knows which is used.
 */
import type { Pipe, PipeState } from '../../../main/common/api-client';

export type { Pipe, PipeState };

interface BridgePipe {
  send(text: string): void;
  onMessage(cb: (text: string) => void): () => void;
}

declare global {
  interface Window {
    fleetdeckPipe?: BridgePipe;
  }
}

export function createPipe(): Pipe {
  return window.fleetdeckPipe ? ipcPipe(window.fleetdeckPipe) : webSocketPipe(apiUrl());
}

function ipcPipe(bridge: BridgePipe): Pipe {
  return {
    send: (t) => bridge.send(t),
    onMessage: (cb) => void bridge.onMessage(cb),
    onState: (cb) => queueMicrotask(() => cb('open')),
  };
}

function apiUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/api`;
}

const BACKOFF_MS = [250, 500, 1000, 2000, 3000, 5000];

/** Reconnects by itself; the server authenticates it by the cookie the page load set. */
function webSocketPipe(url: string): Pipe {
  let ws: WebSocket | undefined;
  let attempt = 0;
  const messageCbs: ((t: string) => void)[] = [];
  const stateCbs: ((s: PipeState) => void)[] = [];
  const setState = (s: PipeState) => stateCbs.forEach((cb) => cb(s));

  const connect = () => {
    setState('connecting');
    const sock = new WebSocket(url);
    ws = sock;
    sock.onopen = () => {
      attempt = 0;
      setState('open');
    };
    sock.onmessage = (e) => {
      if (typeof e.data === 'string') messageCbs.forEach((cb) => cb(e.data as string));
    };
    sock.onclose = () => {
      if (ws !== sock) return;
      ws = undefined;
      setState('closed');
      const delay = BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)];
      setTimeout(connect, delay);
    };
  };
  queueMicrotask(connect);

  return {
    send: (t) => {
      if (ws?.readyState === WebSocket.OPEN) ws.send(t);
    },
    onMessage: (cb) => void messageCbs.push(cb),
    onState: (cb) => void stateCbs.push(cb),
  };
}
