// Starts: the Kubernetes API fixture on 127.0.0.1 loaded with services-sample/k8s plus a pod template
// holding a literal token, and the built CLI (dist/main/cli.js) pointed at it: fleetdeck inspect.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { InstanceInspect } from '../../../main/common/model';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { FAST, tempDir, waitFor } from '../kube-fixture/helpers';

const root = resolve(import.meta.dirname, '../../..');
const built = existsSync(resolve(root, 'dist/main/cli.js'));
const skip = built ? false : 'dist/main/cli.js is missing; run "npm run build" first';
if (skip) console.log(`# skipped: ${skip}`);
const dir = tempDir('fd-cli-inspect-');
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
    load: [join(root, 'services-sample/k8s')],
    controller: FAST,
  });
  // A literal secret-looking value, as people do put them in manifests.
  await fetch(`${fixture.url}/apis/apps/v1/namespaces/${NS}/deployments/user-service`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/strategic-merge-patch+json', authorization: 'Bearer fixture-anonymous' },
    body: JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'user-service', env: [{ name: 'API_TOKEN', value: 'tok-cli-secret' }] }] } } } }),
  }).then((r) => assert.equal(r.status, 200));
});
after(async () => {
  await fixture?.stop();
  dir.remove();
});

const env = () => ({ ...process.env, KUBECONFIG: kubeconfig, DOCKER_HOST: 'unix:///nonexistent/docker.sock', FLEETDECK_STATE_DIR: join(dir.path, 'state') });

async function fleetdeck(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, [resolve(root, 'bin/fleetdeck.js'), ...args], { env: env(), timeout: 120_000 });
    return { status: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

/** A user-service pod of the new template, running and with its Started event. */
async function pod(): Promise<string> {
  return waitFor(
    'a pod of the patched template, started',
    async () => {
      const pods = (await (await fetch(`${fixture.url}/api/v1/namespaces/${NS}/pods?labelSelector=app.kubernetes.io%2Fname%3Duser-service`)).json()) as {
        items: { metadata: { name: string; deletionTimestamp?: string }; spec: { containers: { env?: { name: string }[] }[] }; status: { phase?: string } }[];
      };
      const p = pods.items.find(
        (x) => !x.metadata.deletionTimestamp && x.status.phase === 'Running' && x.spec.containers[0]!.env?.some((e) => e.name === 'API_TOKEN'),
      );
      return p?.metadata.name;
    },
    20_000,
  );
}

test('inspect --context prints the pod as kubectl describe would, the token kept back', { skip }, async () => {
  const name = await pod();
  const r = await fleetdeck('inspect', name, '--context', CTX, '-n', NS);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Name:\\s+${name}$`, 'm'));
  assert.match(r.stdout, /^Node:\s+fixture-node$/m);
  assert.match(r.stdout, /^Phase:\s+Running$/m);
  assert.match(r.stdout, /^Conditions:\n {2}TYPE\s+STATUS/m);
  assert.match(r.stdout, /^Events:\n {2}TYPE\s+REASON\s+AGE\s+FROM\s+MESSAGE\n/m);
  assert.match(r.stdout, /^ {2}Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned/m);
  assert.match(r.stdout, /^ {2}API_TOKEN=•••••• /m);
  assert.match(r.stdout, /^ {2}PORT=5000$/m);
  assert.ok(!r.stdout.includes('tok-cli-secret'));

  const j = await fleetdeck('inspect', name, '--env', `kube:${CTX}`, '--json');
  assert.equal(j.status, 0, j.stderr);
  const got = JSON.parse(j.stdout) as InstanceInspect;
  assert.equal(got.instance, name);
  assert.equal(got.kind, 'pod');
  assert.ok(!j.stdout.includes('tok-cli-secret'), 'kept back in --json too, raw YAML included');
});

test('inspect of an unknown instance exits 3 and says how to find one', { skip }, async () => {
  const r = await fleetdeck('inspect', 'no-such-pod', '--context', CTX);
  assert.equal(r.status, 3);
  assert.match(r.stderr, /No service or instance named "no-such-pod".*fleetdeck ls/);
  const usage = await fleetdeck('inspect');
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /usage: fleetdeck inspect INSTANCE/);
});
