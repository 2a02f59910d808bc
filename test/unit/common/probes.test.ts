import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isProbeLine, isProbePath } from '../../../main/common/probes';

test('health, readiness and metrics requests are probes; the service’s own routes are not', () => {
  for (const p of ['/health', '/healthz', '/ready', '/readyz', '/livez', '/metrics', '/metrics?x=1', '/health/live', '/ping']) assert.ok(isProbePath(p), p);
  for (const p of ['/orders/7', '/user/1', '/healthcare', '/metricsdashboard', '/api/health', '/']) assert.ok(!isProbePath(p), p);
});

test('a request log line of a probe is recognised in JSON and in plain text; other lines are not', () => {
  assert.ok(isProbeLine('{"level":"info","method":"GET","url":"/health","status":200,"msg":"request completed"}'));
  assert.ok(isProbeLine('{"level":"info","route":"/metrics","status":200}'));
  assert.ok(isProbeLine('10.0.0.1 - - [02/Dec/2026] "GET /readyz HTTP/1.1" 200'));
  assert.ok(!isProbeLine('{"level":"info","url":"/orders/7","msg":"request completed"}'));
  assert.ok(!isProbeLine('{"level":"warn","msg":"health check of the database failed"}'), 'a line about health is not a probe request');
  assert.ok(!isProbeLine('server ready on port 5000'));
});
