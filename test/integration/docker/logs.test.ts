// Starts: sample user-service replicas and base-image containers that write (a flood, escape
// sequences) under a unique project label; all removed at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { LogEntry, LogEvent } from '../../../main/common/model';
import type { Core } from '../../../main/core/core';
import { docker, removeProject, skipReason } from '../../helpers/docker';
import { testCore, untilServices } from '../../helpers/core';
import { USER_IMAGE, ensureUserImage } from '../../helpers/sample-image';

const skip = skipReason();
const project = `fdlog${randomBytes(3).toString('hex')}`;
let core: Core;
const base = () => docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0]!;

before(async () => {
  if (skip) return;
  await ensureUserImage();
  core = await testCore();
});
after(() => {
  if (skip) return;
  core?.stop();
  removeProject(project);
});

function follow(params: { serviceId?: string; instance?: string; tail?: number }, backlog = () => 0) {
  const events: LogEvent[] = [];
  let ended: unknown;
  const stop = core.api.streams['logs.follow']({ envId: 'docker:local', tail: 200, ...params } as never, {
    next: (e) => events.push(e),
    end: (e) => (ended = e ?? 'ended'),
    backlog,
  });
  const entries = () => events.flatMap((e) => (e.kind === 'lines' ? e.entries : []));
  return { events, entries, stop, ended: () => ended };
}

async function until(cond: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a service’s logs follow all its instances merged, each line with its instance, level and request id', { skip }, async () => {
  for (const n of [1, 2]) {
    docker(
      'run',
      '-d',
      '--name',
      `${project}-api-${n}`,
      '--label',
      'dev.fleetdeck.service=api',
      '--label',
      `dev.fleetdeck.project=${project}`,
      '-p',
      '127.0.0.1::5000',
      USER_IMAGE,
    );
  }
  const list = await untilServices(core, (l) => l.find((s) => s.project === project)?.running === 2);
  const svc = list.find((s) => s.project === project)!;
  const logs = follow({ serviceId: svc.id });
  try {
    for (const i of svc.instances) {
      const port = i.ports.find((p) => p.containerPort === 5000)!.hostPort!;
      let ok = false;
      for (let k = 0; k < 50 && !ok; k++) {
        ok = await fetch(`http://127.0.0.1:${port}/user/7`, { headers: { 'x-request-id': `req-${i.name}` } }).then(
          (r) => r.ok,
          () => false,
        );
        if (!ok) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(ok, `${i.name} answers`);
    }
    const seen = (name: string) => logs.entries().find((e: LogEntry) => e.instance === name && e.text.includes(`req-${name}`));
    await until(() => svc.instances.every((i) => seen(i.name)), 10_000, 'a request line from each instance');
    for (const i of svc.instances) assert.equal(seen(i.name)!.level, 'info');
    assert.deepEqual(
      logs.events
        .filter((e) => e.kind === 'instance')
        .map((e) => (e.kind === 'instance' ? e.name : ''))
        .sort(),
      svc.instances.map((i) => i.name).sort(),
    );

    // A replica added later joins the stream by itself.
    await core.services.scale(svc.id, 3);
    const added = core.services.get(svc.id).instances.find((i) => !svc.instances.some((o) => o.id === i.id))!;
    await until(() => logs.entries().some((e) => e.instance === added.name), 15_000, 'the new replica’s first lines');
  } finally {
    logs.stop();
  }
});

test('escape sequences other than colours never reach the viewer', { skip }, async () => {
  const name = `${project}-esc`;
  docker(
    'run',
    '-d',
    '--name',
    name,
    '--label',
    `dev.fleetdeck.project=${project}`,
    base(),
    'sh',
    '-c',
    'printf "\\033]52;c;ZXZpbA==\\007hi \\033[31mred\\033[0m \\033]0;title\\007end\\n"; exec sleep 1000',
  );
  await untilServices(core, (l) => l.some((s) => s.name === name));
  const logs = follow({ instance: name });
  try {
    await until(() => logs.entries().some((e) => e.text.includes('end')), 10_000, 'the line');
    assert.equal(logs.entries().find((e) => e.text.includes('end'))!.text, 'hi \x1b[31mred\x1b[0m end');
  } finally {
    logs.stop();
  }
});

test('a container writing as fast as it can is dropped with a count while the viewer is behind, never buffered without bound', { skip }, async () => {
  const name = `${project}-flood`;
  docker('run', '-d', '--name', name, '--label', `dev.fleetdeck.project=${project}`, base(), 'sh', '-c', 'i=0; while :; do i=$((i+1)); echo "line $i"; done');
  await untilServices(core, (l) => l.some((s) => s.name === name));
  let backlog = 64 << 20; // the pipe is backed up
  const logs = follow({ instance: name, tail: 0 }, () => backlog);
  try {
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(logs.entries().length, 0, 'nothing sent while the pipe is backed up');
    backlog = 0;
    await until(() => logs.events.some((e) => e.kind === 'dropped'), 5_000, 'the dropped marker');
    const marker = logs.events.find((e) => e.kind === 'dropped');
    assert.ok(marker?.kind === 'dropped' && marker.count > 1000, `dropped ${marker?.kind === 'dropped' ? marker.count : 0} lines, and said so`);
    await until(() => logs.entries().length > 0, 5_000, 'lines again once the pipe drained');
  } finally {
    logs.stop();
    docker('rm', '-f', name);
  }
});
