// Starts: base-image containers under a unique project label (removed at the end) — one that exits 1
// a second after each start under --restart=always, and ones that print a line a few times — and
// Fleetdeck cores in serve mode (recording figures, collecting logs, evaluating alerts) on a
// temporary state folder whose alerts.json names only rules scoped to these containers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Alert, AlertRule } from '../../../main/common/alerts-model';
import { Core } from '../../../main/core/core';
import { docker, removeProject, runReplica, skipReason } from '../../helpers/docker';

const skip = skipReason();
const project = `fdalert${randomBytes(3).toString('hex')}`;
const dirs: string[] = [];
const base = () => docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0]!;
const serviceId = (service: string) => `docker:local/${project}/${service}`;

after(() => {
  if (skip) return;
  removeProject(project);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function coreWithRules(rules: AlertRule[]): Promise<Core> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-alerts-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'alerts.json'), JSON.stringify({ version: 1, rules }));
  const core = new Core({ mode: 'serve', env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig' }, stateDir: dir });
  await core.start();
  await core.discovery.whenSynced();
  return core;
}

async function until<T>(what: string, check: () => T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const alertOf = (core: Core, ruleId: string, service: string): Alert | undefined =>
  core.alerts.list(500).find((a) => a.ruleId === ruleId && a.serviceId === serviceId(service));

test('a crash-looping container fires the restarts alert once, naming the instance', { skip, timeout: 120_000 }, async () => {
  const core = await coreWithRules([
    { id: 'crash-loop', name: 'Crash loop', kind: 'restarts', count: 3, minutes: 5, enabled: true, scope: { serviceId: serviceId('crashy') } },
  ]);
  try {
    runReplica(project, 'crashy', ['--restart=always'], base(), 'sh', '-c', 'sleep 1; exit 1');
    const fired = await until('the crash-loop alert', () => alertOf(core, 'crash-loop', 'crashy'), 90_000);
    assert.equal(fired.resolvedAt, undefined);
    assert.equal(fired.serviceName, 'crashy');
    assert.match(fired.message, new RegExp(`^${project}-crashy-1 restarted or crashed \\d+ times in the last 5 min \\(more than 3\\)\\.$`));
    const event = core.alerts.event();
    assert.ok(event.alerts.some((a) => a.id === fired.id));
    assert.ok(event.unacknowledged >= 1);

    // It keeps restarting: still the one entry, never a second alert for the same condition.
    await new Promise((r) => setTimeout(r, 6_000));
    assert.equal(core.alerts.list(500).filter((a) => a.ruleId === 'crash-loop').length, 1);

    const acked = core.alerts.acknowledge(fired.id);
    assert.equal(typeof acked.acknowledgedAt, 'number');
    assert.equal(core.alerts.event().alerts.find((a) => a.id === fired.id)?.acknowledgedAt, acked.acknowledgedAt);
  } finally {
    docker('rm', '-f', `${project}-crashy-1`);
    await core.close();
  }
});

test('a log search rule fires for the service that printed the line more than N times, not for one under N', { skip, timeout: 120_000 }, async () => {
  const core = await coreWithRules([
    { id: 'payments', name: 'Payment failures', kind: 'logMatch', query: '"payment failed"', count: 2, minutes: 5, enabled: true },
  ]);
  try {
    const say = (times: number) =>
      `for (let i = 1; i <= ${times}; i++) console.log('order ' + i + ': payment failed'); console.log('payment ok'); setInterval(() => {}, 1e9);`;
    runReplica(project, 'noisy', [], base(), 'node', '-e', say(3));
    runReplica(project, 'quiet', [], base(), 'node', '-e', say(2));
    const fired = await until('the log search alert', () => alertOf(core, 'payments', 'noisy'), 90_000);
    assert.equal(fired.message, 'The log search "payment failed" matched 3 lines of noisy in the last 5 min (more than 2).');
    assert.equal(alertOf(core, 'payments', 'quiet'), undefined, 'two lines are not more than two');

    // The history is in the state folder: a CLI core on the same folder reads it, evaluating nothing.
    await core.close();
    const cli = new Core({ mode: 'cli', env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig' }, stateDir: dirs[dirs.length - 1]! });
    try {
      assert.equal(cli.alerts.event().evaluating, false);
      assert.deepEqual(
        cli.alerts.list(10).map((a) => [a.id, a.message]),
        [[fired.id, fired.message]],
      );
    } finally {
      cli.stop();
    }
  } finally {
    await core.close();
  }
});
