import WebSocket from 'ws';
import type { ServerMessage } from '../../main/common/protocol';

/** A protocol client for tests: connects, collects messages, and waits for the one wanted. */
export async function connectApi(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const messages: ServerMessage[] = [];
  const waiters: { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as ServerMessage;
    messages.push(m);
    for (const w of [...waiters])
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
  });
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok());
    ws.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', fail);
  });
  const next = (pred: (m: ServerMessage) => boolean, timeoutMs = 5000) =>
    new Promise<ServerMessage>((resolve, reject) => {
      const found = messages.find(pred);
      if (found) return resolve(found);
      const t = setTimeout(() => reject(new Error('timed out waiting for a message')), timeoutMs);
      waiters.push({ pred, resolve: (m) => (clearTimeout(t), resolve(m)) });
    });
  let id = 100;
  return {
    ws,
    messages,
    next,
    async call(method: string, params: unknown = {}) {
      const my = id++;
      ws.send(JSON.stringify({ type: 'call', id: my, method, params }));
      return next((m) => m.type === 'result' && m.id === my);
    },
    close: () => ws.close(),
  };
}

/** The HTTP status a WebSocket upgrade is refused with. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', (e) => {
      const m = /Unexpected server response: (\d+)/.exec(e.message);
      if (m) resolve(Number(m[1]));
      else reject(e);
    });
  });
}
