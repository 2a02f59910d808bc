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
