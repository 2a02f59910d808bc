// Starts: one sample user-service (port published on 127.0.0.1) under a unique project label, a
// collecting Core (as serve runs it) that scales it to 2, at most 40 requests to it; then a second Core
// on the same state folder, as after a restart. Containers are removed at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Service } from '../../../main/common/model';
import { Core } from '../../../main/core/core';
import { removeProject, runReplica, skipReason } from '../../helpers/docker';
import { untilServices } from '../../helpers/core';
import { USER_IMAGE, ensureUserImage } from '../../helpers/sample-image';
import { waitFor } from '../kube-fixture/helpers';

const skip = skipReason();
const project = `fdhist${randomBytes(3).toString('hex')}`;

function collectingCore(stateDir: string, mode: 'serve' | 'cli'): Core {
  return new Core({ mode, stateDir, env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig', FLEETDECK_LOGS: 'off' } });
}

test('figures are kept with no chart open, with the scale marked, and read back after the panel restarts', { skip }, async (t) => {
  await ensureUserImage();
  t.after(() => removeProject(project));
  runReplica(project, 'user-service', ['-p', '127.0.0.1::5000', '-e', 'PORT=5000'], USER_IMAGE);
  const stateDir = mkdtempSync(join(tmpdir(), 'fd-hist-'));
  const started = Date.now();

  const core = await collectingCore(stateDir, 'serve').start();
  let closed = false;
  t.after(() => !closed && core.stop());
  const find = (l: Service[]) => l.find((s) => s.project === project && s.name === 'user-service');
  const svc = find(await untilServices(core, (l) => find(l)?.running === 1, 30_000))!;
  const port = svc.instances[0]!.ports.find((p) => p.containerPort === 5000)!.hostPort!;

  // A few requests while nobody watches: the request rate is recorded anyway.
  let sent = 0;
  await waitFor(
    'a recorded point with a request rate',
    async () => {
      if (sent < 40) {
        sent++;
        await fetch(`http://127.0.0.1:${port}/users/1`).then((r) => r.arrayBuffer());
      }
      return (core.metrics.latest(svc.id)?.rps ?? 0) > 0;
    },
    30_000,
    250,
  );
  await core.services.scale(svc.id, 2);
  await waitFor('points of both replicas', () => Object.keys(core.metrics.latest(svc.id)?.instances ?? {}).length === 2, 30_000, 250);
  await core.close();
  closed = true;

  const again = await collectingCore(stateDir, 'cli').start();
  t.after(() => again.stop());
  const range = await again.api.methods['metrics.range']({ envId: 'docker:local', serviceId: svc.id, from: started, to: Date.now(), maxPoints: 900 });
  assert.equal(range.source, 'local');
  assert.equal(range.stepMs, 1000, 'a few minutes come from the 1 s tier');
  assert.ok(range.points.length >= 5, `got ${range.points.length} points`);
  assert.ok(
    range.points.every((p, i) => i === 0 || p.t > range.points[i - 1]!.t),
    'points in time order',
  );
  assert.ok(
    range.points.some((p) => (p.rps ?? 0) > 0),
    'the requests sent are in the history',
  );
  assert.ok(
    range.points.every((p) => p.memMiB > 0),
    'every point has the replicas’ memory',
  );
  const names = new Set(range.points.flatMap((p) => Object.keys(p.instances)));
  assert.deepEqual([...names].sort(), [`${project}-user-service-1`, `${project}-user-service-2`].sort());
  assert.deepEqual(
    range.markers.map((m) => [m.kind, m.text]),
    [['scale', 'scaled 1 → 2']],
  );
});
