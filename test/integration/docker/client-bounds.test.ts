// Starts: three chatty containers (the sample image running a log loop) under a unique project
// label, `serve` in this process over a relay to the engine (to count engine connections), and
// WebSocket clients on 127.0.0.1. Everything is removed at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import type { ServerMessage } from '../../../main/common/protocol';
import { Core } from '../../../main/core/core';
import { startServer, type RunningServer } from '../../../main/server/server';
import { docker, removeProject, skipReason } from '../../helpers/docker';
import { USER_IMAGE, ensureUserImage } from '../../helpers/sample-image';
import { EngineRelay } from '../../helpers/socket-proxy';

const skip = skipReason();
const project = `fdbounds${randomBytes(3).toString('hex')}`;
const TOKEN = 'client-bounds-token-0123456789';
const BEHIND_MS = 3000;
let relay: EngineRelay;
let core: Core;
let srv: RunningServer;
let serviceId: string;

// Bounded: writes 5 lines of 200 bytes every 50 ms for at most 10 minutes.
const CHATTY = "let n=0;const t=setInterval(()=>{for(let i=0;i<5;i++)console.log(`line ${n++} `+'x'.repeat(200))},50);setTimeout(()=>clearInterval(t),600000)";

before(async () => {
  if (skip) return;
  await ensureUserImage();
  for (let i = 1; i <= 3; i++) {
    docker(
      'run',
      '-d',
      '--name',
      `${project}-chatty-${i}`,
      '--label',
      'dev.fleetdeck.service=chatty',
      '--label',
      `dev.fleetdeck.project=${project}`,
      '--entrypoint',
      'node',
      USER_IMAGE,
      '-e',
      CHATTY,
    );
  }
  relay = new EngineRelay();
  await relay.start();
  core = new Core({
    mode: 'serve',
    // The log store's follower would hold every container's stream open already: the connections
    // counted here are the viewers' alone.
    logs: 'off',
    env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig' },
    stateDir: mkdtempSync(join(tmpdir(), 'fd-state-')),
    docker: { display: `unix://${relay.path}`, options: { socketPath: relay.path } },
    sessionLimits: { behindMs: BEHIND_MS },
  });
  await core.start();
  await core.discovery.whenSynced();
  const dir = mkdtempSync(join(tmpdir(), 'fd-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Fleetdeck</title>');
  srv = await startServer({ core, staticDir: dir, port: 0, token: TOKEN });
  const svc = core.services.list().find((s) => s.project === project && s.name === 'chatty');
  assert.ok(svc && svc.instances.length === 3, 'the three chatty containers are one service');
  serviceId = svc.id;
});

after(async () => {
  if (skip) return;
  await srv?.close();
  core?.stop();
  await relay?.stop();
  removeProject(project);
});

/** A raw protocol client that counts what it got per stream. */
async function client() {
  const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/api?token=${TOKEN}`);
  const events = new Map<number, number>();
  const ends = new Map<number, ServerMessage & { type: 'end' }>();
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as ServerMessage;
    // Counted once lines (or a whole list) came: not the 'attached' notice a follow starts with.
    if (m.type === 'event' && (m.data as { kind?: string }).kind !== 'instance') events.set(m.id, (events.get(m.id) ?? 0) + 1);
    if (m.type === 'end') ends.set(m.id, m);
  });
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok());
    ws.once('error', fail);
  });
  const subscribe = (id: number, stream: string, params: unknown) => ws.send(JSON.stringify({ type: 'subscribe', id, stream, params }));
  return { ws, events, ends, subscribe };
}

async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('300 log streams of a 3-replica service share 3 engine connections; the 101st stream of a client is refused', { skip }, async () => {
  const before = relay.connections;
  const logRequests = () => relay.requests.filter((r) => /\/containers\/[^/]+\/logs\?/.test(r)).length;
  const logsBefore = logRequests();
  const clients = await Promise.all([client(), client(), client()]);
  try {
    await shareAndCap(clients, logRequests, logsBefore);
  } finally {
    for (const c of clients) c.ws.close();
  }
  await until(() => srv.openSessions() === 0, 5000, 'the clients to be gone');
  await until(() => relay.connections <= before, 5000, 'the shared engine streams to close with their last viewer');
  assert.equal(logRequests() - logsBefore, 3, 'no follow was reopened');
});

async function shareAndCap(clients: Awaited<ReturnType<typeof client>>[], logRequests: () => number, logsBefore: number) {
  for (const c of clients) for (let id = 1; id <= 100; id++) c.subscribe(id, 'logs.follow', { envId: 'docker:local', serviceId, tail: 10 });
  await until(() => clients.every((c) => c.events.size === 100), 20_000, 'every stream to get lines');
  await new Promise((r) => setTimeout(r, 300));
  const opened = logRequests() - logsBefore;
  console.log(`# ${opened} engine log streams for 300 log streams of clients`);
  assert.equal(opened, 3, `${opened} engine log streams for 300 client streams of 3 instances (one per instance expected)`);

  clients[0]!.subscribe(101, 'logs.follow', { envId: 'docker:local', serviceId, tail: 10 });
  await until(() => clients[0]!.ends.has(101), 5000, 'the 101st stream to be refused');
  const refused = clients[0]!.ends.get(101)!;
  assert.equal(refused.error?.code, 'LIMIT');
  assert.match(refused.error?.message ?? '', /100 streams open/);
  assert.equal(clients[0]!.ends.size, 1, 'the other 100 streams go on');
}

test('a client that stops reading is dropped with a reason, and serve’s heap stays flat', { skip }, async () => {
  assert.equal(srv.openSessions(), 0);
  const c = await client();
  for (let id = 1; id <= 50; id++) c.subscribe(id, 'logs.follow', { envId: 'docker:local', serviceId, tail: 200 });
  for (let id = 51; id <= 90; id++) c.subscribe(id, 'services.watch', { envId: 'docker:local' });
  await until(() => c.events.size >= 90, 10_000, 'every stream to start');
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  c.ws.pause(); // reads nothing from here on: the kernel's buffers fill, then serve's
  const pausedAt = Date.now();
  let peak = heapBefore;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 100);
  try {
    await until(() => srv.openSessions() === 0, BEHIND_MS + 25_000, 'serve to drop the client that reads nothing');
  } finally {
    clearInterval(sample);
  }
  const grewMb = (peak - heapBefore) / (1 << 20);
  console.log(`# dropped ${Date.now() - pausedAt} ms after it stopped reading; heap grew ${grewMb.toFixed(1)} MB at most`);
  assert.ok(grewMb < 64, `serve's heap grew by ${grewMb.toFixed(0)} MB while a client read nothing`);
  const closed = new Promise<{ code: number; reason: string }>((ok) => c.ws.once('close', (code, reason) => ok({ code, reason: reason.toString() })));
  c.ws.resume();
  const { code } = await Promise.race([closed, new Promise<{ code: number }>((ok) => setTimeout(() => ok({ code: -1 }), 5000))]);
  assert.ok(code === 1008 || code === 1006, `the connection is closed (code ${code})`);
});
