import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEFAULT_ALERT_RULES } from '../../../../main/common/alerts-model';
import { methods } from '../../../../main/common/api';
import { ApiError } from '../../../../main/common/errors';
import { summarize } from '../../../../main/common/protocol';
import { countLogMatches } from '../../../../main/core/alerts/log-counts';
import { AlertRules } from '../../../../main/core/alerts/rules-store';
import type { LogHit, LogSearch } from '../../../../main/common/log-store-model';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function rulesFile(): string {
  const d = mkdtempSync(join(tmpdir(), 'fd-alert-rules-'));
  dirs.push(d);
  return join(d, 'alerts.json');
}

test('on first start the defaults are written to alerts.json, with the thresholds people expect', () => {
  const file = rulesFile();
  const rules = new AlertRules(file, true);
  assert.deepEqual(rules.list(), DEFAULT_ALERT_RULES);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).rules, DEFAULT_ALERT_RULES);
  const byKind = new Map(rules.list().map((r) => [r.kind, r]));
  assert.deepEqual(byKind.get('restarts'), { id: 'crash-loop', name: 'Crash loop', kind: 'restarts', count: 3, minutes: 5, enabled: true });
  assert.equal((byKind.get('errorRate') as { perSecond: number }).perSecond, 1);
  assert.equal((byKind.get('latency') as { p95Ms: number }).p95Ms, 1000);
  assert.equal(new AlertRules(file, true).list().length, DEFAULT_ALERT_RULES.length, 'read back, not doubled');
});

test('a rule is added, replaced by its id and removed, and each change is in the file', () => {
  const file = rulesFile();
  const rules = new AlertRules(file, true);
  rules.set({ id: 'oops', name: 'Oops in logs', kind: 'logMatch', query: 'level:error oops', count: 5, minutes: 10, enabled: true });
  rules.set({ id: 'oops', name: 'Oops in logs', kind: 'logMatch', query: 'oops', count: 1, minutes: 10, enabled: false, scope: { serviceId: 'web' } });
  const stored = () => JSON.parse(readFileSync(file, 'utf8')).rules as { id: string }[];
  assert.deepEqual(
    stored().find((r) => r.id === 'oops'),
    { id: 'oops', name: 'Oops in logs', kind: 'logMatch', query: 'oops', count: 1, minutes: 10, enabled: false, scope: { serviceId: 'web' } },
  );
  rules.remove('oops');
  assert.equal(
    stored().some((r) => r.id === 'oops'),
    false,
  );
  assert.throws(
    () => rules.remove('oops'),
    (e: unknown) => e instanceof ApiError && e.code === 'NOT_FOUND',
  );
});

test('a bad rule is refused naming the field, and nothing changes (in memory or in the file)', () => {
  const file = rulesFile();
  const rules = new AlertRules(file, true);
  const before = readFileSync(file, 'utf8');
  const bad: [unknown, RegExp][] = [
    [{ id: 'crash-loop', name: 'Crash loop', kind: 'restarts', count: -1, minutes: 5, enabled: true }, /count: Count must be at least 1/],
    [{ id: 'crash-loop', name: 'Crash loop', kind: 'restarts', count: 3, minutes: 2.5, enabled: true }, /minutes: Minutes must be a whole number/],
    [{ id: 'x', name: 'Logs', kind: 'logMatch', query: '"unclosed', count: 1, minutes: 5, enabled: true }, /query: .*quote.*docs\/log-search\.md/i],
    [{ id: 'x', name: 'Logs', kind: 'logMatch', query: '   ', count: 1, minutes: 5, enabled: true }, /query: Give the search to count/],
    [{ id: 'x', name: '', kind: 'breakerOpen', enabled: true }, /name: Give the rule a name/],
    [{ id: 'x', name: 'x', kind: 'memory', enabled: true }, /kind: A rule's kind is one of restarts, unhealthy/],
    [{ id: 'x', name: 'x', kind: 'latency', p95Ms: 'fast', enabled: true }, /p95Ms: p95 \(ms\) must be a number/],
    [{ id: 'x', name: 'Crash loop', kind: 'breakerOpen', enabled: true }, /name: another rule is already called "Crash loop"/],
  ];
  for (const [rule, message] of bad) {
    assert.throws(
      () => rules.set(rule),
      (e: unknown) => e instanceof ApiError && message.test(e.message),
      JSON.stringify(rule),
    );
  }
  assert.deepEqual(rules.list(), DEFAULT_ALERT_RULES);
  assert.equal(readFileSync(file, 'utf8'), before);
});

test('the API refuses a bad rule before the engine sees it, with the field in the message', () => {
  const r = methods['alerts.setRule'].safeParse({ rule: { id: 'x', name: 'x', kind: 'unhealthy', seconds: 0, enabled: true } });
  assert.equal(r.success, false);
  assert.equal(summarize(r.error!), 'rule.seconds: Seconds must be at least 1.');
});

test('rules in a hand-edited file that do not validate are left out, the others kept; the CLI does not write', () => {
  const file = rulesFile();
  new AlertRules(file, true).set({ id: 'ok', name: 'OK', kind: 'breakerOpen', enabled: true });
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { rules: unknown[] };
  writeFileSync(file, JSON.stringify({ ...stored, rules: [...stored.rules, { id: 'bad', kind: 'restarts', count: 'many' }] }));
  const read = new AlertRules(file, false);
  assert.equal(read.list().length, DEFAULT_ALERT_RULES.length + 1);
  assert.equal(read.skipped.length, 1);
  assert.throws(() => read.set({ id: 'n', name: 'N', kind: 'breakerOpen', enabled: true }), /edited in the window/);
  const other = rulesFile();
  new AlertRules(other, false);
  assert.equal(existsSync(other), false);
});

test('a logMatch rule counts the stored lines of its window per service, in its scope', async () => {
  const searches: LogSearch[] = [];
  const hit = (service: string, id: number): LogHit => ({
    id,
    env: 'docker:local',
    service,
    instance: 'x-1',
    instanceId: 'c',
    stream: 'stdout',
    t: 5,
    text: 'oops',
  });
  const store = {
    search: async (s: LogSearch) => {
      searches.push(s);
      return { hits: [hit('docker:local/shop/web', 1), hit('docker:local/shop/web', 2), hit('docker:local/shop/api', 3)], more: false, scanned: 3, tookMs: 1 };
    },
  };
  const rule = { id: 'o', name: 'O', kind: 'logMatch' as const, query: 'oops', count: 1, minutes: 5, enabled: true };
  assert.deepEqual(await countLogMatches(store, rule, 1_000_000), [
    { envId: 'docker:local', serviceId: 'docker:local/shop/web', serviceName: 'web', count: 2 },
    { envId: 'docker:local', serviceId: 'docker:local/shop/api', serviceName: 'api', count: 1 },
  ]);
  assert.equal(searches[0]!.from, 1_000_000 - 300_000);
  assert.equal(searches[0]!.to, 1_000_000);
  assert.deepEqual(await countLogMatches(store, { ...rule, scope: { serviceId: 'api' } }, 1_000_000), [
    { envId: 'docker:local', serviceId: 'docker:local/shop/api', serviceName: 'api', count: 1 },
  ]);
});
