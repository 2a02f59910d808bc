// Starts: one container of the sample base image (it has /bin/sh) under a unique name; removed at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { TerminalEvent } from '../../../main/common/api';
import { dockerShell } from '../../../main/core/docker/terminal';
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
    const stop = core.terminals.open({
      start: dockerShell(core.docker, core.services.findInstance(name).instance.id, { cols: 80, rows: 24 }),
      emit: (e: TerminalEvent) => {
        if (e.kind === 'ready') {
          terminalId = e.terminalId;
          resolve();
        }
        if (e.kind === 'data') out += e.data;
      },
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
  if (!image) return t.skip('no fleetdeck/node-base image; npm run samples:build makes it (npm test runs it first)');
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
    core.terminals.open({
      start: dockerShell(core.docker, core.services.findInstance(noshell).instance.id, { cols: 80, rows: 24 }),
      emit: (e) => e.kind === 'exit' && resolve(e),
    });
  });
  assert.ok(exit.kind === 'exit');
  assert.match(exit.message ?? '', /no shell/);
});

test('a shell writing as fast as it can is held while the viewer or the pipe is behind', { skip }, async (t) => {
  const image = docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0];
  if (!image) return t.skip('no fleetdeck/node-base image; npm run samples:build makes it (npm test runs it first)');
  const flood = `${name}-flood`;
  docker('run', '-d', '--name', flood, image, 'node', '-e', 'setInterval(() => {}, 1e9)');
  const core = await testCore();
  let received = 0;
  let backlog = 0;
  let terminalId = '';
  const stop = await new Promise<() => void>((resolve) => {
    void untilServices(core, (l) => l.some((s) => s.name === flood && s.running === 1)).then(() => {
      const s = core.terminals.open({
        start: dockerShell(core.docker, core.services.findInstance(flood).instance.id, { cols: 80, rows: 24 }),
        emit: (e) => {
          if (e.kind === 'ready') {
            terminalId = e.terminalId;
            resolve(s);
          }
          if (e.kind === 'data') received += e.data.length;
        },
        backlog: () => backlog,
      });
    });
  });
  t.after(() => {
    stop();
    core.stop();
    docker('rm', '-f', flood);
  });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // No `yes` in this image: a shell loop is a fast enough writer. Bounded: it stops with the container.
  core.terminals.input(terminalId, 'while :; do echo 0123456789012345678901234567890123456789012345678901234567890123456789; done\n');
  await sleep(500);
  assert.ok(received > 10_000, `the shell writes (${received} bytes)`);
  // Unheld, this loop writes megabytes in the 600 ms windows below (8 MB per 500 ms measured here).

  core.terminals.flow(terminalId, true);
  await sleep(400); // what was already in flight arrives
  const heldAt = received;
  await sleep(600);
  assert.ok(received - heldAt < 256 * 1024, `paused by the viewer: ${received - heldAt} more bytes`);
  core.terminals.flow(terminalId, false);
  await sleep(400);
  assert.ok(received - heldAt > 10_000, 'resumed');

  backlog = 4 << 20; // the pipe says it is backed up
  await sleep(400);
  const pipeHeld = received;
  await sleep(600);
  assert.ok(received - pipeHeld < 256 * 1024, `paused by the pipe: ${received - pipeHeld} more bytes`);
  backlog = 0;
  await sleep(400);
  assert.ok(received - pipeHeld > 10_000, 'resumed when the pipe drained');
  core.terminals.input(terminalId, '\x03');
});
