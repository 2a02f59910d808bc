// Starts: containers of the sample user-service image under a unique project label and network,
// and Fleetdeck cores in child processes that are SIGKILLed in the middle of a scale or a rolling
// restart, at many points. After each crash a fresh core (same state folder) must finish what the
// user asked for: no container left in `created`, no duplicate, the count asked for, all running,
// and a following `scale 3` that works. Everything is removed at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CoreChild, type ChildEvent } from '../../helpers/core-child';
import { docker, removeProject, skipReason } from '../../helpers/docker';
import { USER_IMAGE, ensureUserImage } from '../../helpers/sample-image';

const skip = skipReason();
const project = `fdcrash${randomBytes(3).toString('hex')}`;
const net = `${project}-net`;
const ref = `${project}/web`;
const stateDir = mkdtempSync(join(tmpdir(), 'fd-crash-state-'));
const children = new Set<CoreChild>();
const recoveries: { name: string; ms: number }[] = [];
/** What each crash left for the next core to finish, as the engine showed it. */
const leftBehind: { name: string; states: Record<string, number>; half: boolean }[] = [];

interface Row {
  id: string;
  name: string;
  state: string;
  replica: string;
}

const ps = (): Row[] =>
  docker(
    'ps',
    '-a',
    '--no-trunc',
    '--filter',
    `label=dev.fleetdeck.project=${project}`,
    '--format',
    '{{.ID}}\t{{.Names}}\t{{.State}}\t{{.Label "dev.fleetdeck.replica"}}',
  )
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [id, name, state, replica] = l.split('\t');
      return { id: id!, name: name!, state: state!, replica: replica || /-(\d+)$/.exec(name!)?.[1] || '' };
    });

const startedAt = (ids: string[]): Map<string, string> =>
  new Map(
    docker('inspect', '-f', '{{.Id}}\t{{.State.StartedAt}}', ...ids)
      .split('\n')
      .map((l) => l.split('\t') as [string, string]),
  );

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let spare: CoreChild | undefined;

/** A child process whose imports are done (spawned while the previous one ran); its core not started yet. */
function child(): CoreChild {
  const spawnOne = () => {
    const c = new CoreChild(stateDir, ref);
    children.add(c);
    void c.exited.then(() => children.delete(c));
    return c;
  };
  const c = spare ?? spawnOne();
  spare = spawnOne();
  return c;
}

before(async () => {
  if (skip) return;
  await ensureUserImage();
  docker('network', 'create', net);
  docker(
    'run',
    '-d',
    '--name',
    `${project}-web-1`,
    '--network',
    net,
    '--network-alias',
    'web',
    '--label',
    'dev.fleetdeck.service=web',
    '--label',
    `dev.fleetdeck.project=${project}`,
    // A short stop timeout, copied to every replica: a replica stopped before its SIGTERM handler is
    // installed would otherwise hold each scale-down for 10 s.
    '--health-interval',
    '1s',
    '--health-start-period',
    '1s',
    '--stop-timeout',
    '2',
    '-p',
    '127.0.0.1::5000',
    USER_IMAGE,
  );
});

after(async () => {
  for (const c of [...children]) await c.kill();
  if (!skip) {
    removeProject(project);
    docker('network', 'rm', net);
    if (recoveries.length) {
      const ms = recoveries.map((r) => r.ms).sort((a, b) => a - b);
      console.log(`# recovery after a crash: median ${ms[ms.length >> 1]} ms, max ${ms.at(-1)} ms over ${ms.length} crashes`);
    }
  }
  rmSync(stateDir, { recursive: true, force: true });
});

type KillAt = number | { after: string; when: (events: ChildEvent[]) => boolean };

/**
 * One crash: a core brings the service to `from` replicas, begins `op`, and is SIGKILLed at `killAt`
 * (ms after the operation began, or when its own view of the service says so). A fresh core must
 * then leave exactly `expect` replicas, all running, and scale to 3 on request.
 */
