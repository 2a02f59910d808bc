import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError, helpText, parseCommand } from '../../../main/cli/args';

test('serve defaults to 127.0.0.1:7420', () => {
  assert.deepEqual(parseCommand(['serve']), { cmd: 'serve', port: 7420, host: '127.0.0.1', allowRemote: false });
  assert.deepEqual(parseCommand(['serve', '--port', '0', '--host', '::1']), { cmd: 'serve', port: 0, host: '::1', allowRemote: false });
});

test('bad flags and commands are usage errors with a clear message', () => {
  assert.throws(
    () => parseCommand(['serve', '--port', 'http']),
    (e) => e instanceof UsageError && /--port must be/.test(e.message),
  );
  assert.throws(() => parseCommand(['serve', '--port', '70000']), UsageError);
  assert.throws(
    () => parseCommand(['serve', '--prot', '1']),
    (e) => e instanceof UsageError && /--prot/.test(e.message),
  );
  assert.throws(
    () => parseCommand(['launch']),
    (e) => e instanceof UsageError && /unknown command "launch"/.test(e.message),
  );
});

test('envs takes --json; help and version need nothing', () => {
  assert.deepEqual(parseCommand(['envs', '--json']), { cmd: 'envs', json: true });
  assert.deepEqual(parseCommand([]), { cmd: 'help' });
  assert.deepEqual(parseCommand(['--version']), { cmd: 'version' });
});

test('ls and scale parse; a bad replica count is a usage error naming it', () => {
  assert.deepEqual(parseCommand(['ls', '--json']), { cmd: 'ls', json: true, target: {} });
  assert.deepEqual(parseCommand(['scale', 'shop/web', '3']), {
    cmd: 'scale',
    service: 'shop/web',
    replicas: 3,
    wait: true,
    yes: false,
    json: false,
    timeoutS: 90,
    target: {},
  });
  assert.deepEqual(parseCommand(['scale', 'web', '0', '--no-wait', '-y', '--timeout', '5']), {
    cmd: 'scale',
    service: 'web',
    replicas: 0,
    wait: false,
    yes: true,
    json: false,
    timeoutS: 5,
    target: {},
  });
  for (const bad of [
    ['scale', 'web', '-1'],
    ['scale', 'web', '2.5'],
    ['scale', 'web', 'three'],
    ['scale', 'web'],
    ['scale'],
    ['scale', 'web', '1', '--timeout', '0'],
  ]) {
    assert.throws(() => parseCommand(bad), UsageError, bad.join(' '));
  }
  assert.throws(() => parseCommand(['scale', 'web', 'x']), /replicas must be a whole number of 0 or more, not "x"/);
});

test("ls, scale, restart and logs take --env, or kubectl's --context with -n / -A", () => {
  assert.deepEqual(parseCommand(['ls', '--context', 'prod', '-n', 'shop']).valueOf(), {
    cmd: 'ls',
    json: false,
    target: { context: 'prod', namespace: 'shop' },
  });
  assert.deepEqual(parseCommand(['ls', '--context=prod', '-A']), { cmd: 'ls', json: false, target: { context: 'prod', allNamespaces: true } });
  assert.deepEqual(parseCommand(['restart', 'web', '--env', 'docker:local']), { cmd: 'restart', service: 'web', json: false, target: { env: 'docker:local' } });
  assert.deepEqual(parseCommand(['logs', 'web', '--namespace', 'shop', '--json']), {
    cmd: 'logs',
    ref: 'web',
    follow: false,
    tail: 1000,
    raw: false,
    json: true,
    target: { namespace: 'shop' },
  });
  assert.throws(() => parseCommand(['ls', '--context']), UsageError);
  assert.throws(
    () => parseCommand(['restart']),
    (e) => e instanceof UsageError && /usage: fleetdeck restart SERVICE/.test(e.message),
  );
});

test('--help works on every command, and help COMMAND says the same', () => {
  for (const c of ['serve', 'envs', 'ls', 'scale', 'restart', 'logs'] as const) {
    assert.deepEqual(parseCommand([c, '--help']), { cmd: 'help', topic: c });
    assert.deepEqual(parseCommand(['help', c]), { cmd: 'help', topic: c });
    assert.match(helpText(c), new RegExp(`^Usage: fleetdeck ${c}`));
  }
  assert.match(helpText(), /Exit codes: 0 done; 1 .*2 usage error;\s+3 no such .*4 .*unreachable; 130 interrupted/s);
  assert.throws(() => parseCommand(['help', 'launch']), UsageError);
});

test('logs prints stored lines unless -f; --since, --until, --grep, --level, --request; bad values are usage errors', () => {
  const now = Date.now();
  assert.deepEqual(parseCommand(['logs', 'web']), { cmd: 'logs', ref: 'web', follow: false, tail: 1000, raw: false, json: false, target: {} });
  assert.deepEqual(parseCommand(['logs', 'shop/web', '-f', '--tail', '0', '--raw']), {
    cmd: 'logs',
    ref: 'shop/web',
    follow: true,
    tail: 0,
    raw: true,
    json: false,
    target: {},
  });
  assert.equal((parseCommand(['logs', 'web', '--follow']) as { tail: number }).tail, 50, 'following: 50 lines of history per instance');
  const c = parseCommand(['logs', 'web', '--since', '10m', '--until', '2099-01-01T00:00:00Z', '--grep', 'timeout -health', '--level', 'WARN']) as {
    since: number;
    until: number;
    grep: string;
    level: string;
  };
  assert.ok(Math.abs(c.since - (now - 600_000)) < 5000, 'since 10 minutes ago');
  assert.equal(c.until, Date.parse('2099-01-01T00:00:00Z'));
  assert.equal(c.grep, 'timeout -health');
  assert.equal(c.level, 'warn');
  assert.deepEqual(parseCommand(['logs', '--request', 'abc-123']), {
    cmd: 'logs',
    follow: false,
    tail: 1000,
    request: 'abc-123',
    raw: false,
    json: false,
    target: {},
  });
  assert.throws(() => parseCommand(['logs']), UsageError);
  assert.throws(() => parseCommand(['logs', 'web', '--tail', '-3']), UsageError);
  assert.throws(
    () => parseCommand(['logs', 'web', '--since', 'yesterday']),
    (e) => e instanceof UsageError && /--since takes a duration/.test(e.message),
  );
  assert.throws(
    () => parseCommand(['logs', 'web', '--level', 'loud']),
    (e) => e instanceof UsageError && /--level must be one of/.test(e.message),
  );
  assert.throws(() => parseCommand(['logs', 'web', '--since', '1m', '--until', '2m']), /--until must be after --since/);
  assert.throws(() => parseCommand(['logs', '--request', 'x', '-f']), /does not follow/);
  assert.throws(() => parseCommand(['logs', 'web', '--request', 'x']), UsageError);
});
