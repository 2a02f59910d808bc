// Starts: the built CLI (dist/main/cli.js) and one container of the sample user-service image under a
// unique project label and network; all removed at the end.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { docker, skipReason } from '../../helpers/docker';
import { USER_IMAGE, ensureUserImage } from '../../helpers/sample-image';

const root = resolve(import.meta.dirname, '../../..');
const built = existsSync(resolve(root, 'dist/main/cli.js'));
const skip = !built ? 'dist/main/cli.js is missing; run "npm run build" first' : skipReason();
if (skip) console.log(`# skipped: ${skip}`);
const project = `fdcli${randomBytes(3).toString('hex')}`;
const state = mkdtempSync(join(tmpdir(), 'fd-cli-state-'));

function fleetdeck(...args: string[]) {
  return spawnSync(process.execPath, [resolve(root, 'bin/fleetdeck.js'), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, KUBECONFIG: '/nonexistent', FLEETDECK_STATE_DIR: state },
  });
}
const count = () => docker('ps', '-q', '--filter', `label=dev.fleetdeck.project=${project}`, '--filter', 'status=running').split('\n').filter(Boolean).length;

before(async () => {
  if (skip) return;
  await ensureUserImage();
  docker('network', 'create', `${project}-net`);
  docker('run', '-d', '--name', `${project}-api-1`, '--network', `${project}-net`, '--network-alias', 'api', '--label', 'dev.fleetdeck.service=api',
    '--label', `dev.fleetdeck.project=${project}`, '--health-interval', '1s', '-p', '127.0.0.1::5000', USER_IMAGE);
});
after(() => {
  if (skip) return;
  const ids = docker('ps', '-aq', '--filter', `label=dev.fleetdeck.project=${project}`).split('\n').filter(Boolean);
  if (ids.length) docker('rm', '-f', ...ids);
  docker('network', 'rm', `${project}-net`);
});

test('fleetdeck ls shows the service with its instance; --json is machine-readable', { skip }, () => {
  const table = fleetdeck('ls');
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, new RegExp(`^${project}/api\\s+fleetdeck\\s+1/1`, 'm'));
  assert.match(table.stdout, new RegExp(`^  ${project}-api-1\\s+[0-9a-f]{12}\\s+running`, 'm'));
  const json = fleetdeck('ls', '--json');
  const svc = (JSON.parse(json.stdout) as { project?: string; name: string; instances: unknown[] }[]).find((s) => s.project === project);
  assert.equal(svc?.name, 'api');
  assert.equal(svc?.instances.length, 1);
});

test('fleetdeck scale waits until the replicas are up, then exits 0', { skip }, () => {
  const up = fleetdeck('scale', 'api', '3');
  assert.equal(up.status, 0, up.stderr);
  assert.match(up.stdout, new RegExp(`${project}/api scaled to 3 \\(3/3 running\\)`));
  assert.equal(count(), 3);
  const down = fleetdeck('scale', `${project}/api`, '1');
  assert.equal(down.status, 0, down.stderr);
  assert.equal(count(), 1);
});

test('fleetdeck scale refuses bad input in one line, exit non-zero, changing nothing', { skip }, () => {
  for (const args of [['api', '-1'], ['api', '2.5'], ['api', 'many'], ['api', '51'], ['no-such-service', '2']]) {
    const r = fleetdeck('scale', ...args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^fleetdeck: /);
  }
  assert.equal(count(), 1);
});
