// Starts: one container of the sample base image (it has /bin/sh) under a unique name; removed at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { TerminalEvent } from '../../../main/common/api';
import { docker, skipReason } from '../../helpers/docker';
import { testCore, untilServices } from '../../helpers/core';

const skip = skipReason();
const name = `fdterm${randomBytes(3).toString('hex')}`;

test('a terminal runs a command in the container and shows its output', { skip }, async (t) => {
  const image = docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0];
  if (!image) return t.skip('no fleetdeck/node-base image; run npm run samples:build');
  docker('run', '-d', '--name', name, image, 'node', '-e', 'setInterval(() => {}, 1e9)');
  const core = await testCore();
  t.after(() => {
    core.stop();
    docker('rm', '-f', name);
  });
  await untilServices(core, (l) => l.some((s) => s.name === name && s.running === 1));
  let out = '';
  let terminalId = '';
  const ready = new Promise<void>((resolve) => {
    const stop = core.terminals.open(core.docker, core.services.findInstance(name).instance.id, { cols: 80, rows: 24 }, (e: TerminalEvent) => {
      if (e.kind === 'ready') {
        terminalId = e.terminalId;
        resolve();
      }
      if (e.kind === 'data') out += e.data;
    });
    t.after(stop);
  });
  await ready;
  core.terminals.input(terminalId, 'echo fleet$((40+2))deck\n');
  const deadline = Date.now() + 10_000;
  while (!out.includes('fleet42deck') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.match(out, /fleet42deck/, `terminal output was: ${JSON.stringify(out)}`);
  await core.terminals.resize(terminalId, 120, 40);
  core.terminals.input(terminalId, 'exit\n');
});

test('a container without a shell gets a clear message', { skip }, async (t) => {
  // The engine's own pause-less minimal case: a container whose image has no /bin/sh.
  const image = docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0];
  if (!image) return t.skip('no base image');
  const noshell = `${name}-noshell`;
  // Same image, but /bin/sh hidden behind an empty tmpfs over /bin: no shell to exec.
  docker('run', '-d', '--name', noshell, '--tmpfs', '/bin', image, '/usr/local/bin/node', '-e', 'setInterval(() => {}, 1e9)');
  const core = await testCore();
  t.after(() => {
    core.stop();
    docker('rm', '-f', noshell);
  });
  await untilServices(core, (l) => l.some((s) => s.name === noshell && s.running === 1));
  const exit = await new Promise<TerminalEvent>((resolve) => {
    core.terminals.open(core.docker, core.services.findInstance(noshell).instance.id, { cols: 80, rows: 24 }, (e) => e.kind === 'exit' && resolve(e));
  });
  assert.ok(exit.kind === 'exit');
  assert.match(exit.message ?? '', /no shell/);
});
