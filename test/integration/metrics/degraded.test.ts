// Starts: one sample user-service and one order-service (on a network of their own, ports published on
// 127.0.0.1) under a unique project label; a Core that scales user-service to 0 and back; at most 50
// requests to order-service for each phase. All containers and the network are removed at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { Service } from '../../../main/common/model';
import { docker, removeProject, runReplica, skipReason } from '../../helpers/docker';
import { testCore, untilServices } from '../../helpers/core';
import { USER_IMAGE, ensureUserImage } from '../../helpers/sample-image';

const skip = skipReason();
const project = `fddeg${randomBytes(3).toString('hex')}`;
const ORDER_IMAGE = 'fleetdeck/order-service:dev';
const BOUND_MS = 5_000; // the bound: degraded within 5 s of the first degraded answer

test('order-service is Degraded with its breaker open while user-service is at 0, and healthy again once it is back', { skip }, async (t) => {
  await ensureUserImage();
  const net = `${project}-net`;
  const users = `${project}-users`;
  docker('network', 'create', net);
  t.after(() => {
    removeProject(project);
    docker('network', 'rm', net);
  });
  const run = (service: string, image: string, port: number, ...more: string[]) =>
    runReplica(project, service, ['--network', net, '-p', `127.0.0.1::${port}`, ...more], image);
  run('user-service', USER_IMAGE, 5000, '--network-alias', users, '-e', 'PORT=5000');
  run('order-service', ORDER_IMAGE, 5001, '-e', 'PORT=5001', '-e', `USER_SERVICE_URL=http://${users}:5000`);

  const core = await testCore();
  t.after(() => core.stop());
  const find = (l: Service[], name: string) => l.find((s) => s.project === project && s.name === name);
  const list = await untilServices(core, (l) => find(l, 'user-service')?.running === 1 && find(l, 'order-service')?.running === 1, 30_000);
  const userId = find(list, 'user-service')!.id;
  const orderPort = find(list, 'order-service')!.instances[0]!.ports.find((p) => p.containerPort === 5001)!.hostPort!;

  // Without any chart open, the scrape finds order-service's breaker, closed, and nothing degraded.
  const before = find(await untilServices(core, (l) => !!find(l, 'order-service')?.breakers?.length, 15_000), 'order-service')!;
  assert.deepEqual(
    before.breakers!.map((b) => `${b.breaker}:${b.state}`),
    ['user-service:closed'],
  );
  assert.equal(before.degraded, undefined);

  const order = async (n: number) => {
    const r = await fetch(`http://127.0.0.1:${orderPort}/orders/${n}`);
    return (await r.json()) as { degraded?: boolean };
  };
  /** Drives requests (at most `max`, 100 ms apart) until `done`, returning how many were sent. */
  const drive = async (max: number, done: () => boolean, onAnswer: (a: { degraded?: boolean }) => void = () => {}) => {
    let sent = 0;
    while (sent < max && !done()) {
      onAnswer(await order(sent++));
      await new Promise((r) => setTimeout(r, 100));
    }
    return sent;
  };

  await core.services.scale(userId, 0);
  let firstDegraded = 0;
  let degradedNow = false;
  const watching = untilServices(
    core,
    (l) => /circuit breaker user-service (open|half-open) on/.test(find(l, 'order-service')?.degraded?.reason ?? ''),
    30_000,
  ).then((l) => ((degradedNow = true), l));
  await drive(
    50,
    () => degradedNow,
    (a) => {
      if (a.degraded && !firstDegraded) firstDegraded = Date.now();
    },
  );
  const degraded = find(await watching, 'order-service')!;
  assert.ok(firstDegraded > 0, 'order-service answered degraded once user-service was at 0');
  assert.ok(Date.now() - firstDegraded <= BOUND_MS, `degraded within 5 s of the first degraded answer (took ${Date.now() - firstDegraded} ms)`);
  assert.match(degraded.degraded!.reason, /on [\w-]+order-service-1/);
  assert.ok(degraded.breakers!.some((b) => b.state !== 'closed'));

  await core.services.scale(userId, 1);
  let healthyNow = false;
  const back = untilServices(core, (l) => !find(l, 'order-service')?.degraded && find(l, 'order-service')?.breakers?.[0]?.state === 'closed', 30_000).then(
    (l) => ((healthyNow = true), l),
  );
  // The breaker tries user-service again after its reset timeout (5 s): requests let it close.
  await drive(50, () => healthyNow);
  const healthy = find(await back, 'order-service')!;
  assert.equal(healthy.degraded, undefined);
});
