import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { test } from 'node:test';

test('SIGTERM during a slow keep-alive request: it finishes, then the process exits 0', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services-sample/user-service/src/main.ts'], {
    env: { ...process.env, PORT: '0', FAULT_LATENCY_MS: '700' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  try {
    let port = 0;
    for (let i = 0; i < 100 && !port; i++) {
      port = Number(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1] ?? 0);
      if (!port) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(port, 'service started');
    const agent = new Agent({ keepAlive: true });
    const answer = new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
      request({ port, host: '127.0.0.1', path: '/user/7', agent }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      })
        .on('error', reject)
        .end();
    });
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    const res = await answer;
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"id":7,"name":"User 7"}');
    assert.equal(res.connection, 'close');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    assert.match(out, /"msg":"shutdown complete"/);
    agent.destroy();
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
