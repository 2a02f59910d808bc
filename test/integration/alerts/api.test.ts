// Starts: a Fleetdeck core in serve mode on a temporary state folder, not started (no engine is
// contacted), reached through one API session as the window reaches it: JSON messages both ways.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AlertsEvent } from '../../../main/common/alerts-model';
import { Core } from '../../../main/core/core';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function open() {
  const dir = mkdtempSync(join(tmpdir(), 'fd-alerts-api-'));
  dirs.push(dir);
  const core = new Core({
    mode: 'serve',
    env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig', FLEETDECK_METRICS: 'off', FLEETDECK_LOGS: 'off' },
    stateDir: dir,
  });
  const received: Record<string, unknown>[] = [];
  const session = core.session((text) => received.push(JSON.parse(text) as Record<string, unknown>));
  let id = 0;
  const call = async (method: string, params: unknown) => {
    const n = ++id;
    session.receive(JSON.stringify({ type: 'call', id: n, method, params }));
    for (let i = 0; i < 100; i++) {
      const r = received.find((m) => m.type === 'result' && m.id === n);
      if (r) return r as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
      await new Promise((res) => setTimeout(res, 10));
    }
    throw new Error(`no answer to ${method}`);
  };
  return { dir, core, session, received, call, close: () => (session.close(), core.stop()) };
}

test('through the API: a bad rule is refused naming the field and changes nothing; a good one is saved to alerts.json', async () => {
  const c = open();
  try {
    const before = readFileSync(join(c.dir, 'alerts.json'), 'utf8');
    const bad = await c.call('alerts.setRule', {
      rule: { id: 'logs', name: 'Logs', kind: 'logMatch', query: 'level:loud', count: 1, minutes: 5, enabled: true },
    });
    assert.equal(bad.ok, false);
    assert.equal(bad.error?.code, 'INVALID_PARAMS');
    assert.match(bad.error!.message, /^Invalid parameters for alerts\.setRule: rule\.query: Unknown level "loud"/);
    const dup = await c.call('alerts.setRule', { rule: { id: 'other', name: 'crash loop', kind: 'breakerOpen', enabled: true } });
    assert.equal(dup.error?.code, 'CONFLICT');
    assert.equal(readFileSync(join(c.dir, 'alerts.json'), 'utf8'), before);

    const good = await c.call('alerts.setRule', {
      rule: { id: 'logs', name: 'Logs', kind: 'logMatch', query: 'level:error timeout', count: 10, minutes: 5, enabled: true },
    });
    assert.equal(good.ok, true);
    const rules = (await c.call('alerts.rules', {})).value as { id: string }[];
    assert.ok(rules.some((r) => r.id === 'logs'));
    assert.ok((JSON.parse(readFileSync(join(c.dir, 'alerts.json'), 'utf8')) as { rules: { id: string }[] }).rules.some((r) => r.id === 'logs'));
    assert.equal((await c.call('alerts.removeRule', { id: 'logs' })).ok, true);
    assert.equal((await c.call('alerts.removeRule', { id: 'logs' })).error?.code, 'NOT_FOUND');
    assert.equal((await c.call('alerts.ack', { id: 'nope' })).error?.code, 'NOT_FOUND');
    assert.equal((await c.call('alerts.list', { limit: 0 })).error?.code, 'INVALID_PARAMS');
  } finally {
    c.close();
  }
});

test('alerts.watch sends the alerts at once, then again when one fires and when it is acknowledged', async () => {
  const c = open();
  try {
    c.session.receive(JSON.stringify({ type: 'subscribe', id: 99, stream: 'alerts.watch', params: {} }));
    const events = () => c.received.filter((m) => m.type === 'event' && m.id === 99).map((m) => m.data as AlertsEvent);
    const next = async (n: number) => {
      for (let i = 0; i < 200 && events().length < n; i++) await new Promise((r) => setTimeout(r, 10));
      return events()[n - 1];
    };
    assert.deepEqual(await next(1), { alerts: [], firing: 0, unacknowledged: 0, evaluating: true });
    c.core.alerts.history.add({
      id: 'a1',
      ruleId: 'breaker-open',
      ruleName: 'Circuit breaker open',
      kind: 'breakerOpen',
      envId: 'docker:local',
      serviceId: 'docker:local/shop/web',
      serviceName: 'web',
      firedAt: 5,
      message: 'Circuit breaker db on web-1 open.',
    });
    const fired = await next(2);
    assert.equal(fired?.firing, 1);
    assert.equal(fired?.unacknowledged, 1);
    const acked = await c.call('alerts.ack', { id: 'a1' });
    assert.equal(acked.ok, true);
    const after = await next(3);
    assert.equal(after?.unacknowledged, 0);
    assert.equal(typeof after?.alerts[0]?.acknowledgedAt, 'number');
  } finally {
    c.close();
  }
});
