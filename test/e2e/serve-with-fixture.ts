// The e2e server: the Kubernetes API fixture (services-sample/k8s loaded, fast controller) on
// 127.0.0.1, and `fleetdeck serve` (the build) with a kubeconfig for it. Ctrl-C / SIGTERM stop both.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KubeFixture } from '../fixtures/kube-apiserver/server';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'fd-e2e-kube-'));
const kubeconfigPath = join(dir, 'config');
const fixture = await KubeFixture.start({
  kubeconfigPath,
  contextName: 'fixture-cluster',
  namespace: 'fleetdeck-samples',
  token: 'e2e-kube-token',
  load: [join(root, 'services-sample/k8s')],
  controller: { startDelayMs: 200, readyDelayMs: 300, maxGraceMs: 500, logIntervalMs: 500 },
});

const serve = spawn(process.execPath, [join(root, 'dist/main/cli.js'), 'serve', ...process.argv.slice(2)], {
  env: { ...process.env, KUBECONFIG: kubeconfigPath },
  stdio: 'inherit',
});
const stop = async () => {
  serve.kill('SIGTERM');
  await fixture.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
serve.once('exit', () => void fixture.stop().then(() => process.exit(0)));
