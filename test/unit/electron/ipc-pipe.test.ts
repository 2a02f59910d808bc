// The desktop pipe without Electron: a fake ipcMain, fake frames and web contents, a real API session.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { ServerMessage } from '../../../main/common/protocol';
import { ApiSession } from '../../../main/core/api/session';
import type { ApiImpl } from '../../../main/core/api/contract';
import { PIPE_CHANNEL } from '../../../main/electron/channel';
import { attachIpcPipe } from '../../../main/electron/ipc-pipe';

const APP = 'file:///opt/fleetdeck/dist/renderer/';

class FakeContents extends EventEmitter {
  sent: ServerMessage[] = [];
  destroyed = false;
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string, text: string) {
    if (channel === PIPE_CHANNEL) this.sent.push(JSON.parse(text) as ServerMessage);
  }
}

function setup() {
  const ipc = new EventEmitter();
  let streams = 0;
  const impl = {
    methods: { 'environments.list': () => [] },
    streams: {
      'environments.watch': (_p: unknown, sink: { next(d: unknown): void }) => {
        streams++;
        sink.next([]);
        return () => streams--;
      },
    },
  } as unknown as ApiImpl;
  const core = { session: (tx: (t: string) => void) => new ApiSession(impl, tx, { name: 'Fleetdeck', version: 't' }) };
  const detach = attachIpcPipe(core, (u) => u.startsWith(APP), ipc as never);
  const send = (wc: FakeContents, text: unknown, frame: { url: string; parent: unknown } | null = { url: `${APP}index.html`, parent: null }) =>
    ipc.emit(PIPE_CHANNEL, { sender: wc, senderFrame: frame }, text);
  return { ipc, detach, send, streams: () => streams };
}

test('the app page gets answers on the same pipe', async () => {
  const { send } = setup();
  const wc = new FakeContents();
  send(wc, JSON.stringify({ type: 'call', id: 1, method: 'environments.list' }));
  await new Promise((r) => setImmediate(r));
  assert.equal(wc.sent[0]?.type, 'hello');
  assert.deepEqual(wc.sent[1], { type: 'result', id: 1, ok: true, value: [] });
});

test('messages from other pages, subframes, or that are not text are ignored', async () => {
  const { send } = setup();
  const wc = new FakeContents();
  send(wc, JSON.stringify({ type: 'call', id: 1, method: 'environments.list' }), { url: 'https://evil.example/', parent: null });
  send(wc, JSON.stringify({ type: 'call', id: 2, method: 'environments.list' }), { url: `${APP}index.html`, parent: {} });
  send(wc, JSON.stringify({ type: 'call', id: 3, method: 'environments.list' }), null);
  send(wc, { type: 'call', id: 4, method: 'environments.list' });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(wc.sent, []);
});

test('a committed reload or a closed window ends the page’s streams', () => {
  const { send, streams } = setup();
  const wc = new FakeContents();
  send(wc, JSON.stringify({ type: 'subscribe', id: 1, stream: 'environments.watch' }));
  assert.equal(streams(), 1);
  wc.emit('did-start-navigation', { isSameDocument: false, isMainFrame: true });
  assert.equal(streams(), 1, 'a navigation that has only started (and may be blocked) keeps the page');
  wc.emit('did-navigate');
  assert.equal(streams(), 0, 'the committed navigation ends the old page');
  send(wc, JSON.stringify({ type: 'subscribe', id: 1, stream: 'environments.watch' }));
  assert.equal(streams(), 1, 'the reloaded page gets a fresh session');
  wc.emit('destroyed');
  assert.equal(streams(), 0);
  assert.equal(wc.listenerCount('did-navigate') + wc.listenerCount('destroyed'), 0, 'no listeners pile up across reloads');
});

test('detaching stops listening and ends every session', () => {
  const { send, detach, ipc, streams } = setup();
  const wc = new FakeContents();
  send(wc, JSON.stringify({ type: 'subscribe', id: 1, stream: 'environments.watch' }));
  detach();
  assert.equal(streams(), 0);
  assert.equal(ipc.listenerCount(PIPE_CHANNEL), 0);
});
