// Fleetdeck's own log: JSON lines in the state folder, owner-only, level from FLEETDECK_LOG.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { errorFields, log, openLog } from '../../../main/core/log';

test('a handled failure is written as one JSON line with its component, to a file only the owner reads', async () => {
  const off = mkdtempSync(join(tmpdir(), 'fd-log-off-'));
  openLog(off, { FLEETDECK_LOG: 'off' });
  log('docker').warn('not written');
  assert.equal(existsSync(join(off, 'fleetdeck.log')), false, 'FLEETDECK_LOG=off writes nothing');

  const dir = mkdtempSync(join(tmpdir(), 'fd-log-'));
  openLog(dir, { FLEETDECK_LOG: 'info' });
  log('docker').debug('below the level');
  log('docker').warn(
    { ...errorFields(Object.assign(new Error('connect ENOENT /var/run/docker.sock\n    at stack'), { code: 'ENOENT' })) },
    'engine unreachable',
  );
  const file = join(dir, 'fleetdeck.log');
  let text = '';
  for (let i = 0; i < 50 && !text.includes('engine unreachable'); i++) {
    await new Promise((r) => setTimeout(r, 20));
    text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  }
  const lines = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 1, text);
  assert.equal(lines[0]!.component, 'docker');
  assert.equal(lines[0]!.msg, 'engine unreachable');
  assert.equal(lines[0]!.error, 'connect ENOENT /var/run/docker.sock', 'one line of the error, no stack');
  assert.equal(lines[0]!.code, 'ENOENT');
  assert.equal(statSync(file).mode & 0o777, 0o600);
});
