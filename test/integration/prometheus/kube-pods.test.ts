// Starts: the Kubernetes API fixture on 127.0.0.1 with services-sample/k8s (a Core on it, in serve
// mode); one sample user-service container (port on 127.0.0.1) standing in for the fixture's
// user-service pod, whose /metrics no one could reach; the real Prometheus scraping that container
// with the pod's namespace and name as labels, as a cluster's Prometheus labels a pod. 200 requests
// over 10 s. Everything is stopped and removed at the end.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import type { MetricPoint } from '../../../main/common/model';
import { Core } from '../../../main/core/core';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { docker, removeProject, runReplica, skipReason } from '../../helpers/docker';
import { USER_IMAGE, ensureUserImage } from '../../helpers/sample-image';
import { FAST, tempDir, waitFor } from '../kube-fixture/helpers';
import { dockerScrapeConfig, prometheusSkipReason, startPrometheus } from './prometheus-server';

const skip = skipReason() || prometheusSkipReason();
const project = `fdpromk${randomBytes(3).toString('hex')}`;
const root = resolve(import.meta.dirname, '../../..');
const NS = 'fleetdeck-samples';

test('a context that names a Prometheus gets its pods’ request rate, 5xx and p95 from it', { skip, timeout: 180_000 }, async (t) => {
  await ensureUserImage();
  const dir = tempDir('fd-promk-');
  t.after(() => dir.remove());
  const kubeconfigPath = join(dir.path, 'config');
  const fixture = await KubeFixture.start({ kubeconfigPath, contextName: 'prom', namespace: NS, load: [join(root, 'services-sample/k8s')], controller: FAST });
  t.after(() => fixture.stop());
  const core = new Core({
    mode: 'serve',
    env: { ...process.env, KUBECONFIG: kubeconfigPath, DOCKER_HOST: 'unix:///nonexistent/docker.sock', FLEETDECK_LOGS: 'off' },
    stateDir: join(dir.path, 'state'),
  });
  await core.start();
  t.after(() => core.stop());
  const driver = core.environments.get('kube:prom');
  await waitFor('connected', () => driver.state === 'connected', 15_000);
  await driver.whenSynced(10_000);
  const user = await waitFor('user-service', () => driver.services.list().find((s) => s.name === 'user-service'), 15_000);
  await driver.services.scale(user.id, 1);
  const onePod = () => {
    const list = driver.services.get(user.id).instances;
    return list.length === 1 ? list[0] : undefined;
  };
  const pod = (await waitFor('one pod', onePod, 15_000)).name;

  t.after(() => removeProject(project));
  runReplica(project, 'user-service', ['-p', '127.0.0.1::5000', '-e', 'PORT=5000'], USER_IMAGE);
  const port = Number(docker('port', `${project}-user-service-1`, '5000/tcp').split('\n')[0]!.split(':').pop());
  const prom = await startPrometheus(dockerScrapeConfig(project, 1, { namespace: NS, name: pod }));
  t.after(() => prom.stop());

  // Before: the pods' figures are CPU and memory only.
  const before = (await core.api.methods['environments.list']({})).find((e) => e.id === 'kube:prom')!;
  assert.equal(before.capabilities.metrics.includes('requests'), false);
  const env = await core.api.methods['environments.setPrometheus']({ id: 'kube:prom', url: prom.url, scrapeIntervalSeconds: 1 });
  assert.equal(env.prometheus?.url, prom.url);
  assert.ok(env.capabilities.metrics.includes('requests'));

  const points: MetricPoint[] = [];
  const w = driver.watchMetrics(
    user.id,
    (p) => points.push(p),
    () => {},
  );
  t.after(() => w.stop());
  const from = Date.now();
  for (let i = 0; i < 200; i++) {
    await (await fetch(`http://127.0.0.1:${port}/user/${i}`)).arrayBuffer();
    const next = from + ((i + 1) * 10_000) / 200;
    if (next > Date.now()) await new Promise((r) => setTimeout(r, next - Date.now()));
  }
  const busy = await waitFor('a point with the pod’s requests', () => points.find((p) => (p.rps ?? 0) > 5 && p.instances[pod]?.rps !== undefined), 20_000, 200);
  // 20 requests a second were sent; a rate over the last four scrapes.
  assert.ok(busy.rps! > 10 && busy.rps! < 30, `about 20 requests/s (${busy.rps})`);
  assert.equal(busy.errorsPerSecond, 0);
  assert.ok(busy.p95Ms !== undefined && busy.p95Ms > 0);
  assert.equal(busy.instances[pod]!.rps, busy.rps, 'one pod: its figures are the service’s');

  // History of the workload: the store has no request figures of pods, so Prometheus answers.
  const range = await core.api.methods['metrics.range']({ envId: 'kube:prom', serviceId: user.id, from: from - 60_000, to: Date.now(), maxPoints: 300 });
  assert.equal(range.source, 'prometheus');
  assert.ok(range.points.some((p) => (p.rps ?? 0) > 5));
});
