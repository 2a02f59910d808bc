// Starts: the Kubernetes API fixture on 127.0.0.1 (bearer token) with services-sample/k8s and a two-container
// Deployment, and a Fleetdeck core pointed at it: shells in pods through pods/exec, as the window opens them.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { TerminalEvent } from '../../../main/common/api';
import { ApiError } from '../../../main/common/errors';
import type { Service } from '../../../main/common/model';
import { Core } from '../../../main/core/core';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { tempDir, waitFor } from '../kube-fixture/helpers';

const root = resolve(import.meta.dirname, '../../..');
const dir = tempDir('fd-kube-term-');
const CTX = 'terminal-cluster';
const ENV = `kube:${CTX}`;
let fixture: KubeFixture;
let core: Core;

// The app container first, a sidecar after it: the terminal must land in the app, as its logs do.
const TWO_CONTAINERS = `apiVersion: apps/v1
kind: Deployment
metadata: { name: paired, namespace: fleetdeck-samples }
spec:
  replicas: 1
  selector: { matchLabels: { app: paired } }
  template:
    metadata: { labels: { app: paired } }
    spec:
      containers:
        - { name: app, image: fleetdeck/paired:1.0, env: [{ name: ROLE, value: the-app }] }
        - { name: sidecar, image: fleetdeck/proxy:1.0, env: [{ name: ROLE, value: the-sidecar }] }
`;

before(async () => {
  const kubeconfigPath = join(dir.path, 'config');
  writeFileSync(join(dir.path, 'paired.yaml'), TWO_CONTAINERS);
  fixture = await KubeFixture.start({
    kubeconfigPath,
    contextName: CTX,
    namespace: 'fleetdeck-samples',
    token: 'kube-term-token',
    readOnlyToken: 'kube-term-readonly',
    load: [join(root, 'services-sample/k8s'), join(dir.path, 'paired.yaml')],
    // Pods stay Pending for a while, so the test can try one before it runs.
    controller: { startDelayMs: 1500, readyDelayMs: 100, maxGraceMs: 300, logIntervalMs: 500 },
  });
  core = new Core({
    mode: 'cli',
    env: { ...process.env, KUBECONFIG: kubeconfigPath, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    stateDir: join(dir.path, 'state'),
  });
  await core.start();
  await waitFor('the context connected', () => core.environments.list().find((e) => e.id === ENV)?.state === 'connected');
  assert.equal(await core.serviceEnv(ENV).whenSynced(10_000), true);
  await waitFor('user-service running', () => service('user-service')?.instances.filter((i) => i.state === 'running').length === 3, 20_000);
});
after(async () => {
  core?.stop();
  await fixture?.stop();
  dir.remove();
});

const service = (name: string): Service | undefined =>
  core
    .serviceEnv(ENV)
    .services.list()
    .find((s) => s.name === name);
const runningPod = (name = 'user-service') => service(name)!.instances.find((i) => i.state === 'running')!;

/** A terminal opened as the window opens one: through the API stream, keys and sizes by terminal id. */
function openTerminal(instance: string, size = { cols: 80, rows: 24 }, backlog = () => 0) {
  const events: TerminalEvent[] = [];
  let ended = false;
  const close = core.api.streams['terminal.open']({ envId: ENV, instance, ...size }, { next: (e) => events.push(e), end: () => (ended = true), backlog });
  const output = () => events.map((e) => (e.kind === 'data' ? e.data : '')).join('');
  const ready = async () => {
    await waitFor('the shell is ready', () => events.find((e) => e.kind === 'ready' || e.kind === 'exit'), 10_000);
    const r = events.find((e) => e.kind === 'ready');
    assert.ok(r, `the shell did not start: ${JSON.stringify(events)}`);
    return r.terminalId;
  };
  const type = (terminalId: string, data: string) => core.api.methods['terminal.input']({ terminalId, data });
  return { events, output, ready, type, close, ended: () => ended };
}

test('a terminal in a pod runs what is typed and shows the answer', async () => {
  const t = openTerminal(runningPod().name);
  try {
    const id = await t.ready();
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      t.events.find((e) => e.kind === 'ready'),
      { kind: 'ready', terminalId: id, shell: 'sh' },
    );
    t.type(id, 'echo hello-$((40+2))\r');
    await waitFor('hello-42', () => t.output().includes('hello-42'), 10_000);
    t.type(id, 'echo $TERM\r');
    await waitFor('TERM set for the shell', () => t.output().includes('xterm-256color'), 10_000);
  } finally {
    t.close();
  }
});

