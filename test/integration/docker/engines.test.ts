// Starts: a unix-socket relay in front of the running engine, added as a second Docker environment.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Environment } from '../../../main/common/model';
import type { Core } from '../../../main/core/core';
import { docker, skipReason } from '../../helpers/docker';
import { testCore } from '../../helpers/core';
import { EngineRelay } from '../../helpers/socket-proxy';

const skip = skipReason();

function until(core: Core, pred: (l: Environment[]) => boolean, ms = 10_000): Promise<Environment[]> {
  return new Promise((resolve, reject) => {
    const check = (l: Environment[]) => {
      if (!pred(l)) return;
      clearTimeout(t);
      core.environments.off('change', check);
      resolve(l);
    };
    const t = setTimeout(() => reject(new Error('environments did not reach the expected state')), ms);
    core.environments.on('change', check);
    check(core.environments.list());
  });
}

test('another Docker engine can be added, is remembered across restarts, and removed', { skip }, async (t) => {
  const relay = new EngineRelay();
  await relay.start();
  const state = mkdtempSync(join(tmpdir(), 'fd-engines-'));
  let core = await testCore({}, state);
  t.after(async () => {
    core.stop();
    await relay.stop();
  });

  const added = core.addEngine('Build box', `unix://${relay.path}`);
  assert.equal(added.id, 'docker:build-box');
  assert.equal(added.name, 'Build box');
  const list = await until(core, (l) => l.find((e) => e.id === 'docker:build-box')?.state === 'connected');
  assert.deepEqual(
    list.map((e) => e.id),
    ['docker:local', 'docker:build-box'],
  );
  assert.equal(list[1]!.version, docker('version', '--format', '{{.Server.Version}}'));
  // Its services come from that engine's own discovery.
  await core.dockerEnv('docker:build-box').discovery.whenSynced();
  assert.equal(core.dockerServices('docker:build-box').envId, 'docker:build-box');

  assert.throws(() => core.addEngine('build box', 'tcp://127.0.0.1:2375'), /exists already/);
  assert.throws(() => core.addEngine('Other', 'ftp://x'), /not supported/);
  assert.throws(() => core.removeEngine('docker:local'), /cannot be removed/);

  core.stop();
  core = await testCore({}, state);
  await until(core, (l) => l.find((e) => e.id === 'docker:build-box')?.state === 'connected');

  // A panel streaming that engine's services is told when it goes.
  let ended: { code: string; message: string } | undefined;
  core.api.streams['services.watch']({ envId: 'docker:build-box' }, { next: () => {}, end: (e) => (ended = e) });
  core.removeEngine('docker:build-box');
  assert.deepEqual(
    core.environments.list().map((e) => e.id),
    ['docker:local'],
  );
  assert.equal(ended?.code, 'NOT_FOUND');
  assert.match(ended?.message ?? '', /Build box was removed/);
  core.stop();
  core = await testCore({}, state);
  assert.deepEqual(
    core.environments.list().map((e) => e.id),
    ['docker:local'],
    'the removal is remembered',
  );
});
