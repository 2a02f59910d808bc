import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError, helpText, parseCommand } from '../../../main/cli/args';
import { formatInspect } from '../../../main/cli/inspect';
import type { InstanceInspect } from '../../../main/common/model';

test('inspect takes one instance and the target options', () => {
  assert.deepEqual(parseCommand(['inspect', 'shop-web-1']), { cmd: 'inspect', instance: 'shop-web-1', json: false, target: {} });
  assert.deepEqual(parseCommand(['inspect', 'web-abc', '--context', 'prod', '-n', 'shop', '--json']), {
    cmd: 'inspect',
    instance: 'web-abc',
    json: true,
    target: { context: 'prod', namespace: 'shop' },
  });
  assert.throws(
    () => parseCommand(['inspect']),
    (e) => e instanceof UsageError && /fleetdeck inspect INSTANCE/.test(e.message),
  );
  assert.throws(() => parseCommand(['inspect', 'a', 'b']), UsageError);
  assert.throws(
    () => parseCommand(['inspect', 'a', '-A']),
    (e) => e instanceof UsageError && /-n/.test(e.message),
  );
  assert.match(helpText('inspect'), /Usage: fleetdeck inspect INSTANCE/);
  assert.match(helpText(), /inspect INSTANCE/);
});

const unhealthy: InstanceInspect = {
  envId: 'docker:local',
  instance: 'shop-db-client-1',
  kind: 'container',
  facts: [
    { label: 'State', value: 'running (unhealthy)' },
    { label: 'Image', value: 'shop/db-client:1' },
  ],
  env: [
    { name: 'DB_PASSWORD', secret: true },
    { name: 'LOG_LEVEL', value: 'debug', secret: false },
    { name: 'API_KEY', secret: true, from: 'secret api/key' },
  ],
  mounts: [{ source: 'data', destination: '/var/lib/data', mode: 'rw', type: 'volume' }],
  networks: [{ name: 'shop_default', aliases: ['db-client'] }],
  labels: { 'com.docker.compose.service': 'db-client' },
  ports: [{ containerPort: 5000, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 49153 }],
  health: {
    status: 'unhealthy',
    failingStreak: 4,
    runs: [
      { start: Date.UTC(2026, 0, 1, 0, 0, 0), end: Date.UTC(2026, 0, 1, 0, 0, 0, 300), exitCode: 1, output: 'db unreachable: connect ECONNREFUSED\nretrying' },
      { start: Date.UTC(2026, 0, 1, 0, 0, 5), end: Date.UTC(2026, 0, 1, 0, 0, 5, 100), exitCode: 1, output: 'db unreachable: timeout' },
    ],
  },
  raw: { format: 'json', text: '{}' },
};

test('the human form leads with the facts, then why the health check fails, newest run first, output line by line', () => {
  const text = formatInspect(unhealthy);
  const lines = text.split('\n');
  assert.equal(lines[0], 'Name:        shop-db-client-1');
  assert.ok(lines.includes('State:       running (unhealthy)'));
  const health = lines.indexOf('Health check (newest first):');
  assert.ok(health > 0 && health < lines.indexOf('Environment:'), 'health before the environment');
  assert.equal(lines[health + 1], '  Status: unhealthy, failing streak 4');
  assert.equal(lines[health + 2], '  2026-01-01T00:00:05Z  exit 1 in 0.1 s  (failed)');
  assert.equal(lines[health + 3], '      db unreachable: timeout');
  assert.equal(lines[health + 5], '      db unreachable: connect ECONNREFUSED');
  assert.equal(lines[health + 6], '      retrying');
  assert.match(text, /^ {2}DB_PASSWORD=•••••• \(kept back/m);
  assert.match(text, /^ {2}LOG_LEVEL=debug$/m);
  assert.match(text, /^ {2}API_KEY: <secret api\/key> \(secret\)$/m);
  assert.match(text, /^ {2}127\.0\.0\.1:49153 -> 5000\/tcp$/m);
  assert.match(text, /^ {2}\/var\/lib\/data from data \(rw, volume\)$/m);
  assert.match(text, /^ {2}shop_default \(aliases: db-client\)$/m);
});

test('events are a table with their age and count; no escape from the cluster reaches the terminal', () => {
  const now = Date.UTC(2026, 0, 1, 0, 10, 0);
  const pod: InstanceInspect = {
    ...unhealthy,
    kind: 'pod',
    health: undefined,
    conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' }],
    events: [
      {
        type: 'Normal',
        reason: 'Scheduled',
        message: 'Successfully assigned shop/web-1 to node-a',
        count: 1,
        last: now - 120_000,
        source: 'default-scheduler',
      },
      {
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container \x1b]52;c;aGk=\x07web',
        count: 7,
        last: now - 5_000,
        source: 'kubelet',
      },
    ],
  };
  const text = formatInspect(pod, now);
  assert.match(text, /^ {2}TYPE {5}REASON {5}AGE {6}FROM {15}MESSAGE$/m);
  assert.match(text, /^ {2}Normal {3}Scheduled {2}2m {7}default-scheduler {2}Successfully assigned shop\/web-1 to node-a$/m);
  assert.match(text, /^ {2}Warning {2}BackOff {4}5s \(x7\) {2}kubelet {12}Back-off restarting failed container \^\[\]52;c;aGk=\^Gweb$/m);
  assert.match(text, /^ {2}Ready {2}False {3}ContainersNotReady {2}containers with unready status: \[web\]$/m);
  assert.ok(!text.includes('\x1b') && !text.includes('\x07'));
});
