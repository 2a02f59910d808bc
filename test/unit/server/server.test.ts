import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PROTOCOL_VERSION } from '../../../main/common/api';
import { Core } from '../../../main/core/core';
import { startServer, type RunningServer } from '../../../main/server/server';
import { connectApi, upgradeStatus } from '../../helpers/ws';

let srv: RunningServer;
let core: Core;
const TOKEN = 'unit-test-token-0123456789';

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Fleetdeck</title>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'fd-secret.txt'), 'secret');
  // No engine needed: the Docker endpoint points at a socket that does not exist.
  core = await new Core({
    mode: 'serve',
    env: { KUBECONFIG: '/nonexistent/kubeconfig' },
    docker: { display: 'unix:///nonexistent.sock', options: { socketPath: '/nonexistent.sock' } },
  }).start();
  srv = await startServer({ core, staticDir: dir, port: 0, token: TOKEN });
});
after(async () => {
  await srv.close();
  core.stop();
});

test('the page without the token is 401, with a message saying what to do', async () => {
  const r = await fetch(srv.url);
  assert.equal(r.status, 401);
  assert.match(await r.text(), /URL printed by "fleetdeck serve"/);
  assert.equal((await fetch(`${srv.url}?token=wrong`)).status, 401);
});

test('the token URL serves the page with a CSP and trades the token for a cookie', async () => {
  const r = await fetch(srv.openUrl);
  assert.equal(r.status, 200);
  assert.match(await r.text(), /<title>Fleetdeck<\/title>/);
  assert.match(r.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.equal(r.headers.get('cross-origin-resource-policy'), 'same-origin');
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer', 'the token in the first URL never leaves in a Referer');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const cookie = r.headers.get('set-cookie') ?? '';
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const asset = await fetch(`${srv.url}assets/app.js`, { headers: { cookie: cookie.split(';')[0]! } });
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type') ?? '', /javascript/);
});

test('paths cannot climb out of the renderer folder', async () => {
  const r = await fetch(`${srv.url}..%2F..%2F..%2F..%2Ftmp%2Ffd-secret.txt?token=${TOKEN}`);
  assert.notEqual(await r.text(), 'secret');
});

test('only GET and HEAD are served', async () => {
  const r = await fetch(srv.openUrl, { method: 'POST' });
  assert.equal(r.status, 405);
});

test('a WebSocket without the token gets 401, from a foreign Origin 403', async () => {
  const api = srv.url.replace('http', 'ws') + 'api';
  assert.equal(await upgradeStatus(api), 401);
  assert.equal(await upgradeStatus(`${api}?token=nope`), 401);
  assert.equal(await upgradeStatus(`${api}?token=${TOKEN}`, { Origin: 'https://evil.example' }), 403);
  assert.equal(await upgradeStatus(`${api}?token=${TOKEN}`, { Origin: `http://127.0.0.1:${srv.port}` }), 101);
});

test('the API round-trips over the WebSocket: hello, then environments', async () => {
  const c = await connectApi(`${srv.url.replace('http', 'ws')}api?token=${TOKEN}`);
  try {
    const hello = await c.next((m) => m.type === 'hello');
    assert.deepEqual(hello.type === 'hello' && hello.protocol, PROTOCOL_VERSION);
    const r = await c.call('environments.list');
    assert.ok(r.type === 'result' && r.ok);
    const envs = r.value as { id: string; name: string; state: string; problem?: string }[];
    assert.equal(envs[0]?.name, 'Docker (local)');
    const bad = await c.call('environments.reconnect', { id: 'docker:elsewhere' });
    assert.ok(bad.type === 'result' && !bad.ok && bad.error.code === 'NOT_FOUND');
  } finally {
    c.close();
  }
});

test('an unreachable engine is reported with what to do', async () => {
  const c = await connectApi(`${srv.url.replace('http', 'ws')}api?token=${TOKEN}`);
  try {
    c.ws.send(JSON.stringify({ type: 'subscribe', id: 1, stream: 'environments.watch' }));
    const ev = await c.next((m) => m.type === 'event' && (m.data as { state: string }[])[0]?.state === 'unreachable');
    const docker = (ev.type === 'event' ? (ev.data as { problem: string }[]) : [])[0]!;
    assert.match(docker.problem, /Cannot reach the Docker engine at unix:\/\/\/nonexistent\.sock/);
    assert.match(docker.problem, /DOCKER_HOST/);
  } finally {
    c.close();
  }
});

test('a malformed cookie is no token, and the server keeps serving', async () => {
  const r = await fetch(srv.url, { headers: { cookie: `fleetdeck_token_${srv.port}=%` } });
  assert.equal(r.status, 401);
  assert.equal((await fetch(srv.openUrl)).status, 200, 'still up');
});

test('a client resetting a refused upgrade does not take the server down', async () => {
  const { connect } = await import('node:net');
  for (let i = 0; i < 5; i++) {
    const s = connect(srv.port, '127.0.0.1');
    s.on('error', () => {});
    await new Promise<void>((ok) => s.once('connect', () => ok()));
    s.write(
      'GET /api HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    s.resetAndDestroy();
  }
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await fetch(srv.openUrl)).status, 200, 'still up');
});

test('the cookie is named by the port, so two serve instances do not log each other out', async () => {
  const r = await fetch(srv.openUrl);
  assert.match(r.headers.get('set-cookie') ?? '', new RegExp(`^fleetdeck_token_${srv.port}=`));
});

/** A GET with the Host header a DNS-rebinding page would send (fetch cannot set Host). */
function statusWithHost(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

test('a page reached by a foreign name is refused, even with the token (DNS rebinding)', async () => {
  assert.equal(await statusWithHost(srv.port, `/?token=${TOKEN}`, `evil.example:${srv.port}`), 421);
  assert.equal(await statusWithHost(srv.port, `/?token=${TOKEN}`, 'evil.example'), 421);
  assert.equal(await statusWithHost(srv.port, `/?token=${TOKEN}`, `127.0.0.1:${srv.port + 1}`), 421, 'another port is another server');
  assert.equal(await statusWithHost(srv.port, `/?token=${TOKEN}`, `localhost:${srv.port}`), 200);
  assert.equal(await statusWithHost(srv.port, `/?token=${TOKEN}`, `127.0.0.1:${srv.port}`), 200);
  const api = `ws://127.0.0.1:${srv.port}/api?token=${TOKEN}`;
  const evil = `evil.example:${srv.port}`;
  assert.equal(await upgradeStatus(api, { Host: evil, Origin: `http://${evil}` }), 421, 'Origin matching a foreign Host is no pass');
  assert.equal(await upgradeStatus(api, { Origin: `http://${evil}` }), 403);
  assert.equal(await upgradeStatus(api, { Host: `localhost:${srv.port}`, Origin: `http://127.0.0.1:${srv.port}` }), 101, 'loopback names are one server');
});

test('with --allow-remote any name is served, and the Origin must match the Host', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Fleetdeck</title>');
  const remote = await startServer({ core, staticDir: dir, port: 0, token: TOKEN, allowRemote: true });
  t.after(() => remote.close());
  assert.equal(await statusWithHost(remote.port, `/?token=${TOKEN}`, `panel.lan:${remote.port}`), 200);
  const api = `ws://127.0.0.1:${remote.port}/api?token=${TOKEN}`;
  assert.equal(await upgradeStatus(api, { Host: `panel.lan:${remote.port}`, Origin: `http://panel.lan:${remote.port}` }), 101);
  assert.equal(await upgradeStatus(api, { Host: `panel.lan:${remote.port}`, Origin: 'http://evil.example' }), 403);
});