async function crash(name: string, from: number, op: { op: 'scale'; n: number } | { op: 'restart' }, killAt: KillAt, expect: number) {
  const a = child();
  await a.start();
  const prep = await a.run({ op: 'scale', n: from }, 60_000);
  assert.equal(prep.ok, true, `preparing ${from} replicas: ${JSON.stringify(prep)}`);
  if (op.op === 'restart') assert.equal((await a.run({ op: 'healthy', n: from, ms: 40_000 }, 45_000)).ok, true, 'healthy before the restart');
  const before = ps();
  const startedBefore = startedAt(before.map((r) => r.id));

  const mark = a.send(op);
  await a.next((e) => e.ev === 'begun', 10_000, mark);
  if (typeof killAt === 'number') await sleep(killAt);
  else await a.next((e) => e.ev === 'progress' && killAt.when(a.events.slice(mark)), 30_000, mark);
  await a.kill();
  const left = ps();
  const states: Record<string, number> = {};
  for (const r of left) states[r.state] = (states[r.state] ?? 0) + 1;
  const notRestarted = op.op === 'restart' ? [...startedAt(left.map((r) => r.id))].filter(([id, at]) => startedBefore.get(id) === at).length : 0;
  const half = left.length !== expect || left.some((r) => r.state !== 'running') || notRestarted > 0;
  leftBehind.push({ name, states, half });

  const b = child();
  const ready = await b.start();
  recoveries.push({ name, ms: ready.recoverMs as number });
  assert.deepEqual([ready.running, ready.desired], [expect, expect], `the panel's own figures: ${JSON.stringify(ready)}`);
  const rows = ps();
  const why = JSON.stringify(rows);
  assert.deepEqual(
    rows.filter((r) => r.state === 'created'),
    [],
    `no container is left in created: ${why}`,
  );
  assert.equal(rows.length, expect, `the operation was resumed to ${expect} replicas: ${why}`);
  assert.ok(
    rows.every((r) => r.state === 'running'),
    `all run: ${why}`,
  );
  assert.equal(new Set(rows.map((r) => r.name)).size, rows.length, `no name twice: ${why}`);
  assert.equal(new Set(rows.map((r) => r.replica)).size, rows.length, `no replica number twice: ${why}`);
  if (op.op === 'restart') {
    const now = startedAt(rows.map((r) => r.id));
    for (const r of rows) assert.notEqual(now.get(r.id), startedBefore.get(r.id), `${r.name} was restarted: ${why}`);
    assert.deepEqual(rows.map((r) => r.id).sort(), before.map((r) => r.id).sort(), 'a rolling restart keeps the same containers');
  }

  const three = await b.run({ op: 'scale', n: 3 }, 60_000);
  assert.equal(three.ok, true, `scale 3 after the recovery: ${JSON.stringify(three)}`);
  assert.equal(three.running, 3, `scale 3 answers with 3 running: ${JSON.stringify(three)}`);
  const after3 = ps();
  assert.equal(after3.length, 3, JSON.stringify(after3));
  assert.ok(
    after3.every((r) => r.state === 'running'),
    JSON.stringify(after3),
  );
  await b.exit();
  console.log(`# ${name}: the crash left ${JSON.stringify(states)}; recovered ${ready.recoverMs} ms after the sync`);
}

const running = (n: number) => (events: ChildEvent[]) => events.some((e) => e.ev === 'progress' && (e.running as number) >= n);
const downTo = (n: number) => (events: ChildEvent[]) => events.some((e) => e.ev === 'progress' && (e.total as number) <= n);

for (const at of [0, 30, 60, 120, 250, 500, { after: 'the first new replica runs', when: running(2) }] as KillAt[]) {
  const when = typeof at === 'number' ? `${at} ms in` : `once ${at.after}`;
  test(`killed ${when} to a scale 1 → 5, the next core finishes it`, { skip, timeout: 90_000 }, async () => {
    await crash(`up ${when}`, 1, { op: 'scale', n: 5 }, at, 5);
  });
}

for (const at of [0, 30, 120, 300, { after: 'the first replica is gone', when: downTo(4) }] as KillAt[]) {
  const when = typeof at === 'number' ? `${at} ms in` : `once ${at.after}`;
  test(`killed ${when} to a scale 5 → 1, the next core finishes it`, { skip, timeout: 90_000 }, async () => {
    await crash(`down ${when}`, 5, { op: 'scale', n: 1 }, at, 1);
  });
}

for (const at of [0, 200, 800, 2000, 4000]) {
  test(`killed ${at} ms into a rolling restart of 3, the next core restarts the rest`, { skip, timeout: 120_000 }, async () => {
    await crash(`restart ${at} ms`, 3, { op: 'restart' }, at, 3);
  });
}

test('the crashes cut operations short, rather than all landing before or after them', { skip }, () => {
  const cut = leftBehind.filter((l) => l.half);
  const created = leftBehind.filter((l) => l.states.created);
  console.log(`# ${cut.length} of ${leftBehind.length} crashes left an operation half done; ${created.length} left containers in created`);
  assert.ok(cut.length >= leftBehind.length / 2, JSON.stringify(leftBehind));
  assert.ok(created.length >= 1, 'at least one crash fell between a create and its start');
});
