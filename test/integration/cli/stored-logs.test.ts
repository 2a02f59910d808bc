// Starts: a Fleetdeck core collecting logs into a temporary state folder (as the window or serve
// does), two base-image containers writing lines with request ids under a unique project label
// (removed at the end), and the built CLI reading that state folder's store.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { parseLogQuery } from '../../../main/common/log-query';
import { Core } from '../../../main/core/core';
import { docker, removeProject, runReplica, skipReason } from '../../helpers/docker';

const root = resolve(import.meta.dirname, '../../..');
const built = existsSync(resolve(root, 'dist/main/cli.js'));
const skip = !built ? 'dist/main/cli.js is missing; run "npm run build" first' : skipReason();
if (skip) console.log(`# skipped: ${skip}`);
const project = `fdclilog${randomBytes(3).toString('hex')}`;
const state = mkdtempSync(join(tmpdir(), 'fd-cli-logs-'));
const rid = `req-${randomBytes(4).toString('hex')}`;
let core: Core;

function fleetdeck(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const p = spawn(process.execPath, [resolve(root, 'bin/fleetdeck.js'), ...args], {
      env: { ...process.env, KUBECONFIG: '/nonexistent', FLEETDECK_STATE_DIR: state },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('exit', (code) => {
      clearTimeout(t);
      ok({ code, stdout, stderr });
    });
  });
}

/** `service` writes `n` JSON lines (levels info, warn every 5th), each with its number; line 7 carries the request id. */
function writer(service: string, n: number): void {
  const base = docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0]!;
  const script = `for (let i = 1; i <= ${n}; i++) console.log(JSON.stringify({ level: i % 5 === 0 ? 'warn' : 'info', msg: '${service} line ' + i, ...(i === 7 ? { requestId: '${rid}' } : {}) })); setInterval(() => {}, 1e9);`;
  runReplica(project, service, [], base, 'node', '-e', script);
}

before(async () => {
  if (skip) return;
  core = new Core({ mode: 'cli', logs: 'collect', env: { ...process.env, KUBECONFIG: '/nonexistent' }, stateDir: state });
  await core.start();
  writer('front', 40);
  writer('back', 40);
  const end = Date.now() + 30_000;
  for (;;) {
    await core.logStore.flush();
    const r = await core.logStore.search({ query: parseLogQuery('line 40'), limit: 10 });
    if (r.hits.filter((h) => /line 40"/.test(h.text)).length === 2) break;
    if (Date.now() > end) throw new Error('the lines were not stored in 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
});
after(async () => {
  if (skip) return;
  await core?.close();
  removeProject(project);
  rmSync(state, { recursive: true, force: true });
});

test('fleetdeck logs prints a service’s stored lines oldest first, filtered by --grep, --level and --tail', { skip }, async () => {
  const all = await fleetdeck('logs', `${project}/front`, '--json');
  assert.equal(all.code, 0, all.stderr);
  const lines = all.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { text: string; level?: string });
  assert.equal(lines.length, 40);
  assert.deepEqual(
    lines.map((l) => Number(/line (\d+)/.exec(l.text)![1])),
    Array.from({ length: 40 }, (_, i) => i + 1),
  );
  const warn = await fleetdeck('logs', `${project}/front`, '--level', 'warn', '--tail', '3', '--json');
  assert.deepEqual(
    warn.stdout
      .trim()
      .split('\n')
      .map((l) => Number(/line (\d+)/.exec((JSON.parse(l) as { text: string }).text)![1])),
    [30, 35, 40],
    'the last three warnings, oldest first',
  );
  const grep = await fleetdeck('logs', `${project}/front`, '--grep', '"line 1" -"line 10"');
  assert.equal(grep.code, 0, grep.stderr);
  assert.match(grep.stdout, /front line 1\b/);
  assert.doesNotMatch(grep.stdout, /line 10\b/);
  const both = await fleetdeck('logs', `${project}/front`, '--grep', 'line -"line 10"', '--level', 'warn', '--json');
  assert.equal(both.stdout.trim().split('\n').length, 7, `--grep and --level together: the eight warnings but line 10 (${both.stderr})`);
  const bad = await fleetdeck('logs', `${project}/front`, '--grep', '"unclosed');
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /quote/i);
});

test('fleetdeck logs --request follows one request across services, in time order', { skip }, async () => {
  const r = await fleetdeck('logs', '--request', rid, '--json');
  assert.equal(r.code, 0, r.stderr);
  const services = r.stdout
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { service: string }).service);
  assert.deepEqual(services.map((s) => s.split('/').at(-1)).sort(), ['back', 'front']);
  const none = await fleetdeck('logs', '--request', 'no-such-request');
  assert.equal(none.code, 0);
  assert.match(none.stderr, /no stored line/);
});
