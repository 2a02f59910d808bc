import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { buildUserService } from '../../../services-sample/user-service/src/app';
import { logSink, rawRequest } from './helpers';

describe('user-service endpoints', () => {
  const logs = logSink();
  const { app } = buildUserService({ env: {}, log: logs.stream });
  let port = 0;
  before(async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  after(() => app.close());

  test('GET /user/7 answers the user, like the Flask example', async () => {
    const res = await app.inject('/user/7');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(res.json(), { id: 7, name: 'User 7' });
  });

  test('GET /health and /ready', async () => {
    assert.deepEqual((await app.inject('/health')).json(), { status: 'UP' });
    const ready = await app.inject('/ready');
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, 'READY');
  });

  test('a non-integer id is a JSON 404, as Flask <int:id> answers', async () => {
    for (const id of ['abc', '-1', '7.5', '1e3', '%207']) {
      const res = await app.inject(`/user/${id}`);
      assert.equal(res.statusCode, 404, id);
      assert.equal(res.json().statusCode, 404);
      assert.match(String(res.headers['content-type']), /^application\/json/);
    }
  });

  test('ids beyond 2^53 are answered exactly, never rounded', async () => {
    const big = '9007199254740993'; // 2^53 + 1: a JS number would say ...992
    const res = await app.inject(`/user/${big}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, `{"id":${big},"name":"User ${big}"}`);
    const huge = '123456789012345678901234567890123456789012345678901234567890';
    assert.equal((await app.inject(`/user/${huge}`)).body, `{"id":${huge},"name":"User ${huge}"}`);
    assert.equal((await app.inject('/user/0007')).body, '{"id":7,"name":"User 7"}');
  });

  test('absurdly long ids get a clear 400', async () => {
    for (const digits of [101, 5000]) {
      const res = await app.inject(`/user/${'9'.repeat(digits)}`);
      assert.equal(res.statusCode, 400, `${digits} digits`);
      assert.match(res.json().message, /too long/);
    }
  });

  test('unknown routes are a JSON 404, not an HTML page', async () => {
    const res = await app.inject('/users/7');
    assert.equal(res.statusCode, 404);
    assert.deepEqual(Object.keys(res.json()).sort(), ['error', 'message', 'statusCode']);
    assert.doesNotMatch(res.body, /<html/i);
  });

  test('wrong methods are a JSON 405 with Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
      const res = await app.inject({ method, url: '/user/7' });
      assert.equal(res.statusCode, 405, method);
      assert.equal(res.headers.allow, 'GET, HEAD');
      assert.equal(res.json().error, 'Method Not Allowed');
    }
    assert.equal((await app.inject({ method: 'POST', url: '/health' })).statusCode, 405);
  });

  test('path traversal gets a clear 400, raw or percent-encoded', async () => {
    for (const path of ['/../../etc/passwd', '/user/../../etc/passwd', '/user/..%2f..%2fetc%2fpasswd', '/user/%2e%2e/7', '/user/..\\..\\x']) {
      const res = await rawRequest(port, `GET ${path} HTTP/1.1`);
      assert.equal(res.status, 400, path);
      assert.match(res.body, /"statusCode":400/);
    }
    assert.equal((await app.inject('/user/7')).statusCode, 200, 'still up');
  });

  test('oversized bodies get a 413 and the process stays up', async () => {
    const res = await app.inject({ method: 'POST', url: '/user/7', headers: { 'content-type': 'application/json' }, payload: `"${'x'.repeat(100_000)}"` });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().statusCode, 413);
    assert.equal((await app.inject('/user/7')).statusCode, 200);
  });

  test('the admin endpoint does not exist without ADMIN_TOKEN', async () => {
    assert.equal((await app.inject('/admin/faults')).statusCode, 404);
    const put = await app.inject({ method: 'PUT', url: '/admin/faults', payload: { errorRate: 1 } });
    assert.equal(put.statusCode, 404);
    assert.equal((await app.inject('/user/7')).statusCode, 200);
  });

  test('/metrics is Prometheus text with request counts, the latency histogram and process metrics', async () => {
    await app.inject('/user/42');
    await app.inject('/nowhere');
    const res = await app.inject('/metrics');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = res.body;
    assert.match(text, /^# TYPE http_requests_total counter$/m);
    assert.match(text, /^http_requests_total\{method="GET",route="\/user\/:id",status="200"\} \d+$/m);
    assert.match(text, /^http_requests_total\{method="GET",route="unmatched",status="404"\} \d+$/m);
    assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
    assert.match(text, /^http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/user\/:id",status="200"\} \d+$/m);
    assert.match(text, /^process_cpu_user_seconds_total \d/m);
    assert.match(text, /^process_resident_memory_bytes \d/m);
  });

  test('one JSON log line per request, with level, time, msg and the request id', async () => {
    const before = logs.lines().length;
    const res = await app.inject({ url: '/user/5', headers: { 'x-request-id': 'test-req-1' } });
    assert.equal(res.headers['x-request-id'], 'test-req-1');
    const added = logs.lines().slice(before);
    assert.equal(added.length, 1);
    const line = added[0]!;
    assert.equal(line.level, 'info');
    assert.equal(line.requestId, 'test-req-1');
    assert.equal(line.msg, 'request completed');
    assert.equal(line.status, 200);
    assert.ok(!Number.isNaN(Date.parse(String(line.time))));
    // An unsafe request id is replaced, not echoed.
    const odd = await app.inject({ url: '/user/5', headers: { 'x-request-id': 'a b\u00e9' } });
    assert.match(String(odd.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });
});

describe('user-service fault injection and admin', () => {
  test('FAULT_ERROR_RATE=1 fails business routes but not /health', async () => {
    const { app } = buildUserService({ env: { FAULT_ERROR_RATE: '1' }, log: false });
    try {
      const res = await app.inject('/user/7');
      assert.equal(res.statusCode, 500);
      assert.match(res.json().message, /Injected fault/);
      assert.equal((await app.inject('/health')).statusCode, 200);
    } finally {
      await app.close();
    }
  });

  test('FAULT_LATENCY_MS delays answers', async () => {
    const { app } = buildUserService({ env: { FAULT_LATENCY_MS: '150' }, log: false });
    try {
      const t0 = performance.now();
      assert.equal((await app.inject('/user/7')).statusCode, 200);
      assert.ok(performance.now() - t0 >= 140);
    } finally {
      await app.close();
    }
  });

  test('bad fault settings are refused at start with a clear message', () => {
    assert.throws(() => buildUserService({ env: { FAULT_ERROR_RATE: '2' }, log: false }), /FAULT_ERROR_RATE="2" is invalid/);
  });

  test('with ADMIN_TOKEN the admin endpoint needs the token and changes faults at run time', async () => {
    const { app } = buildUserService({ env: { ADMIN_TOKEN: 's3cret' }, log: false });
    try {
      assert.equal((await app.inject('/admin/faults')).statusCode, 401);
      const wrong = await app.inject({ method: 'PUT', url: '/admin/faults', headers: { authorization: 'Bearer nope' }, payload: { errorRate: 1 } });
      assert.equal(wrong.statusCode, 401);
      const auth = { authorization: 'Bearer s3cret' };
      assert.deepEqual((await app.inject({ url: '/admin/faults', headers: auth })).json(), { latencyMs: 0, errorRate: 0 });
      const bad = await app.inject({ method: 'PUT', url: '/admin/faults', headers: auth, payload: { errorRate: 3 } });
      assert.equal(bad.statusCode, 400);
      const big = await app.inject({
        method: 'PUT',
        url: '/admin/faults',
        headers: { ...auth, 'content-type': 'application/json' },
        payload: `{"x":"${'y'.repeat(50_000)}"}`,
      });
      assert.equal(big.statusCode, 413);
      const ok = await app.inject({ method: 'PUT', url: '/admin/faults', headers: auth, payload: { errorRate: 1 } });
      assert.deepEqual(ok.json(), { latencyMs: 0, errorRate: 1 });
      assert.equal((await app.inject('/user/7')).statusCode, 500);
    } finally {
      await app.close();
    }
  });
});
