// Starts: the Kubernetes API fixture on 127.0.0.1 loaded with services-sample/k8s, and the built CLI
// (dist/main/cli.js) pointed at it with a kubeconfig: ls, scale, restart and logs with kubectl's --context.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { FAST, tempDir } from '../kube-fixture/helpers';

const root = resolve(import.meta.dirname, '../../..');
const built = existsSync(resolve(root, 'dist/main/cli.js'));
const skip = built ? false : 'dist/main/cli.js is missing; run "npm run build" first';
if (skip) console.log(`# skipped: ${skip}`);
const dir = tempDir('fd-cli-kube-');
const CTX = 'fleetdeck-fixture';
const NS = 'fleetdeck-samples';
const kubeconfig = join(dir.path, 'config');
let fixture: KubeFixture;

before(async () => {
  if (skip) return;
  fixture = await KubeFixture.start({
    kubeconfigPath: kubeconfig,
    contextName: CTX,
    namespace: NS,
    token: 'cli-kube-token',
    load: [join(root, 'services-sample/k8s')],
    controller: FAST,
  });
});
after(async () => {
  await fixture?.stop();
  dir.remove();
});

const env = () => ({ ...process.env, KUBECONFIG: kubeconfig, DOCKER_HOST: 'unix:///nonexistent/docker.sock', FLEETDECK_STATE_DIR: join(dir.path, 'state') });

/** Async: the fixture answers from this process, so the CLI must not block it. */
async function fleetdeck(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, [resolve(root, 'bin/fleetdeck.js'), ...args], { env: env(), timeout: 120_000 });
    return { status: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

test('ls --context lists the Deployments of the context as services with their pods', { skip }, async () => {
  const r = await fleetdeck('ls', '--context', CTX);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^${NS}/user-service\\s+deployment\\s+\\d/\\d`, 'm'));
  assert.match(r.stdout, /^ {2}user-service-[a-z0-9]+-[a-z0-9]+\s/m);
  const json = await fleetdeck('ls', '--env', `kube:${CTX}`, '--json');
  assert.equal(json.status, 0, json.stderr);
  const list = JSON.parse(json.stdout) as { name: string; group: string }[];
  assert.deepEqual(list.map((s) => s.name).sort(), ['order-service', 'user-service']);
});

test('scale --context waits until the pods are ready and says so; the cluster agrees', { skip }, async () => {
  const r = await fleetdeck('scale', 'user-service', '1', '--context', CTX);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /user-service scaled to 1 \(1\/1 running\)/);
  assert.match(r.stderr, /user-service: \d\/\d ready/, 'progress while it waited');
  const dep = (await (
    await fetch(`${fixture.url}/apis/apps/v1/namespaces/${NS}/deployments/user-service`, { headers: { authorization: 'Bearer cli-kube-token' } })
  ).json()) as { spec: { replicas: number } };
  assert.equal(dep.spec.replicas, 1);
  const up = await fleetdeck('scale', `${NS}/user-service`, '2', '--context', CTX, '--json');
  assert.equal(up.status, 0, up.stderr);
  const svc = JSON.parse(up.stdout) as { desired: number; healthy: number };
  assert.equal(svc.desired, 2);
  assert.equal(svc.healthy, 2);
});

test('restart --context rolls the Deployment and ends with every pod ready', { skip }, async () => {
  const r = await fleetdeck('restart', 'order-service', '--context', CTX);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /order-service restarted \(\d\/\d ready\)/);
});

test('logs --context follows every pod of a service, merged and prefixed', { skip }, async () => {
  const child = spawn(process.execPath, [resolve(root, 'bin/fleetdeck.js'), 'logs', 'order-service', '-f', '--context', CTX, '--tail', '1'], { env: env() });
  let out = '';
  const got = await new Promise<boolean>((ok) => {
    const t = setTimeout(() => ok(false), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^\d\d:\d\d:\d\d\.\d{3} order-service-\S+ /m.test(out)) {
        clearTimeout(t);
        ok(true);
      }
    });
  });
  child.kill('SIGINT');
  const code = await new Promise<number | null>((ok) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (c) => (clearTimeout(hard), ok(c)));
  });
  assert.ok(got, `a prefixed line from an order-service pod within 30 s; got: ${out.slice(0, 300)}`);
  assert.equal(code, 0, 'Ctrl+C ends it cleanly');
});

test('an unknown context is exit 3 naming the known ones; an unreachable engine is exit 4', { skip }, async () => {
  const r = await fleetdeck('ls', '--context', 'staging');
  assert.equal(r.status, 3);
  assert.match(r.stderr, /No Kubernetes context "staging".*kube:fleetdeck-fixture/);
  const d = await fleetdeck('ls', '--env', 'docker:local');
  assert.equal(d.status, 4, d.stderr);
  assert.match(d.stderr, /Cannot reach the Docker engine/);
});

test('-n picks the namespace, as kubectl does', { skip }, async () => {
  const r = await fleetdeck('ls', '--context', CTX, '-n', NS);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^${NS}/order-service\\s+deployment`, 'm'));
  const none = await fleetdeck('ls', '--context', CTX, '-n', 'kube-system', '--json');
  assert.equal(none.status, 0, none.stderr);
  assert.deepEqual(JSON.parse(none.stdout), []);
});
