// Starts: a container of the sample user-service image on the running engine (unique project label and
// network, removed at the end), and the Kubernetes API fixture on 127.0.0.1 with services-sample/k8s.
// The same checks run against both drivers, through the EnvironmentDriver interface only.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApiError } from '../../../main/common/errors';
import type { TerminalEvent } from '../../../main/common/api';
import type { LogEvent, Service } from '../../../main/common/model';
import { Core } from '../../../main/core/core';
import type { EnvironmentDriver } from '../../../main/core/env/driver';
import { followLogs } from '../../../main/core/logs/follow-logs';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { testCore } from '../../helpers/core';
import { docker, removeProject, skipReason } from '../../helpers/docker';
import { USER_IMAGE, ensureUserImage } from '../../helpers/sample-image';
import { FAST, tempDir, waitFor } from '../kube-fixture/helpers';

interface Subject {
  driver: EnvironmentDriver;
  /** The core's terminals, where typed keys go by terminal id. */
  terminals: Core['terminals'];
  /** The service the checks scale, restart and follow. */
  serviceId: string;
}

function contract(name: string, skip: string | false, setup: () => Promise<Subject>, teardown: () => Promise<void> | void) {
  describe(`driver contract: ${name}`, { skip }, () => {
    let s: Subject;
    const svc = (): Service | undefined => s.driver.services.list().find((x) => x.id === s.serviceId);
    const running = () => svc()?.instances.filter((i) => i.state === 'running').length ?? -1;
    before(async () => {
      s = await setup();
      assert.equal(await s.driver.whenSynced(15_000), true, 'the first list arrives');
      await waitFor('the service is listed', () => svc(), 15_000);
    });
    after(teardown);

    test('describes itself: id, kind, name, a connection state, and the capabilities it declares', () => {
      const e = s.driver.describe();
      assert.equal(e.id, s.driver.id);
      assert.equal(e.kind, s.driver.kind);
      assert.equal(e.state, 'connected');
      assert.deepEqual(e.capabilities, s.driver.capabilities);
      assert.ok(s.driver.services.list().every((x) => x.envId === s.driver.id && x.id.startsWith(`${s.driver.id}/`)));
    });

    test('scale up and down, and the list shows the count', async () => {
      assert.equal(s.driver.capabilities.scale, true);
      await assert.rejects(s.driver.services.scale(s.serviceId, -1), /0 or more/);
      await s.driver.services.scale(s.serviceId, 2);
      await waitFor('2 running', () => running() === 2 && svc()!.desired === 2, 30_000);
      await s.driver.services.scale(s.serviceId, 1);
      await waitFor('1 running', () => running() === 1 && svc()!.instances.length === 1 && svc()!.desired === 1, 30_000);
    });

    test('rolling restart replaces the instance and keeps the count', async () => {
      assert.equal(s.driver.capabilities.rollingRestart, true);
      const before = svc()!.instances.map((i) => `${i.id}@${i.startedAt}`);
      await s.driver.services.rollingRestart(s.serviceId);
      await waitFor(
        'a restarted instance',
        () => running() === 1 && svc()!.instances.length === 1 && !before.includes(`${svc()!.instances[0]!.id}@${svc()!.instances[0]!.startedAt}`),
        30_000,
      );
    });

    test('instance actions: those declared work, the others are refused', async () => {
      const actions = s.driver.capabilities.instanceActions;
      assert.ok(actions.includes('restart'));
      const inst = svc()!.instances[0]!;
      const was = `${inst.id}@${inst.startedAt}`;
      await s.driver.services.instanceAction(inst.name, 'restart');
      // Docker restarts the container (a new start time), Kubernetes replaces the pod (a new id).
      const fresh = () => svc()!.instances.filter((i) => i.state === 'running' && `${i.id}@${i.startedAt}` !== was).length === 1;
      await waitFor('running again after the restart', () => running() === 1 && fresh(), 30_000);
      for (const a of (['start', 'stop', 'restart', 'remove'] as const).filter((x) => !actions.includes(x))) {
        await assert.rejects(s.driver.services.instanceAction(svc()!.instances[0]!.name, a), ApiError, `${a} is not declared, so it is refused`);
      }
    });

    test('logs of a whole service are followed', async () => {
      const events: LogEvent[] = [];
      const stop = followLogs(s.driver, { serviceId: s.serviceId, tail: 50 }, { next: (e) => events.push(e), backlog: () => 0 });
      try {
        await waitFor('log lines', () => events.some((e) => e.kind === 'lines' && e.entries.length > 0), 20_000);
      } finally {
        stop();
      }
    });

    test('a metrics watch yields points or says why there are none, with the fields declared', async () => {
      let problem: string | undefined;
      const points: number[] = [];
      const w = s.driver.watchMetrics(
        s.serviceId,
        (p) => points.push(p.t),
        (m) => (problem = m),
      );
      try {
        assert.ok(Array.isArray(w.history));
        await waitFor('a point or a problem', () => points.length > 0 || problem, 15_000);
      } finally {
        w.stop();
      }
      assert.ok(s.driver.capabilities.metrics.includes('cpu') && s.driver.capabilities.metrics.includes('memory'));
    });

    test('a terminal opens in a running instance, answers what is typed, and closes', async () => {
      assert.equal(s.driver.capabilities.terminal, true, 'both drivers open terminals');
      const instance = svc()!.instances.find((i) => i.state === 'running')!.name;
      const events: TerminalEvent[] = [];
      const close = s.driver.openTerminal({ instance, cols: 80, rows: 24, emit: (e) => events.push(e), backlog: () => 0 });
      const output = () => events.map((e) => (e.kind === 'data' ? e.data : '')).join('');
      try {
        const ready = await waitFor('the shell is ready', () => events.find((e) => e.kind === 'ready' || e.kind === 'exit'), 15_000);
        assert.ok(ready.kind === 'ready', `events: ${JSON.stringify(events)}`);
        s.terminals.input(ready.terminalId, 'echo contract-$((40+2))\r');
        await waitFor('the answer', () => output().includes('contract-42'), 10_000);
        await s.terminals.resize(ready.terminalId, 100, 30);
      } finally {
        close();
      }
    });

    test('activity and namespaces are there exactly where declared', async () => {
      const c = s.driver.capabilities;
      assert.equal(s.driver.eventsPerSecond() !== undefined, c.activity);
      if (!c.namespaces) await assert.rejects(s.driver.setNamespaces(['default']), ApiError);
      else assert.ok(s.driver.describe().namespaces, 'a driver with namespaces says which it watches');
    });

    test('inspect is there where declared: facts, env, raw, and a revealed value equal to the engine’s own', async () => {
      const c = s.driver.capabilities;
      const instance = svc()!.instances.find((i) => i.state === 'running')!.name;
      if (!c.inspect) {
        await assert.rejects(s.driver.inspect(instance), ApiError);
        return;
      }
      const got = await s.driver.inspect(instance);
      assert.equal(got.envId, s.driver.id);
      assert.equal(got.instance, instance);
      assert.ok(got.facts.length > 3, 'facts about the instance');
      assert.ok(got.facts.every((f) => f.label && typeof f.value === 'string'));
      assert.ok(got.raw.text.includes(instance), 'the raw view names the instance');
      assert.ok(
        got.env.every((e) => (e.secret ? e.value === undefined : true)),
        'no kept-back value is in the answer',
      );
      const shown = got.env.find((e) => !e.secret && e.value !== undefined);
      if (shown) assert.equal(await s.driver.revealEnv(instance, shown.name), shown.value);
      await assert.rejects(s.driver.revealEnv(instance, 'FLEETDECK_NO_SUCH_VARIABLE'), (e: unknown) => e instanceof ApiError && e.code === 'NOT_FOUND');
      await assert.rejects(s.driver.inspect('no-such-instance-anywhere'), (e: unknown) => e instanceof ApiError && e.code === 'NOT_FOUND');
    });
  });
}

