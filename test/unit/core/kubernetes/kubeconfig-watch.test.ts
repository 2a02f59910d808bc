import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { contextDigests, diffContexts, watchFiles } from '../../../../main/core/kubernetes/kubeconfig-watch';

const config = (contexts: { name: string; server: string; token: string }[]) => {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: contexts.map((c) => ({ name: c.name, server: c.server, skipTLSVerify: false })),
    users: contexts.map((c) => ({ name: c.name, token: c.token })),
    contexts: contexts.map((c) => ({ name: c.name, cluster: c.name, user: c.name })),
    currentContext: contexts[0]?.name ?? '',
  });
  return kc;
};

test('a reload adds new contexts, drops vanished ones, and remakes those whose server or credentials changed', () => {
  const before = contextDigests(
    config([
      { name: 'prod', server: 'https://a:6443', token: 't1' },
      { name: 'stage', server: 'https://b:6443', token: 't2' },
      { name: 'old', server: 'https://c:6443', token: 't3' },
    ]),
  );
  const after = contextDigests(
    config([
      { name: 'prod', server: 'https://a:6443', token: 't1' },
      { name: 'stage', server: 'https://b:6443', token: 'refreshed' },
      { name: 'new', server: 'https://d:6443', token: 't4' },
    ]),
  );
  assert.deepEqual(diffContexts(before, after), { added: ['new'], removed: ['old'], changed: ['stage'] });
  assert.ok(![...after.values()].some((d) => d.includes('refreshed')), 'only digests are kept');
});

test('a kubeconfig replaced by a rename (as kubectl and editors write it) is noticed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-kcw-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config');
  writeFileSync(file, 'a');
  let fired = 0;
  const stop = watchFiles([file], () => fired++, 50);
  t.after(stop);
  writeFileSync(join(dir, 'config.lock'), '');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(fired, 0, 'a lock file beside it is not a change');
  writeFileSync(join(dir, 'config.tmp'), 'b');
  renameSync(join(dir, 'config.tmp'), file);
  const until = Date.now() + 3000;
  while (fired === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  assert.ok(fired >= 1, 'the rename is seen');
});
