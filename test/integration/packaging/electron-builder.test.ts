// Starts: electron-builder (--linux dir) with a stand-in Electron folder, as offline machines must
// (the real Electron binary cannot be downloaded here); checks what the app archive ships.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import asar from '@electron/asar';

const root = resolve(import.meta.dirname, '../../..');
const built = existsSync(join(root, 'dist/main/electron.js')) && existsSync(join(root, 'dist/renderer/index.html'));
if (!built) console.log('# skipped: dist/ is missing; run "npm run build" first');

test('the packaged app carries the built main, preload and renderer, and only the runtime dependencies', { skip: !built }, () => {
  const work = mkdtempSync(join(tmpdir(), 'fd-pack-'));
  const electronDist = join(work, 'electron');
  mkdirSync(join(electronDist, 'resources'), { recursive: true });
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n');
  chmodSync(join(electronDist, 'electron'), 0o755);
  writeFileSync(join(electronDist, 'version'), 'v45.5.0');
  const out = join(work, 'release');
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/electron-builder/cli.js'),
      '--config',
      'electron-builder.yml',
      '--linux',
      'dir',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${out}`,
    ],
    { cwd: root, encoding: 'utf8', timeout: 240_000 },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);

  const app = join(out, 'linux-unpacked');
  assert.ok(existsSync(join(app, 'fleetdeck')), 'the executable is named after the product');
  const archive = join(app, 'resources', 'app.asar');
  const files = asar.listPackage(archive, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
  for (const f of ['/dist/main/electron.js', '/dist/main/preload.cjs', '/dist/renderer/index.html', '/package.json']) {
    assert.ok(files.includes(f), `${f} is in the app`);
  }
  assert.ok(
    files.some((f) => f.startsWith('/node_modules/dockerode/')),
    'dockerode ships (main process)',
  );
  assert.ok(
    files.some((f) => f.startsWith('/node_modules/@kubernetes/client-node/')),
    'client-node ships (main process)',
  );
  for (const gone of ['/node_modules/react/', '/node_modules/recharts/', '/node_modules/fastify/', '/test/', '/services-sample/', '/main/']) {
    assert.ok(!files.some((f) => f.startsWith(gone)), `${gone} is not shipped (bundled into the renderer, or not part of the app)`);
  }
  assert.ok(!files.some((f) => f.endsWith('.map')), 'no source maps');
  const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString()) as { main: string };
  assert.equal(pkg.main, 'dist/main/electron.js');
  const mb = statSync(archive).size / 1e6;
  assert.ok(mb < 60, `app.asar is ${mb.toFixed(1)} MB`);
});
