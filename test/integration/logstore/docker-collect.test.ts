// Starts: base-image containers that write numbered lines, under a unique project label (removed at
// the end), and Fleetdeck cores that collect their logs into a store in a temporary state folder.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseLogQuery } from '../../../main/common/log-query';
import type { LogHit } from '../../../main/common/log-store-model';
import { Core } from '../../../main/core/core';
import { queueLimits } from '../../../main/core/logstore/sqlite-store';
import { docker, removeProject, runReplica, skipReason } from '../../helpers/docker';

const skip = skipReason();
const project = `fdstore${randomBytes(3).toString('hex')}`;
const dirs: string[] = [];
const base = () => docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0]!;

after(() => {
  if (skip) return;
  removeProject(project);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'fd-logstore-'));
  dirs.push(d);
  return d;
}

async function collectingCore(dir: string, env: NodeJS.ProcessEnv = {}): Promise<Core> {
  const core = new Core({ mode: 'cli', logs: 'collect', env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig', ...env }, stateDir: dir });
  await core.start();
  await core.discovery.whenSynced();
  return core;
}

/** A base-image container of service `service` (this run's project) running `script`; its id. */
function labelledRun(service: string, script: string): string {
  return runReplica(project, service, [], base(), 'node', '-e', script);
}

/** A container of service `service` writing `count` numbered lines `<word> <n>`, one every `everyMs`, then `<word> done`. */
function writer(name: string, service: string, word: string, count: number, everyMs: number): string {
  const script = `let n = 0; const t = setInterval(() => { n++; console.log('${word} ' + n); if (n === ${count}) { clearInterval(t); console.log('${word} done'); setInterval(() => {}, 1e9); } }, ${everyMs});`;
  return labelledRun(service, script);
}

async function search(core: Core, query: string, extra: { services?: string[]; order?: 'oldest' | 'newest'; limit?: number } = {}): Promise<LogHit[]> {
  await core.logStore.flush();
  const r = await core.logStore.search({
    query: parseLogQuery(query),
    order: extra.order ?? 'oldest',
    limit: extra.limit ?? 10_000,
    ...(extra.services ? { services: extra.services } : {}),
  });
  return r.hits;
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a container removed and created again under the same service: one search finds the lines of both', { skip, timeout: 90_000 }, async () => {
  const core = await collectingCore(stateDir());
  try {
    const name = `${project}-again-1`;
    const firstId = writer(name, 'again', 'alpha', 20, 20);
    await until('the first container’s lines stored', async () => (await search(core, 'alpha done')).length === 1);
    docker('rm', '-f', name);
    const secondId = writer(name, 'again', 'bravo', 20, 20);
    await until('the second container’s lines stored', async () => (await search(core, 'bravo done')).length === 1);
    const service = `docker:local/${project}/again`;
    const hits = await search(core, '', { services: [service] });
    const ids = new Set(hits.map((h) => h.instanceId));
    assert.ok(ids.has(firstId) && ids.has(secondId), `lines of both containers (${[...ids].join(', ')})`);
    assert.equal(hits.filter((h) => /^alpha \d+$/.test(h.text)).length, 20);
    assert.equal(hits.filter((h) => /^bravo \d+$/.test(h.text)).length, 20);
    const noDone = await search(core, 'alpha -done', { services: [service] });
    assert.equal(noDone.length, 20, 'an excluded word leaves out its line');
  } finally {
    await core.close();
  }
});

test('the panel stopped for 10 s while a container writes, then started again: every line stored once', { skip, timeout: 120_000 }, async () => {
  const dir = stateDir();
  const name = `${project}-gap-1`;
  let core = await collectingCore(dir);
  const id = writer(name, 'gap', 'gapline', 1200, 20); // 24 s of lines
  try {
    await until('the first lines stored', async () => (await search(core, 'gapline')).length > 50);
  } finally {
    await core.close();
  }
  await new Promise((r) => setTimeout(r, 10_000));
  core = await collectingCore(dir);
  try {
    await until('the last line stored', async () => (await search(core, 'gapline done')).length === 1, 60_000);
    const lines = (await search(core, 'gapline', { order: 'oldest' })).filter((h) => h.instanceId === id && /^gapline \d+$/.test(h.text));
    const numbers = lines.map((h) => Number(h.text.split(' ')[1]));
    const missing = [];
    for (let n = 1; n <= 1200; n++) if (!numbers.includes(n)) missing.push(n);
    assert.deepEqual(missing, [], 'no line lost while the panel was down');
    assert.equal(numbers.length, 1200, `no line stored twice (${numbers.length} stored)`);
    assert.deepEqual(
      numbers,
      [...numbers].sort((a, b) => a - b),
      'in the order they were written',
    );
  } finally {
    await core.close();
  }
});

test('a container that writes and exits at once still has every line stored', { skip, timeout: 60_000 }, async () => {
  const core = await collectingCore(stateDir());
  try {
    const id = labelledRun('brief', `for (let i = 1; i <= 2000; i++) console.log('brief ' + i);`);
    const lines = await until(
      'every line of the exited container stored',
      async () => {
        const hits = (await search(core, 'brief')).filter((h) => h.instanceId === id);
        return hits.length >= 2000 ? hits : undefined;
      },
      30_000,
    );
    assert.equal(lines.length, 2000, 'each line once');
  } finally {
    await core.close();
  }
});

test(
  'a flood faster than the store takes it: the follower holds back and comes back for the rest, every line once and in order',
  { skip, timeout: 120_000 },
  async () => {
    // A small queue, so that 30,000 lines written at once surely fill it.
    const was = { ...queueLimits };
    queueLimits.lines = 1000;
    const core = await collectingCore(stateDir());
    try {
      const id = labelledRun('flood', `for (let i = 1; i <= 30000; i++) console.log('flood ' + i); console.log('flood done'); setInterval(() => {}, 1e9);`);
      await until('the last line stored', async () => (await search(core, 'flood done')).length === 1, 90_000);
      const hits: LogHit[] = [];
      await core.logStore.flush();
      for (let after: number | undefined, page = 0; page < 10; page++) {
        const r = await core.logStore.search({ query: parseLogQuery('flood'), order: 'oldest', limit: 10_000, ...(after !== undefined ? { after } : {}) });
        hits.push(...r.hits);
        if (!r.more) break;
        after = r.hits.at(-1)!.id;
      }
      const numbers = hits.filter((h) => h.instanceId === id && /^flood \d+$/.test(h.text)).map((h) => Number(h.text.split(' ')[1]));
      assert.ok(core.logCollector.heldBack > 0, 'the queue filled and the follower held back');
      assert.equal(new Set(numbers).size, 30_000, 'every line stored');
      assert.equal(numbers.length, 30_000, 'none twice');
      assert.deepEqual(
        numbers,
        [...numbers].sort((a, b) => a - b),
        'in the order they were written',
      );
      assert.equal((await core.logStore.stats()).problem, undefined);
    } finally {
      Object.assign(queueLimits, was);
      await core.close();
    }
  },
);