test('a terminal opened by the pod uid (as the window does) lands in the first container, the one the service follows', async () => {
  await waitFor('paired running', () => service('paired')?.instances.some((i) => i.state === 'running'), 20_000);
  const t = openTerminal(runningPod('paired').id);
  try {
    const id = await t.ready();
    t.type(id, 'echo role=$ROLE\r');
    await waitFor('the app container answers', () => t.output().includes('role=the-app'), 10_000);
    assert.ok(!t.output().includes('the-sidecar'));
    assert.ok(fixture.requests.some((r) => /\/pods\/paired-[^/]+\/exec\?.*container=app/.test(r.url)));
  } finally {
    t.close();
  }
});

test('a resize reaches the shell (stty size says so), and resizing does not fail', async () => {
  const t = openTerminal(runningPod().name, { cols: 100, rows: 30 });
  try {
    const id = await t.ready();
    t.type(id, 'stty size\r');
    await waitFor('the opening size', () => t.output().includes('30 100'), 10_000);
    assert.equal(await core.api.methods['terminal.resize']({ terminalId: id, cols: 132, rows: 43 }), null);
    t.type(id, 'stty size\r');
    await waitFor('the new size', () => t.output().includes('43 132'), 10_000);
  } finally {
    t.close();
  }
});

test('flow control: while the viewer pauses, output is held; after resume it arrives', async () => {
  const t = openTerminal(runningPod().name);
  try {
    const id = await t.ready();
    t.type(id, 'echo warm\r');
    await waitFor('the shell answers', () => t.output().includes('warm'), 10_000);
    assert.equal(core.api.methods['terminal.flow']({ terminalId: id, paused: true }), null);
    const before = t.output().length;
    t.type(id, 'echo held-$((6*7))\r');
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(t.output().length, before, `nothing arrives while paused: ${JSON.stringify(t.output().slice(before))}`);
    core.api.methods['terminal.flow']({ terminalId: id, paused: false });
    await waitFor('the held output after resume', () => t.output().includes('held-42'), 10_000);
  } finally {
    t.close();
  }
});

test('flow control: while the pipe to the viewer is backed up, output is held; once it drains it arrives', async () => {
  let queued = 0;
  const t = openTerminal(runningPod().name, undefined, () => queued);
  try {
    const id = await t.ready();
    t.type(id, 'echo warm\r');
    await waitFor('the shell answers', () => t.output().includes('warm'), 10_000);
    queued = 4 << 20; // the pipe says it is backed up: the next chunk holds the shell
    t.type(id, 'echo first\r');
    await waitFor('the chunk that finds the pipe full', () => t.output().includes('first'), 10_000);
    await new Promise((r) => setTimeout(r, 100)); // what was read with it
    const before = t.output().length;
    t.type(id, 'echo held-$((6*7))\r');
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(t.output().length, before, `nothing arrives while the pipe is full: ${JSON.stringify(t.output().slice(before))}`);
    queued = 0;
    await waitFor('the held output once the pipe drained', () => t.output().includes('held-42'), 10_000);
  } finally {
    t.close();
  }
});

test('closing the terminal ends the exec in the pod; its id is then unknown', async () => {
  const t = openTerminal(runningPod().name);
  const id = await t.ready();
  await waitFor('the exec runs in the fixture', () => fixture.controller.openExecs === 1, 5_000);
  t.close();
  await waitFor('the exec ended', () => fixture.controller.openExecs === 0, 5_000);
  assert.throws(
    () => t.type(id, 'echo late\r'),
    (e: unknown) => e instanceof ApiError && e.code === 'NOT_FOUND',
  );
});

