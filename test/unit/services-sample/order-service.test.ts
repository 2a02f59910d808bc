import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { buildOrderService } from '../../../services-sample/order-service/src/app';
import { buildUserService } from '../../../services-sample/user-service/src/app';
import { logSink } from './helpers';

/** A port nobody listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function breakerLine(metrics: string, state: string): string | undefined {
  return metrics.split('\n').find((l) => l.startsWith(`circuit_breaker_state{breaker="user-service",state="${state}"}`));
}

describe('order-service with user-service up', () => {
  let orders: ReturnType<typeof buildOrderService>;
  const userLogs = logSink();
  const usersLogged = buildUserService({ env: {}, log: userLogs.stream });

  before(async () => {
    await usersLogged.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = usersLogged.app.server.address() as AddressInfo;
    orders = buildOrderService({ env: { USER_SERVICE_URL: `http://127.0.0.1:${port}` }, log: false });
  });
  after(async () => {
    await orders.app.close();
    await usersLogged.app.close();
  });

  test('GET /orders/7 embeds its user, fetched from user-service', async () => {
    const res = await orders.app.inject('/orders/7');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { id: 7, description: 'Order 7', userId: 8, user: { id: 8, name: 'User 8' }, degraded: false });
  });

  test('the request id travels to user-service', async () => {
    await orders.app.inject({ url: '/orders/3', headers: { 'x-request-id': 'trace-42' } });
    assert.ok(userLogs.lines().some((l) => l.requestId === 'trace-42' && l.url === '/user/4'));
  });

  test('huge order ids are answered exactly', async () => {
    const big = '18446744073709551617'; // 2^64 + 1
    const res = await orders.app.inject(`/orders/${big}`);
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.startsWith(`{"id":${big},"description":"Order ${big}","userId":8,`), res.body);
  });

  test('bad ids, unknown routes and wrong methods are JSON errors', async () => {
    assert.equal((await orders.app.inject('/orders/x')).statusCode, 404);
    assert.equal((await orders.app.inject(`/orders/${'1'.repeat(200)}`)).statusCode, 400);
    assert.equal((await orders.app.inject('/order/7')).json().statusCode, 404);
    const post = await orders.app.inject({ method: 'POST', url: '/orders/7' });
    assert.equal(post.statusCode, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
    assert.equal((await orders.app.inject('/admin/faults')).statusCode, 404);
  });

  test('the breaker gauge reads closed', async () => {
    const metrics = (await orders.app.inject('/metrics')).body;
    assert.equal(breakerLine(metrics, 'closed'), 'circuit_breaker_state{breaker="user-service",state="closed"} 1');
    assert.equal(breakerLine(metrics, 'open'), 'circuit_breaker_state{breaker="user-service",state="open"} 0');
  });
});

describe('order-service with user-service down', () => {
  test('answers degraded, quickly; the breaker opens and shows in /metrics; then recovers', async () => {
    const port = await closedPort();
    const orders = buildOrderService({ env: { USER_SERVICE_URL: `http://127.0.0.1:${port}`, BREAKER_RESET_MS: '300' }, log: false });
    const users = buildUserService({ env: {}, log: false });
    try {
      for (let i = 0; i < 4; i++) {
        const t0 = performance.now();
        const res = await orders.app.inject('/orders/7');
        assert.ok(performance.now() - t0 < 1000, 'degraded answer within 1 s');
        assert.equal(res.statusCode, 200);
        const body = res.json();
        assert.equal(body.degraded, true);
        assert.equal(body.user, null);
        assert.equal(body.id, 7);
      }
      assert.equal(orders.users.state(), 'open');
      const t0 = performance.now();
      const fast = await orders.app.inject('/orders/9');
      assert.ok(performance.now() - t0 < 50, 'open breaker answers at once');
      assert.equal(fast.json().reason, 'circuit breaker open');
      const metrics = (await orders.app.inject('/metrics')).body;
      assert.equal(breakerLine(metrics, 'open'), 'circuit_breaker_state{breaker="user-service",state="open"} 1');
      assert.equal(breakerLine(metrics, 'closed'), 'circuit_breaker_state{breaker="user-service",state="closed"} 0');
      const ready = await orders.app.inject('/ready');
      assert.equal(ready.statusCode, 200, 'order-service stays ready: it can still answer degraded');
      assert.equal(ready.json().userService.breaker, 'open');

      // user-service comes back on the same address: after the reset timeout, orders are whole again.
      await users.app.listen({ port, host: '127.0.0.1' });
      let whole = false;
      for (let i = 0; i < 40 && !whole; i++) {
        await new Promise((r) => setTimeout(r, 50));
        whole = (await orders.app.inject('/orders/7')).json().degraded === false;
      }
      assert.ok(whole, 'orders whole again after user-service is back');
      assert.equal(orders.users.state(), 'closed');
    } finally {
      await orders.app.close();
      await users.app.close();
    }
  });

  test('5xx from user-service are retried, then answered degraded', async () => {
    const users = buildUserService({ env: { FAULT_ERROR_RATE: '1' }, log: false });
    await users.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = users.app.server.address() as AddressInfo;
    const orders = buildOrderService({ env: { USER_SERVICE_URL: `http://127.0.0.1:${port}`, BREAKER_VOLUME_THRESHOLD: '100' }, log: false });
    try {
      const res = await orders.app.inject('/orders/1');
      assert.equal(res.json().degraded, true);
      assert.match(res.json().reason, /answered 500/);
      const metrics = (await users.app.inject('/metrics')).body;
      assert.match(metrics, /^http_requests_total\{method="GET",route="\/user\/:id",status="500"\} 3$/m, '1 call + 2 retries');
    } finally {
      await orders.app.close();
      await users.app.close();
    }
  });

  test('a slow user-service is cut off by the per-call timeout', async () => {
    const users = buildUserService({ env: { FAULT_LATENCY_MS: '600' }, log: false });
    await users.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = users.app.server.address() as AddressInfo;
    const orders = buildOrderService({ env: { USER_SERVICE_URL: `http://127.0.0.1:${port}`, USER_SERVICE_TIMEOUT_MS: '100' }, log: false });
    try {
      const t0 = performance.now();
      const res = await orders.app.inject('/orders/1');
      assert.ok(performance.now() - t0 < 1000);
      assert.equal(res.json().degraded, true);
    } finally {
      await orders.app.close();
      users.app.server.closeAllConnections();
      await users.app.close();
    }
  });
});
