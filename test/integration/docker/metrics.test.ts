// Starts: two sample user-service replicas (one injecting 5xx with FAULT_ERROR_RATE) under a unique
// project label, and a bounded burst of requests to them on 127.0.0.1; all removed at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { MetricPoint, MetricsEvent } from '../../../main/common/model';
import { docker, removeProject, skipReason } from '../../helpers/docker';
import { testCore, untilServices } from '../../helpers/core';
import { USER_IMAGE, ensureUserImage } from '../../helpers/sample-image';

const skip = skipReason();
const project = `fdmet${randomBytes(3).toString('hex')}`;

test('a service’s metrics: CPU and memory per instance, and its own request rate, 5xx rate and p95', { skip }, async (t) => {
  await ensureUserImage();
  for (const [n, faults] of [
    [1, '0'],
    [2, '1'],
  ] as const) {
    docker(
      'run',
      '-d',
      '--name',
      `${project}-api-${n}`,
      '--label',
      'dev.fleetdeck.service=api',
      '--label',
      `dev.fleetdeck.project=${project}`,
      '-e',
      `FAULT_ERROR_RATE=${faults}`,
      '-p',
      '127.0.0.1::5000',
      USER_IMAGE,
    );
  }
  const core = await testCore();
  t.after(() => {
    core.stop();
    removeProject(project);
  });
  const svc = (await untilServices(core, (l) => l.find((s) => s.project === project)?.running === 2)).find((s) => s.project === project)!;
  const points: MetricPoint[] = [];
  let history: MetricPoint[] | undefined;
  const stop = core.api.streams['metrics.watch'](
    { envId: 'docker:local', serviceId: svc.id },
    {
      next: (e: MetricsEvent) => (e.kind === 'history' ? (history = e.points) : e.kind === 'point' ? points.push(e.point) : undefined),
      end: () => {},
    },
  );
  t.after(stop);
  assert.deepEqual(history, [], 'a first watch starts with an empty history');

  const ports = svc.instances.map((i) => i.ports.find((p) => p.containerPort === 5000)!.hostPort!);
  const deadline = Date.now() + 20_000;
  const answered = async () => {
    for (const port of ports) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        () => true,
        () => false,
      );
      if (!ok) return false;
    }
    return true;
  };
  while (!(await answered())) {
    if (Date.now() > deadline) throw new Error('the replicas did not answer');
    await new Promise((r) => setTimeout(r, 200));
  }
  // Bounded load: at most 12 s, 20 requests every 100 ms, spread over both replicas.
  const seen = (p: MetricPoint) => (p.rps ?? 0) > 1 && (p.errorsPerSecond ?? 0) > 0 && (p.p95Ms ?? 0) > 0;
  const loadEnd = Date.now() + 12_000;
  while (!points.some(seen) && Date.now() < loadEnd) {
    await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        fetch(`http://127.0.0.1:${ports[k % 2]}/user/${k}`).then(
          (r) => r.text(),
          () => '',
        ),
      ),
    );
    await new Promise((r) => setTimeout(r, 100));
  }
  const p = points.find(seen);
  assert.ok(p, `a point with requests, errors and latency; last: ${JSON.stringify(points.at(-1))}`);
  assert.ok(p.errorsPerSecond! < p.rps!, 'errors are a part of the requests');
  const last = points.at(-1)!;
  assert.deepEqual(Object.keys(last.instances).sort(), svc.instances.map((i) => i.name).sort());
  assert.ok(last.memMiB > 10, `memory ${last.memMiB} MiB`);
  assert.ok(
    points.some((x) => x.cpuPercent > 0),
    'CPU moved under load',
  );
  assert.ok(
    points.some((x) => (x.rxKBps ?? 0) > 0),
    'network moved under load',
  );

  // A second watcher gets what was already measured.
  let second: MetricPoint[] = [];
  const stop2 = core.api.streams['metrics.watch'](
    { envId: 'docker:local', serviceId: svc.id },
    {
      next: (e: MetricsEvent) => e.kind === 'history' && (second = e.points),
      end: () => {},
    },
  );
  stop2();
  assert.ok(second.length >= points.length - 1, 'the history holds the points so far');
});
