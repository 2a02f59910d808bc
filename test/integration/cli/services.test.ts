// Starts: the built CLI (dist/main/cli.js), one container of the sample user-service image under a
// unique project label and network, and one more under its own project whose service label holds
// an OSC 52 clipboard write; all removed at the end.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { docker, removeProject, skipReason } from '../../helpers/docker';
import { USER_IMAGE, ensureUserImage } from '../../helpers/sample-image';

const root = resolve(import.meta.dirname, '../../..');
const built = existsSync(resolve(root, 'dist/main/cli.js'));
const skip = !built ? 'dist/main/cli.js is missing; run "npm run build" first' : skipReason();
if (skip) console.log(`# skipped: ${skip}`);
const project = `fdcli${randomBytes(3).toString('hex')}`;
const state = mkdtempSync(join(tmpdir(), 'fd-cli-state-'));
const hostile = `${project}esc`;
const OSC52 = '\x1b]52;c;SlNPTkNMSVA=\x07';

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
  docker(
    'run',
    '-d',
    '--name',
    `${project}-api-1`,
    '--network',
    `${project}-net`,
    '--network-alias',
    'api',
    '--label',
    'dev.fleetdeck.service=api',
    '--label',
    `dev.fleetdeck.project=${project}`,
    '--no-healthcheck',
    '-p',
    '127.0.0.1::5000',
    USER_IMAGE,
  );
  docker(
    'run',
    '-d',
    '--name',
    `${hostile}-mark-1`,
    '--label',
    `dev.fleetdeck.service=mark${OSC52}`,
    '--label',
    `dev.fleetdeck.project=${hostile}`,
    '--label',
    `note=\x1b[2J${OSC52}`,
    '--no-healthcheck',
    USER_IMAGE,
  );
});
after(() => {
  if (skip) return;
  removeProject(project);
  removeProject(hostile);
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

test('fleetdeck ls never prints a label holding ESC]52 raw, in a pipe or as --json', { skip }, () => {
  const table = fleetdeck('ls');
  assert.equal(table.status, 0, table.stderr);
  assert.doesNotMatch(table.stdout, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/, 'no control character but line ends');
  assert.match(table.stdout, new RegExp(`^${hostile}/mark\\^\\[\\]52;c;SlNPTkNMSVA=\\^G\\s+fleetdeck\\s+1/1`, 'm'));
  const json = fleetdeck('ls', '--json');
  assert.doesNotMatch(json.stdout, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/, 'JSON escapes them');
  const svc = (JSON.parse(json.stdout) as { project?: string; name: string }[]).find((s) => s.project === hostile);
  assert.match(svc?.name ?? '', /^mark/);
  // Resolving by name still works: the label as it is finds the service (scaling to the count it has changes nothing).
  const scale = fleetdeck('scale', `${hostile}/mark${OSC52}`, '1', '--no-wait');
  assert.equal(scale.status, 0, scale.stderr);
  assert.doesNotMatch(scale.stdout + scale.stderr, /\x1b/);
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
  for (const args of [
    ['api', '-1'],
    ['api', '2.5'],
    ['api', 'many'],
    ['api', '51'],
    ['no-such-service', '2'],
  ]) {
    const r = fleetdeck('scale', ...args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^fleetdeck: /);
  }
  assert.equal(count(), 1);
});

test('fleetdeck logs follows a service, each line with its instance, until stopped', { skip }, async () => {
  const { spawn } = await import('node:child_process');
  const p = spawn(process.execPath, [resolve(root, 'bin/fleetdeck.js'), 'logs', `${project}/api`, '-f', '--tail', '20'], {
    env: { ...process.env, KUBECONFIG: '/nonexistent', FLEETDECK_STATE_DIR: state },
  });
  let out = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const port = docker('port', `${project}-api-1`, '5000/tcp').split('\n')[0]!.split(':').at(-1);
    const id = `cli-logs-${Date.now()}`;
    const deadline = Date.now() + 15_000;
    while (!out.includes(id) && Date.now() < deadline) {
      await fetch(`http://127.0.0.1:${port}/user/7`, { headers: { 'x-request-id': id } }).catch(() => {});
      await new Promise((r) => setTimeout(r, 300));
    }
    const line = out.split('\n').find((l) => l.includes(id)) ?? '';
    assert.match(line, new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${project}-api-1 INF request completed requestId=${id}`), out.slice(-500));
    assert.doesNotMatch(out, /\x1b\[/, 'no colour codes when stdout is not a terminal');
  } finally {
    p.kill('SIGTERM');
  }
  assert.equal(await new Promise((ok) => p.once('exit', ok)), 0);
});
