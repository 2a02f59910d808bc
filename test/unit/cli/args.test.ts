import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError, parseCommand } from '../../../main/cli/args';

test('serve defaults to 127.0.0.1:7420', () => {
  assert.deepEqual(parseCommand(['serve']), { cmd: 'serve', port: 7420, host: '127.0.0.1', allowRemote: false });
  assert.deepEqual(parseCommand(['serve', '--port', '0', '--host', '::1']), { cmd: 'serve', port: 0, host: '::1', allowRemote: false });
});

test('bad flags and commands are usage errors with a clear message', () => {
  assert.throws(() => parseCommand(['serve', '--port', 'http']), (e) => e instanceof UsageError && /--port must be/.test(e.message));
  assert.throws(() => parseCommand(['serve', '--port', '70000']), UsageError);
  assert.throws(() => parseCommand(['serve', '--prot', '1']), (e) => e instanceof UsageError && /--prot/.test(e.message));
  assert.throws(() => parseCommand(['launch']), (e) => e instanceof UsageError && /unknown command "launch"/.test(e.message));
});

test('envs takes --json; help and version need nothing', () => {
  assert.deepEqual(parseCommand(['envs', '--json']), { cmd: 'envs', json: true });
  assert.deepEqual(parseCommand([]), { cmd: 'help' });
  assert.deepEqual(parseCommand(['--version']), { cmd: 'version' });
});

test('ls and scale parse; a bad replica count is a usage error naming it', () => {
  assert.deepEqual(parseCommand(['ls', '--json']), { cmd: 'ls', json: true });
  assert.deepEqual(parseCommand(['scale', 'shop/web', '3']), { cmd: 'scale', service: 'shop/web', replicas: 3, wait: true });
  assert.deepEqual(parseCommand(['scale', 'web', '0', '--no-wait']), { cmd: 'scale', service: 'web', replicas: 0, wait: false });
  for (const bad of [['scale', 'web', '-1'], ['scale', 'web', '2.5'], ['scale', 'web', 'three'], ['scale', 'web'], ['scale']]) {
    assert.throws(() => parseCommand(bad), UsageError, bad.join(' '));
  }
  assert.throws(() => parseCommand(['scale', 'web', 'x']), /replicas must be a whole number of 0 or more, not "x"/);
});

test('logs takes a target and --tail; bad values are usage errors', () => {
  assert.deepEqual(parseCommand(['logs', 'web']), { cmd: 'logs', target: 'web', tail: 50, raw: false });
  assert.deepEqual(parseCommand(['logs', 'shop/web', '--tail', '0', '--raw']), { cmd: 'logs', target: 'shop/web', tail: 0, raw: true });
  assert.throws(() => parseCommand(['logs']), UsageError);
  assert.throws(() => parseCommand(['logs', 'web', '--tail', '-3']), UsageError);
  assert.throws(() => parseCommand(['logs', 'web', '--follow']), (e) => e instanceof UsageError && /--follow/.test(e.message));
});
