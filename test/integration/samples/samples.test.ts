// Starts: user-service ×1 and order-service ×1 on the real Docker engine (unique project label and network), through startSamples; removes them after.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LABEL_PROJECT, networkName, startSamples, stopSamples, type StartSamplesResult } from '../../../main/core/samples';
import { dockerOrSkip, ensureSampleImages, getJson, sleep, uniqueProject } from './helpers';

const engine = await dockerOrSkip();

function breakerOpen(metrics: string): boolean {
  return metrics.includes('circuit_breaker_state{breaker="user-service",state="open"} 1');
}

describe('sample services in containers', { skip: engine.skip }, () => {
  const docker = engine.docker!;
  const project = uniqueProject('samples');
  let started: StartSamplesResult;
  const url = (service: string) => started.instances.find((i) => i.service === service)!.url;

  before(async () => {
    await ensureSampleImages(docker);
    started = await startSamples(docker, {
      project,
      replicas: { 'user-service': 1, 'order-service': 1 },
      env: { 'order-service': { BREAKER_RESET_MS: '1000' } },
    });
  });

  after(async () => {
    const stopped = await stopSamples(docker, { project });
    assert.equal(stopped.removed.length, 2);
    assert.equal((await docker.listContainers({ all: true, filters: { label: [`${LABEL_PROJECT}=${project}`] } })).length, 0);
    await assert.rejects(docker.getNetwork(networkName(project)).inspect(), /no such network|404/i);
  });

  test('containers carry the labels, publish on 127.0.0.1 only, and sit on the project network', async () => {
    assert.equal(started.instances.length, 2);
    for (const instance of started.instances) {
      const info = await docker.getContainer(instance.id).inspect();
      assert.equal(info.Config.Labels['dev.fleetdeck.service'], instance.service);
      assert.equal(info.Config.Labels['dev.fleetdeck.project'], project);
      assert.equal(info.Config.Labels['dev.fleetdeck.replica'], '1');
      const bindings = Object.values(info.NetworkSettings.Ports ?? {}).flat();
      assert.ok(bindings.length > 0 && bindings.every((b) => b?.HostIp === '127.0.0.1'));
      assert.ok(info.NetworkSettings.Networks[networkName(project)]?.Aliases?.includes(instance.service));
    }
  });

  test('starting again is idempotent: nothing duplicated', async () => {
    const again = await startSamples(docker, { project, replicas: { 'user-service': 1, 'order-service': 1 } });
    assert.deepEqual(again.instances.map((i) => i.id).sort(), started.instances.map((i) => i.id).sort());
    assert.ok(again.instances.every((i) => i.action === 'kept'));
  });

  test('order-service reaches user-service by its alias', async () => {
    const res = await getJson(`${url('order-service')}/orders/7`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.user, { id: 8, name: 'User 8' });
    assert.equal(res.body.degraded, false);
  });

  test('user-service stopped: degraded within 1 s, breaker open; back: orders whole again', async () => {
    const user = docker.getContainer(started.instances.find((i) => i.service === 'user-service')!.id);
    await user.stop({ t: 10 });
    let open = false;
    for (let i = 0; i < 10 && !open; i++) {
      const res = await getJson(`${url('order-service')}/orders/${i}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.degraded, true, JSON.stringify(res.body));
      assert.ok(res.ms < 1000, `degraded answer took ${res.ms.toFixed(0)} ms`);
      open = breakerOpen((await getJson(`${url('order-service')}/metrics`)).body);
    }
    assert.ok(open, 'circuit_breaker_state{state="open"} is 1');

    await user.start();
    let whole = false;
    for (let i = 0; i < 60 && !whole; i++) {
      await sleep(250);
      const res = await getJson(`${url('order-service')}/orders/7`);
      whole = res.status === 200 && res.body.degraded === false;
    }
    assert.ok(whole, 'orders whole again within 15 s of user-service restarting');
    assert.ok(!breakerOpen((await getJson(`${url('order-service')}/metrics`)).body));
  });
});