test('exit ends the stream with the shell’s exit code', async () => {
  const t = openTerminal(runningPod().name);
  const id = await t.ready();
  t.type(id, 'exit 3\r');
  await waitFor('the exit event', () => t.events.find((e) => e.kind === 'exit'), 10_000);
  assert.deepEqual(t.events.at(-1), { kind: 'exit', code: 3 });
  assert.ok(t.ended(), 'the stream ends after exit');
});

test('a pod that goes away ends its shell, saying why', async () => {
  const pod = runningPod();
  const t = openTerminal(pod.name);
  await t.ready();
  await core.api.methods['instances.action']({ envId: ENV, instance: pod.name, action: 'remove' });
  const exit = await waitFor('the exit event', () => t.events.find((e) => e.kind === 'exit'), 10_000);
  assert.equal(exit.kind === 'exit' && exit.code, 137);
  assert.match(exit.kind === 'exit' ? (exit.message ?? '') : '', new RegExp(`${pod.name} is no longer running`));
  assert.ok(t.ended());
});

test('a pod that is not running is refused with CONFLICT', async () => {
  const svc = service('order-service')!;
  await core.api.methods['services.scale']({ serviceId: svc.id, replicas: svc.desired + 1 });
  const pending = await waitFor('a Pending pod', () => service('order-service')!.instances.find((i) => i.state === 'starting'), 10_000);
  assert.throws(
    () => core.api.streams['terminal.open']({ envId: ENV, instance: pending.name, cols: 80, rows: 24 }, { next: () => {}, end: () => {} }),
    (e: unknown) =>
      e instanceof ApiError &&
      e.code === 'CONFLICT' &&
      e.message === `${pending.name} is Pending, so no terminal can be opened in it.` &&
      /Running/.test(e.hint ?? ''),
  );
});

test('a kubeconfig user who may not exec is told so, with what to do', async (t) => {
  const readOnly = join(dir.path, 'readonly-config');
  writeFileSync(readOnly, JSON.stringify(fixture.kubeconfig()).replace('kube-term-token', 'kube-term-readonly'));
  const viewer = new Core({
    mode: 'cli',
    env: { ...process.env, KUBECONFIG: readOnly, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    stateDir: join(dir.path, 'state-readonly'),
  });
  t.after(() => viewer.stop());
  await viewer.start();
  const d = viewer.serviceEnv(ENV);
  await waitFor('the read-only view is listed', async () => (await d.whenSynced(1000)) && d.services.list().some((s) => s.name === 'user-service'), 15_000);
  const pod = d.services
    .list()
    .find((s) => s.name === 'user-service')!
    .instances.find((i) => i.state === 'running')!;
  const events: TerminalEvent[] = [];
  viewer.api.streams['terminal.open']({ envId: ENV, instance: pod.name, cols: 80, rows: 24 }, { next: (e) => events.push(e), end: () => {} });
  const exit = await waitFor('the refusal', () => events.find((e) => e.kind === 'exit'), 10_000);
  assert.deepEqual(exit, {
    kind: 'exit',
    code: null,
    message:
      'Your kubeconfig user may not open shells in namespace fleetdeck-samples (pods/exec is forbidden, HTTP 403). Ask for the pods/exec permission there.',
  });
  assert.ok(!events.some((e) => e.kind === 'ready'));
});

test('the cluster going away ends an open shell, saying so', async () => {
  const t = openTerminal(runningPod().name);
  await t.ready();
  await fixture.restart(300);
  const exit = await waitFor('the exit event', () => t.events.find((e) => e.kind === 'exit'), 10_000);
  assert.deepEqual(exit, {
    kind: 'exit',
    code: null,
    message: `The connection to ${CTX} closed, so this terminal ended. Open a new terminal when the cluster answers.`,
  });
  await waitFor('connected again', () => core.environments.list().find((e) => e.id === ENV)?.state === 'connected', 15_000);
});
