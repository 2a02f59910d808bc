// `fleetdeck alerts [rules] [--json]`: parsing, and the tables as a terminal shows them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alert } from '../../../../main/common/alerts-model';
import { DEFAULT_ALERT_RULES } from '../../../../main/common/alerts-model';
import { parseCommand, UsageError } from '../../../../main/cli/args';
import { formatAlerts, formatRules } from '../../../../main/cli/alerts';

test('alerts, alerts rules and --json parse; anything else is a usage error', () => {
  assert.deepEqual(parseCommand(['alerts']), { cmd: 'alerts', what: 'alerts', json: false });
  assert.deepEqual(parseCommand(['alerts', 'rules', '--json']), { cmd: 'alerts', what: 'rules', json: true });
  assert.throws(() => parseCommand(['alerts', 'mute']), UsageError);
  assert.throws(() => parseCommand(['alerts', '--since', '1h']), UsageError);
  assert.deepEqual(parseCommand(['alerts', '--help']), { cmd: 'help', topic: 'alerts' });
});

test('the alerts table says each state in words, and what a container named passes the output policy', () => {
  const base: Alert = {
    id: 'a',
    ruleId: 'crash-loop',
    ruleName: 'Crash loop',
    kind: 'restarts',
    envId: 'docker:local',
    serviceId: 'docker:local/p/web',
    serviceName: 'web\u001b[2J',
    firedAt: Date.UTC(2026, 11, 2, 10, 0, 0),
    message: 'web-1 restarted\nor crashed',
  };
  const out = formatAlerts([base, { ...base, id: 'b', acknowledgedAt: 1 }, { ...base, id: 'c', resolvedAt: Date.UTC(2026, 11, 2, 10, 5, 0) }]);
  const lines = out.split('\n');
  assert.match(lines[0]!, /^STATE +FIRED +RESOLVED +SERVICE +RULE +MESSAGE$/);
  assert.match(lines[1]!, /^firing {2}/);
  assert.match(lines[2]!, /^firing, acked {2}/);
  assert.match(lines[3]!, /^resolved {2}/);
  assert.ok(!out.includes('\u001b'), 'no escape reaches the terminal');
  assert.ok(out.includes('web^[[2J'));
  assert.ok(out.includes('web-1 restarted↵or crashed'));
  assert.match(formatAlerts([]), /^No alerts\./);
});

test('the rules table gives each condition in words', () => {
  const out = formatRules([
    ...DEFAULT_ALERT_RULES,
    { id: 'x', name: 'Oops', kind: 'logMatch', query: 'oops', count: 0, minutes: 1, enabled: false, scope: { serviceId: 'web' } },
  ]);
  assert.match(out, /crash-loop +Crash loop +on +every service +an instance restarts or crashes more than 3 times in 5 min/);
  assert.match(out, /x +Oops +off +web +the log search "oops" matches more than 0 lines in 1 min/);
});
