import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DockerEnvironment } from '../../../main/core/docker/docker-environment';
import { TemplateStore } from '../../../main/core/docker/templates';
import { Environments } from '../../../main/core/environments';
import { displayServer } from '../../../main/core/kubernetes/kubeconfig';
import type { Environment } from '../../../main/common/model';

const SECRET = 'sEcReT-bearer-token-do-not-leak';
const URL_PASSWORD = 'url-pAsSwOrD-do-not-leak';
const URL_TOKEN = 'url-access-tOkEn-do-not-leak';

test('kubeconfig contexts become environments; reachable ones show the cluster version; no secret leaves', async (t) => {
  let authSeen = '';
  const api = createServer((req, res) => {
    authSeen = req.headers.authorization ?? '';
    if (req.url === '/version') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ major: '1', minor: '31', gitVersion: 'v1.31.2', platform: 'linux/amd64' }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  t.after(() => api.close());
  const port = (api.address() as AddressInfo).port;
  // A port nothing listens on: bind, note it, close.
  const dead = createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  const deadPort = (dead.address() as AddressInfo).port;
  await new Promise<void>((r) => dead.close(() => r()));

  const dir = mkdtempSync(join(tmpdir(), 'fd-kube-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev
  cluster: { server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true }
- name: gone
  cluster: { server: "http://127.0.0.1:${deadPort}", insecure-skip-tls-verify: true }
- name: creds
  cluster: { server: "http://admin:${URL_PASSWORD}@127.0.0.1:${deadPort}/k8s/clusters/c-1?access_token=${URL_TOKEN}#frag", insecure-skip-tls-verify: true }
users:
- name: me
  user: { token: "${SECRET}" }
contexts:
- name: dev
  context: { cluster: dev, user: me, namespace: shop }
- name: gone
  context: { cluster: gone, user: me }
- name: creds
  context: { cluster: creds, user: me }
`,
  );

  const docker = new DockerEnvironment(
    'docker:local',
    'Docker (local)',
    { display: 'unix:///nonexistent.sock', options: { socketPath: '/nonexistent.sock' } },
    new TemplateStore(undefined),
    50,
  );
  const envs = new Environments(docker, { KUBECONFIG: kubeconfig });
  t.after(() => envs.stop());
  const settled = new Promise<Environment[]>((resolve) => {
    const check = (l: Environment[]) => {
      const kube = l.filter((e) => e.kind === 'kubernetes');
      if (kube.length === 3 && kube.every((e) => e.state !== 'connecting')) resolve(l);
    };
    envs.on('change', check);
  });
  await envs.start();
  const list = await settled;

  assert.deepEqual(
    list.map((e) => e.id),
    ['docker:local', 'kube:dev', 'kube:gone', 'kube:creds'],
  );
  const dev = list[1]!;
  assert.equal(dev.state, 'connected');
  assert.equal(dev.version, 'v1.31.2');
  assert.equal(dev.namespace, 'shop');
  const gone = list[2]!;
  assert.equal(gone.state, 'unreachable');
  assert.match(gone.problem ?? '', /Cannot reach cluster "gone".*connection refused/);
  assert.equal(authSeen, `Bearer ${SECRET}`, 'the probe authenticated with the context credentials');
  assert.doesNotMatch(JSON.stringify(list), new RegExp(SECRET), 'credentials must never be in what the UI receives');
  const creds = list[3]!;
  assert.equal(creds.endpoint, `http://127.0.0.1:${deadPort}/k8s/clusters/c-1`, 'the server is shown without user info, query or fragment');
  assert.equal(creds.state, 'unreachable');
  for (const secret of [URL_PASSWORD, URL_TOKEN, 'admin:']) {
    assert.ok(!JSON.stringify(list).includes(secret), `"${secret}" from the server URL must not reach the window`);
  }
});

test('server URLs lose their credentials even when they do not parse as URLs', () => {
  assert.equal(displayServer('https://u:p@k8s.example:6443/?access_token=x'), 'https://k8s.example:6443');
  assert.equal(displayServer('https://k8s.example:6443'), 'https://k8s.example:6443');
  assert.equal(displayServer('https://u:p@exa mple/x?token=y'), 'https://exa mple/x');
  assert.equal(displayServer('u:p@host:6443?t=1'), 'host:6443');
});

test('no kubeconfig file means no Kubernetes environments, and no error', async (t) => {
  const docker = new DockerEnvironment(
    'docker:local',
    'Docker (local)',
    { display: 'unix:///nonexistent.sock', options: { socketPath: '/nonexistent.sock' } },
    new TemplateStore(undefined),
    50,
  );
  const envs = new Environments(docker, { KUBECONFIG: '/nonexistent/config' });
  t.after(() => envs.stop());
  await envs.start();
  assert.deepEqual(
    envs.list().map((e) => e.id),
    ['docker:local'],
  );
  assert.equal(envs.kubeconfigProblem, undefined);
});

test('KUBECONFIG files that repeat a user or cluster name merge as kubectl does: the first wins', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-kube-merge-'));
  const file = (name: string, ctx: string, server: string) => {
    const p = join(dir, name);
    writeFileSync(
      p,
      `apiVersion: v1
kind: Config
current-context: ${ctx}
clusters: [{ name: shared, cluster: { server: "${server}" } }]
users: [{ name: admin, user: { token: "t-${name}" } }]
contexts: [{ name: ${ctx}, context: { cluster: shared, user: admin } }]
`,
    );
    return p;
  };
  const a = file('a.yaml', 'first', 'https://127.0.0.1:1');
  const b = file('b.yaml', 'second', 'https://127.0.0.1:2');
  const { loadKubeConfig, listContexts } = await import('../../../main/core/kubernetes/kubeconfig');
  const kc = (await loadKubeConfig({ KUBECONFIG: `${a}:${b}` }))!;
  assert.deepEqual(
    listContexts(kc).map((c) => [c.name, c.server]),
    [
      ['first', 'https://127.0.0.1:1'],
      ['second', 'https://127.0.0.1:1'],
    ],
  );
  assert.equal(kc.getCurrentContext(), 'first');
});

test('context names and namespaces from a kubeconfig reach the window as plain text', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-kube-evil-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
current-context: "dev\\e]52;c;SlNPTkNMSVA=\\a"
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]
users: [{ name: u, user: { token: "t" } }]
contexts: [{ name: "dev\\e]52;c;SlNPTkNMSVA=\\a", context: { cluster: c, user: u, namespace: "ns\\r\\nERR forged" } }]
`,
  );
  const docker = new DockerEnvironment(
    'docker:local',
    'Docker (local)',
    { display: 'unix:///nonexistent.sock', options: { socketPath: '/nonexistent.sock' } },
    new TemplateStore(undefined),
    50,
  );
  const envs = new Environments(docker, { KUBECONFIG: kubeconfig });
  t.after(() => envs.stop());
  await envs.start();
  const kube = envs.list().find((e) => e.kind === 'kubernetes')!;
  assert.equal(kube.id, 'kube:dev\x1b]52;c;SlNPTkNMSVA=\x07', 'the id still addresses the context');
  assert.equal(kube.name, 'dev^[]52;c;SlNPTkNMSVA=^G');
  assert.equal(kube.namespace, 'ns↵ERR forged');
  const { id: _id, ...shown } = kube;
  assert.doesNotMatch(JSON.stringify(shown), /\\u00|\\r|\\n/, 'no field shown holds a control character');
});
