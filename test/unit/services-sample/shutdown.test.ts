// Starts the sample services as host processes on 127.0.0.1 (free ports) and sends them SIGTERM.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { test } from 'node:test';
import { keepAliveLoad, sendHalfRequest, startServiceProcess } from './helpers';

/** SIGTERM must end the process with 0 this soon when nothing slow is in flight. */
const EXIT_WITHIN_MS = 2000;

test('SIGTERM during a slow keep-alive request: it finishes, then the process exits 0', async () => {
  const service = await startServiceProcess('user-service', { FAULT_LATENCY_MS: '700' });
  try {
    const agent = new Agent({ keepAlive: true });
    const answer = new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
      request({ port: service.port, host: '127.0.0.1', path: '/user/7', agent }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      })
        .on('error', reject)
        .end();
    });
    await new Promise((r) => setTimeout(r, 200));
    service.terminate();
    const res = await answer;
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"id":7,"name":"User 7"}');
    assert.equal(res.connection, 'close');
    const { code } = await service.exited;
    assert.equal(code, 0);
    assert.match(service.output(), /"msg":"shutdown complete"/);
    agent.destroy();
  } finally {
    service.kill();
  }
});

for (const name of ['user-service', 'order-service'] as const) {
  test(`${name}: SIGTERM with half-sent requests (headers without their end, a body shorter than its Content-Length): 408, exit 0 within 2 s`, async (t) => {
    const service = await startServiceProcess(name, { USER_SERVICE_URL: 'http://127.0.0.1:9' });
    const halves: Awaited<ReturnType<typeof sendHalfRequest>>[] = [];
    try {
      halves.push(await sendHalfRequest(service.port, 'headers'), await sendHalfRequest(service.port, 'body'));
      await new Promise((r) => setTimeout(r, 200)); // the server has read both halves
      const sigtermAt = service.terminate();
      const [headers, body] = await Promise.all(halves.map((h) => h.outcome));
      const { code, at } = await service.exited;
      const exitMs = Math.round(at - sigtermAt);
      t.diagnostic(`exit ${code} after ${exitMs} ms; half headers answered ${headers!.status}, half body answered ${body!.status}`);
      assert.equal(code, 0, `exit code (after ${exitMs} ms)`);
      assert.ok(exitMs < EXIT_WITHIN_MS, `exited ${exitMs} ms after SIGTERM, expected < ${EXIT_WITHIN_MS}`);
      for (const [what, o] of [
        ['half headers', headers!],
        ['half body', body!],
      ] as const) {
        assert.equal(o.status, 408, `${what}: expected a 408 before the close, got ${JSON.stringify(o.raw.slice(0, 80))}`);
        assert.ok(o.closedAt - sigtermAt < EXIT_WITHIN_MS, `${what}: connection closed by the server`);
      }
      assert.match(service.output(), /"msg":"shutdown complete"/);
    } finally {
      for (const h of halves) h.destroy();
      service.kill();
    }
  });
}

test('SIGTERM under keep-alive load (8 clients): every sent request is answered, in-flight ones with Connection: close, exit 0 within 2 s', async (t) => {
  const service = await startServiceProcess('user-service');
  // A keep-alive connection that sits idle at SIGTERM: it must be closed at once, not held open.
  const idleAgent = new Agent({ keepAlive: true });
  try {
    const { closed: idleSocketClosed } = await new Promise<{ closed: Promise<number> }>((resolve, reject) => {
      const req = request({ port: service.port, host: '127.0.0.1', path: '/health', agent: idleAgent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ closed }));
      });
      const closed = new Promise<number>((r) => req.once('socket', (s) => s.once('close', () => r(performance.now()))));
      req.on('error', reject).end();
    });
    let sigtermAt = 0;
    const report = await keepAliveLoad({
      port: service.port,
      path: '/user/7',
      clients: 8,
      maxRequests: 4000,
      maxMs: 4000,
      trigger: { afterAnswers: 400, afterMs: 1500, action: () => (sigtermAt = service.terminate()) },
    });
    assert.ok(sigtermAt > 0, `SIGTERM was sent mid-load (answered ${report.answered})`);
    const { code, at } = await service.exited;
    const exitMs = Math.round(at - sigtermAt);
    const idleClosedMs = Math.round((await idleSocketClosed) - sigtermAt);
    t.diagnostic(
      `sent ${report.sent}, answered ${report.answered} (${report.answeredClose} with Connection: close), ` +
        `refused ${report.refused}, unanswered ${report.unanswered.length}; ` +
        `${report.connectionsToldToClose} of ${report.connections} connections told to close; idle keep-alive socket closed after ${idleClosedMs} ms; ` +
        `exit ${code} after ${exitMs} ms; load ran ${report.durationMs} ms`,
    );
    assert.deepEqual(report.unanswered, [], 'requests sent on an open connection that got no answer');
    assert.equal(
      report.connectionsToldToClose,
      report.connections,
      'every connection got Connection: close on its last answer (none was dropped after a keep-alive answer)',
    );
    assert.equal(report.reusedAfterClose, 0, 'no socket reused after it delivered Connection: close');
    assert.deepEqual(Object.keys(report.statuses), ['200']);
    assert.ok(report.refused > 0, 'reconnections after SIGTERM are refused (the listener is closed)');
    assert.ok(idleClosedMs < 500, `the idle keep-alive connection was closed ${idleClosedMs} ms after SIGTERM`);
    assert.equal(code, 0, `exit code (after ${exitMs} ms)`);
    assert.ok(exitMs < EXIT_WITHIN_MS, `exited ${exitMs} ms after SIGTERM, expected < ${EXIT_WITHIN_MS}`);
  } finally {
    idleAgent.destroy();
    service.kill();
  }
});
