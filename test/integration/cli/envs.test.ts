// Starts: the built CLI (dist/main/cli.js, from "npm run build") against the running Docker engine.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { docker, skipReason } from '../../helpers/docker';

const root = resolve(import.meta.dirname, '../../..');
const bin = resolve(root, 'bin/fleetdeck.js');
const built = existsSync(resolve(root, 'dist/main/cli.js'));
if (!built) console.log('# skipped: dist/main/cli.js is missing; run "npm run build" first');

function fleetdeck(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, KUBECONFIG: '/nonexistent' } });
}

test('fleetdeck envs --json lists the local engine as connected, with its version', { skip: !built || skipReason() }, () => {
  const r = fleetdeck('envs', '--json');
  assert.equal(r.status, 0, r.stderr);
  const envs = JSON.parse(r.stdout) as { id: string; name: string; state: string; version: string }[];
  assert.equal(envs[0]?.name, 'Docker (local)');
  assert.equal(envs[0]?.state, 'connected');
  assert.equal(envs[0]?.version, docker('version', '--format', '{{.Server.Version}}'));
});

test('fleetdeck envs prints a table a person can read', { skip: !built || skipReason() }, () => {
  const r = fleetdeck('envs');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^NAME\s+KIND\s+STATE\s+VERSION\s+ENDPOINT$/m);
  assert.match(r.stdout, /^Docker \(local\)\s+docker\s+connected\s+\S+/m);
});

test('errors are one line on stderr and a non-zero exit', { skip: !built }, () => {
  const r = fleetdeck('serve', '--port', 'abc');
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /^fleetdeck: --port must be/);
  const remote = fleetdeck('serve', '--host', '0.0.0.0');
  assert.equal(remote.status, 2);
  assert.match(remote.stderr, /--allow-remote/);
});

test('serve prints one line with the URL and its token, and honours FLEETDECK_TOKEN', { skip: !built }, async () => {
  const { spawn } = await import('node:child_process');
  const p = spawn(process.execPath, [bin, 'serve', '--port', '0'], { env: { ...process.env, FLEETDECK_TOKEN: 'cli-token-123', KUBECONFIG: '/nonexistent' } });
  try {
    const line = await new Promise<string>((ok, fail) => {
      let out = '';
      const t = setTimeout(() => fail(new Error(`no URL printed; got: ${out}`)), 15_000);
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) {
          clearTimeout(t);
          ok(out.split('\n')[0]!);
        }
      });
    });
    const m = /^Fleetdeck is serving at (http:\/\/127\.0\.0\.1:\d+\/\?token=cli-token-123)$/.exec(line);
    assert.ok(m, line);
    const page = await fetch(m[1]!);
    assert.equal(page.status, 200);
  } finally {
    p.kill('SIGTERM');
  }
  const code = await new Promise((ok) => p.once('exit', ok));
  assert.equal(code, 0, 'serve exits cleanly on SIGTERM');
});
