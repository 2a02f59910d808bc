// Starts: the Kubernetes API fixture on 127.0.0.1 and a Fleetdeck core on its kubeconfig; then the
// real kubectl edits that kubeconfig (as a user would: set-context, delete-context) while the core runs.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Core } from '../../../main/core/core';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { FAST, tempDir, waitFor } from '../kube-fixture/helpers';

const KUBECTL = process.env['KUBECTL'] ?? 'kubectl';
const dir = tempDir('fd-kube-reload-');
const kubeconfigPath = join(dir.path, 'config');
const CTX = 'reload-fixture';
let fixture: KubeFixture;
let core: Core;

const skip = (() => {
  try {
    execFileSync(KUBECTL, ['version', '--client'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'kubectl is not installed (npm test installs it); these tests edit the kubeconfig with it';
  }
})();
if (skip) console.log(`# skipped kubeconfig reload tests: ${skip}`);

// Async: the fixture answers in this process, and kubectl asks it even for `config` commands.
const kubectl = async (...args: string[]) => (await promisify(execFile)(KUBECTL, ['--kubeconfig', kubeconfigPath, ...args], { encoding: 'utf8' })).stdout;
const env = (id: string) => core.environments.list().find((e) => e.id === id);

before(async () => {
  if (skip) return;
  fixture = await KubeFixture.start({ kubeconfigPath, contextName: CTX, namespace: 'default', token: 'reload-token', controller: FAST });
  core = new Core({
    mode: 'cli',
    env: { ...process.env, KUBECONFIG: kubeconfigPath, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    stateDir: join(dir.path, 'state'),
  });
  await core.start();
});
after(async () => {
  core?.stop();
  await fixture?.stop();
  dir.remove();
});

test('a context added, re-pointed and deleted with kubectl config shows, changes and goes without a restart', { skip }, async () => {
  await waitFor('the first context connected', () => env(`kube:${CTX}`)?.state === 'connected');
  const view = JSON.parse(await kubectl('config', 'view', '-o', 'json')) as { contexts: { name: string; context: { cluster: string; user: string } }[] };
  const first = view.contexts.find((c) => c.name === CTX)!.context;

  await kubectl('config', 'set-context', 'second', `--cluster=${first.cluster}`, `--user=${first.user}`, '--namespace=team-b');
  await waitFor('the new context listed and connected', () => env('kube:second')?.state === 'connected', 5_000);
  assert.equal(env('kube:second')?.namespace, 'team-b');
  assert.equal(env(`kube:${CTX}`)?.state, 'connected', 'the others are left alone');

  await kubectl('config', 'set-context', 'second', '--namespace=team-c');
  await waitFor('the context made afresh with its new namespace', () => env('kube:second')?.namespace === 'team-c', 5_000);

  await kubectl('config', 'delete-context', 'second');
  await waitFor('the deleted context gone', () => !env('kube:second'), 5_000);
  assert.ok(env(`kube:${CTX}`), 'the first stays');
});

test('a kubeconfig that stops parsing keeps the contexts and says why; fixed, it is quiet again', { skip }, async () => {
  const { writeFileSync, readFileSync } = await import('node:fs');
  const good = readFileSync(kubeconfigPath, 'utf8');
  writeFileSync(kubeconfigPath, 'apiVersion: v1\nclusters: [ {{{ not yaml\n');
  await waitFor('the problem said', () => /kubeconfig could not be read/.test(core.environments.kubeconfigProblem ?? ''), 5_000);
  assert.ok(env(`kube:${CTX}`), 'what was there stays while the file is broken');
  writeFileSync(kubeconfigPath, good);
  await waitFor('the problem gone', () => core.environments.kubeconfigProblem === undefined, 5_000);
});