// ---- Docker: the real engine ----
const dockerSkip = skipReason();
const project = `fdctr${randomBytes(3).toString('hex')}`;
const net = `${project}-net`;
let dockerCore: Core | undefined;
contract(
  'Docker',
  dockerSkip,
  async () => {
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
      '--health-interval',
      '1s',
      '--health-start-period',
      '1s',
      '-p',
      '127.0.0.1::5000',
      USER_IMAGE,
    );
    dockerCore = await testCore();
    const driver = dockerCore.environments.get('docker:local');
    await waitFor('the container is discovered', () => driver.services.list().find((x) => x.project === project), 15_000);
    return { driver, terminals: dockerCore.terminals, serviceId: driver.services.list().find((x) => x.project === project)!.id };
  },
  () => {
    dockerCore?.stop();
    removeProject(project);
    try {
      docker('network', 'rm', net);
    } catch {
      /* not made */
    }
  },
);

// ---- Kubernetes: the API fixture ----
const root = resolve(import.meta.dirname, '../../..');
const dir = tempDir('fd-contract-');
let fixture: KubeFixture | undefined;
let kubeCore: Core | undefined;
contract(
  'Kubernetes',
  false,
  async () => {
    const kubeconfigPath = join(dir.path, 'config');
    fixture = await KubeFixture.start({
      kubeconfigPath,
      contextName: 'contract',
      namespace: 'fleetdeck-samples',
      load: [join(root, 'services-sample/k8s')],
      controller: FAST,
    });
    kubeCore = new Core({
      mode: 'cli',
      env: { ...process.env, KUBECONFIG: kubeconfigPath, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      stateDir: join(dir.path, 'state'),
    });
    await kubeCore.start();
    const driver = kubeCore.environments.get('kube:contract');
    await waitFor('connected', () => driver.state === 'connected');
    await driver.whenSynced(10_000);
    const user = await waitFor('user-service', () => driver.services.list().find((x) => x.name === 'user-service'));
    // Start from one pod, as the Docker service does.
    await driver.services.scale(user.id, 1);
    await waitFor('one pod', () => driver.services.get(user.id).instances.length === 1, 15_000);
    return { driver, terminals: kubeCore.terminals, serviceId: user.id };
  },
  async () => {
    kubeCore?.stop();
    await fixture?.stop();
    dir.remove();
  },
);
