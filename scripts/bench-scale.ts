/**
 * npm run bench:scale [-- --rounds 5] [-- --visibility-runs 15] [-- --no-write]
 *
 * Scaling the sample user-service from 1 to 10 instances, all answering HTTP, side by side
 * in one run on the local engine:
 *   (a) Fleetdeck's core: `core.services.scale(id, 10)`, then every new replica's /health;
 *   (b) the docker CLI: nine `docker run -d` with the same options, one after another;
 *   (c) the raw Engine API (dockerode): nine create+start, all in parallel;
 *   (d) `docker compose up --scale web=10`, only where `docker compose` is installed.
 * The clock stops when every new replica answers GET /health on its 127.0.0.1 host port.
 * Methods rotate order from round to round; medians are reported.
 *
 * Then: an outside `docker run -d` — how long after the command returns the core shows the
 * new container (services 'change' event, and the 'services.watch' push the panel gets).
 *
 * Everything the bench creates carries the label dev.fleetdeck.bench=<run id> and is
 * removed at the end, also on failure or Ctrl-C. Writes the "Scaling (Docker)" section of
 * docs/performance.md.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Docker, { type ContainerCreateOptions } from 'dockerode';
import type { Service } from '../main/common/model';
import { Core } from '../main/core/core';
import { resolveDockerEndpoint } from '../main/core/docker/endpoint';
import { untilServices } from '../test/helpers/core';
import { writePerfSection } from './lib/perf-doc';

const args = process.argv.slice(2);
const argNum = (name: string, def: number, min: number, max: number) => {
  const i = args.indexOf(name);
  const v = Number(i >= 0 ? args[i + 1] : def);
  return Math.min(max, Math.max(min, Number.isFinite(v) ? Math.floor(v) : def));
};
const ROUNDS = argNum('--rounds', 5, 1, 7);
const VIS_RUNS = argNum('--visibility-runs', 15, 3, 30);
const TARGET = 10;
const IMAGE = 'fleetdeck/user-service:dev';
const PORT = 5000;
const BUDGET_MS = 6 * 60_000 - 20_000; // the whole bench, cleanup included, stays under 6 minutes
const POLL_MS = 20; // /health polling interval
const SETTLE_MS = 1500; // idle before every t0, so the previous round's removals do not weigh on the next method
const HEALTH_TIMEOUT_MS = 30_000; // per replica
const root = process.cwd();
const docsFile = join(root, 'docs', 'performance.md');

const RUN = `fdbench${randomBytes(3).toString('hex')}`;
const BENCH_LABEL = 'dev.fleetdeck.bench';
const NET = `${RUN}-net`;
const api = new Docker(resolveDockerEndpoint().options);
const startedAt = performance.now();
const stateDirs: string[] = [];
const cores = new Set<Core>();

type Method = 'fleetdeck' | 'cli' | 'api' | 'compose';
const LABEL: Record<Method, string> = {
  fleetdeck: 'Fleetdeck core, `services.scale(id, 10)`',
  cli: '`docker run -d` × 9, one after another',
  api: 'Engine API (dockerode), 9 create+start in parallel',
  compose: '`docker compose up --scale web=10`',
};

interface Round {
  method: Method;
  round: number;
  /** t0 → every new replica answers /health. */
  totalMs: number;
  /** t0 → the method's own call(s) returned (scale() resolved / last CLI / last start). */
  returnedMs: number;
  /** t0 → the last new replica's State.StartedAt, engine clock (same host). */
  lastStartedMs: number;
}

// ---------------------------------------------------------------- helpers

function left(): number {
  return BUDGET_MS - (performance.now() - startedAt);
}

function checkBudget(what: string, needMs: number): void {
  if (left() < needMs) throw new BudgetError(`time budget: skipping ${what} (${Math.round(left() / 1000)} s left)`);
}
class BudgetError extends Error {}

/** docker CLI calls still running: cleanup waits for them, or a container created after the sweep would be left behind. */
const inflight = new Set<Promise<unknown>>();

/** Set once cleanup begins: nothing new is created after that. */
let stopping = false;
class Stopping extends Error {}

function run(cmd: string, argv: string[], timeout = 60_000): Promise<string> {
  if (stopping) return Promise.reject(new Stopping('stopping'));
  const p = new Promise<string>((resolve, reject) => {
    execFile(cmd, argv, { encoding: 'utf8', timeout }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${argv.slice(0, 2).join(' ')} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout.trim());
    });
  });
  const tracked = p.catch(() => {}).finally(() => inflight.delete(tracked));
  inflight.add(tracked);
  return p;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** When each replica first answered, ms after its round's t0 (console only). */
let answered: number[] = [];
let roundT0 = 0;

/** Polls GET /health until it answers 200; rejects after HEALTH_TIMEOUT_MS. */
async function untilHttp(port: number): Promise<void> {
  const deadline = performance.now() + HEALTH_TIMEOUT_MS;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.ok) {
        answered.push(performance.now() - roundT0);
        return;
      }
    } catch {
      // not listening yet (docker-proxy accepts, then resets, until the app listens)
    }
    if (performance.now() > deadline) throw new Error(`127.0.0.1:${port}/health did not answer in ${HEALTH_TIMEOUT_MS} ms`);
    await sleep(POLL_MS);
  }
}

/** The 127.0.0.1 host port published for container port 5000. */
async function hostPortOf(id: string): Promise<number> {
  const info = await api.getContainer(id).inspect();
  const b = info.NetworkSettings.Ports?.[`${PORT}/tcp`]?.find((x) => x.HostIp === '127.0.0.1');
  if (!b?.HostPort) throw new Error(`container ${id.slice(0, 12)} has no 127.0.0.1 port for ${PORT}`);
  return Number(b.HostPort);
}

/** Labels and docker run options of one replica of a project's `web` service. */
function runArgs(project: string, name: string): string[] {
  return [
    'run',
    '-d',
    '--name',
    name,
    '--network',
    NET,
    '--network-alias',
    'web',
    '--label',
    'dev.fleetdeck.service=web',
    '--label',
    `dev.fleetdeck.project=${project}`,
    '--label',
    `${BENCH_LABEL}=${RUN}`,
    '-p',
    `127.0.0.1::${PORT}`,
    IMAGE,
  ];
}

/** The same as runArgs, as an Engine API create body. */
function createBody(project: string, name: string): ContainerCreateOptions {
  return {
    name,
    Image: IMAGE,
    Labels: { 'dev.fleetdeck.service': 'web', 'dev.fleetdeck.project': project, [BENCH_LABEL]: RUN },
    ExposedPorts: { [`${PORT}/tcp`]: {} },
    HostConfig: { NetworkMode: NET, PortBindings: { [`${PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    NetworkingConfig: { EndpointsConfig: { [NET]: { Aliases: ['web'] } } },
  };
}

async function benchContainers(filter?: string): Promise<string[]> {
  const labels = [`${BENCH_LABEL}=${RUN}`, ...(filter ? [filter] : [])];
  const list = await api.listContainers({ all: true, filters: { label: labels } });
  return list.map((c) => c.Id);
}

async function removeAll(ids: string[]): Promise<void> {
  await Promise.all(
    ids.map((id) =>
      api
        .getContainer(id)
        .remove({ force: true })
        .catch((e: { statusCode?: number }) => {
          if (e.statusCode !== 404 && e.statusCode !== 409) throw e; // 409: removal already in progress
        }),
    ),
  );
}

async function removeProject(project: string): Promise<void> {
  await removeAll(await benchContainers(`dev.fleetdeck.project=${project}`));
}

/** Starts replica 1 of a fresh project and waits for it to answer, so every method starts from 1 healthy. */
async function seed(project: string): Promise<void> {
  const id = await run('docker', runArgs(project, `${project}-web-1`));
  await untilHttp(await hostPortOf(id));
}

/** Engine-side: ms from t0 (performance clock) to the latest State.StartedAt among `ids`. */
async function lastStarted(ids: string[], t0Wall: number): Promise<number> {
  const infos = await Promise.all(ids.map((id) => api.getContainer(id).inspect()));
  const latest = Math.max(...infos.map((i) => Date.parse(i.State.StartedAt)));
  return latest - t0Wall;
}

async function newCore(): Promise<Core> {
  const stateDir = mkdtempSync(join(tmpdir(), 'fd-bench-state-'));
  stateDirs.push(stateDir);
  const core = new Core({ mode: 'cli', env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig' }, stateDir });
  cores.add(core);
  await core.start();
  await core.discovery.whenSynced();
  return core;
}

function stopCore(core: Core): void {
  core.stop();
  cores.delete(core);
}

// ---------------------------------------------------------------- the methods

async function viaFleetdeck(project: string, round: number): Promise<Round> {
  // The core runs only for its own rounds, so its event-driven inspects do not load the engine
  // while the other methods are measured.
  const core = await newCore();
  try {
    await untilServices(core, (l) => l.some((s) => s.project === project && s.instances.length === 1), 10_000);
    const id = core.services.resolve(`${project}/web`).id;
    const before = new Set(core.services.get(id).instances.map((i) => i.id));
    await sleep(SETTLE_MS);
    const t0Wall = Date.now();
    const t0 = (roundT0 = performance.now());
    answered = [];
    const svc = await core.services.scale(id, TARGET);
    const returnedMs = performance.now() - t0;
    const fresh = svc.instances.filter((i) => !before.has(i.id));
    if (svc.instances.length !== TARGET || fresh.length !== TARGET - 1) throw new Error(`scale returned ${svc.instances.length} instances`);
    await Promise.all(
      fresh.map((i) => {
        const p = i.ports.find((x) => x.containerPort === PORT && x.hostIp === '127.0.0.1')?.hostPort;
        if (!p) throw new Error(`${i.name} has no published port in the core's answer`);
        return untilHttp(p);
      }),
    );
    const totalMs = performance.now() - t0;
    return {
      method: 'fleetdeck',
      round,
      totalMs,
      returnedMs,
      lastStartedMs: await lastStarted(
        fresh.map((i) => i.id),
        t0Wall,
      ),
    };
  } finally {
    stopCore(core);
  }
}

async function viaCli(project: string, round: number): Promise<Round> {
  await sleep(SETTLE_MS);
  const t0Wall = Date.now();
  const t0 = (roundT0 = performance.now());
  answered = [];
  const ids: string[] = [];
  const ready: Promise<void>[] = [];
  for (let n = 2; n <= TARGET; n++) {
    const id = await run('docker', runArgs(project, `${project}-web-${n}`));
    ids.push(id);
    ready.push(hostPortOf(id).then(untilHttp)); // poll each one as soon as its run returns
  }
  const returnedMs = performance.now() - t0;
  await Promise.all(ready);
  const totalMs = performance.now() - t0;
  return { method: 'cli', round, totalMs, returnedMs, lastStartedMs: await lastStarted(ids, t0Wall) };
}

async function viaApi(project: string, round: number): Promise<Round> {
  await sleep(SETTLE_MS);
  const t0Wall = Date.now();
  const t0 = (roundT0 = performance.now());
  answered = [];
  let lastReturn = 0;
  const ids = await Promise.all(
    Array.from({ length: TARGET - 1 }, async (_, k) => {
      if (stopping) throw new Stopping('stopping');
      const c = await api.createContainer(createBody(project, `${project}-web-${k + 2}`));
      await c.start();
      lastReturn = Math.max(lastReturn, performance.now() - t0);
      await untilHttp(await hostPortOf(c.id));
      return c.id;
    }),
  );
  const totalMs = performance.now() - t0;
  return { method: 'api', round, totalMs, returnedMs: lastReturn, lastStartedMs: await lastStarted(ids, t0Wall) };
}

function composeAvailable(): { ok: true; version: string } | { ok: false; why: string } {
  try {
    const v = execFileSync('docker', ['compose', 'version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 }).trim();
    return { ok: true, version: v };
  } catch (e) {
    const msg = ((e as { stderr?: string }).stderr || (e as Error).message).trim().split('\n')[0];
    return { ok: false, why: `\`docker compose version\` failed: "${msg}" (the Compose v2 plugin is not installed on this machine)` };
  }
}

async function viaCompose(project: string, round: number): Promise<Round> {
  // Only reached where `docker compose` exists. Compose names its own containers and network,
  // so its replica 1 is brought up by Compose itself (not timed), then --scale web=10 is timed.
  const dir = mkdtempSync(join(tmpdir(), 'fd-bench-compose-'));
  stateDirs.push(dir);
  const file = join(dir, 'compose.yaml');
  writeFileSync(
    file,
    [
      'services:',
      '  web:',
      `    image: ${IMAGE}`,
      `    labels: { "${BENCH_LABEL}": "${RUN}", "dev.fleetdeck.project": "${project}" }`,
      `    ports: ["127.0.0.1::${PORT}"]`,
      `    networks: { benchnet: { aliases: [web] } }`,
      'networks:',
      `  benchnet: { external: true, name: ${NET} }`,
      '',
    ].join('\n'),
  );
  const compose = (...a: string[]) => run('docker', ['compose', '-p', project, '-f', file, ...a], 120_000);
  await compose('up', '-d', '--no-recreate');
  const before = new Set(await benchContainers(`com.docker.compose.project=${project}`));
  await Promise.all([...before].map(async (id) => untilHttp(await hostPortOf(id))));
  await sleep(SETTLE_MS);
  const t0Wall = Date.now();
  const t0 = performance.now();
  await compose('up', '-d', '--no-recreate', '--scale', `web=${TARGET}`);
  const returnedMs = performance.now() - t0;
  const fresh = (await benchContainers(`com.docker.compose.project=${project}`)).filter((id) => !before.has(id));
  await Promise.all(fresh.map(async (id) => untilHttp(await hostPortOf(id))));
  const totalMs = performance.now() - t0;
  return { method: 'compose', round, totalMs, returnedMs, lastStartedMs: await lastStarted(fresh, t0Wall) };
}

// ---------------------------------------------------------------- outside docker run → visible

interface Visibility {
  /** ms after `docker run -d` returned that the core's list showed it (0 if it already did). */
  seenMs: number;
  seenRunningMs: number;
  watchMs: number;
  alreadyVisible: boolean;
  alreadyRunning: boolean;
  cliMs: number;
}

async function visibility(core: Core, project: string, i: number): Promise<Visibility> {
  const name = `${project}-web-${i}`;
  let seenAt = Infinity;
  let runningAt = Infinity;
  let watchAt = Infinity;
  const find = (l: Service[]) => l.find((s) => s.project === project)?.instances.find((x) => x.name === name);
  const onChange = () => {
    const inst = find(core.services.list());
    if (!inst) return;
    const now = performance.now();
    if (seenAt === Infinity) seenAt = now;
    if (runningAt === Infinity && inst.state === 'running') runningAt = now;
  };
  core.services.on('change', onChange);
  // What the panel itself gets: the services.watch stream (coalesced), minus the pipe.
  const stopWatch = core.api.streams['services.watch'](
    { envId: core.services.envId },
    {
      next: (e) => {
        const seen =
          e.kind === 'snapshot'
            ? find(e.services)
            : find(e.upserts) || e.patches?.some((p) => p.service.project === project && p.upserts.some((x) => x.name === name));
        if (watchAt === Infinity && seen) watchAt = performance.now();
      },
      end: () => {},
    },
  );
  try {
    const t0 = performance.now();
    const id = await run('docker', runArgs(project, name));
    const ret = performance.now();
    const listedNow = find(core.services.list());
    const alreadyVisible = !!listedNow;
    const alreadyRunning = listedNow?.state === 'running';
    const deadline = ret + 5_000;
    while ((runningAt === Infinity || watchAt === Infinity) && performance.now() < deadline) await sleep(2);
    if (runningAt === Infinity || watchAt === Infinity) throw new Error(`${name} not shown as running by the core within 5 s of docker run returning`);
    await removeAll([id]);
    await untilServices(core, (l) => !find(l), 5_000);
    return {
      seenMs: Math.max(0, seenAt - ret),
      seenRunningMs: Math.max(0, runningAt - ret),
      watchMs: Math.max(0, watchAt - ret),
      alreadyVisible,
      alreadyRunning,
      cliMs: ret - t0,
    };
  } finally {
    core.services.off('change', onChange);
    stopWatch();
  }
}

// ---------------------------------------------------------------- docs

function version(cmd: string, argv: string[]): string {
  try {
    return (
      execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 })
        .trim()
        .split('\n')[0] || '?'
    );
  } catch {
    return '?';
  }
}

const s = (ms: number) => (ms / 1000).toFixed(2);

// ---------------------------------------------------------------- cleanup

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    stopping = true;
    for (const c of [...cores]) stopCore(c);
    await Promise.race([Promise.allSettled([...inflight]), sleep(15_000)]);
    const sweep = async () => {
      try {
        await removeAll(await benchContainers());
      } catch (e) {
        console.error(`cleanup: containers: ${(e as Error).message}`);
      }
    };
    await sweep();
    // An API create that was in flight when a signal came lands after the first sweep.
    await sleep(500);
    await sweep();
    try {
      const nets = await api.listNetworks({ filters: { label: [`${BENCH_LABEL}=${RUN}`] } });
      await Promise.all(nets.map((n) => api.getNetwork(n.Id).remove()));
    } catch (e) {
      console.error(`cleanup: network: ${(e as Error).message}`);
    }
    for (const d of stateDirs) rmSync(d, { recursive: true, force: true });
    console.log(`cleaned up everything labelled ${BENCH_LABEL}=${RUN}`);
  })();
  return cleaning;
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`\n${sig}: cleaning up…`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- main

const loadBefore = loadavg()[0]!;
const results: Round[] = [];
const vis: Visibility[] = [];
const notes: string[] = [];
try {
  try {
    execFileSync('docker', ['image', 'inspect', IMAGE], { stdio: 'ignore' });
  } catch {
    throw new Error(`${IMAGE} is missing: run "npm run samples:build" first`);
  }
  const compose = composeAvailable();
  const methods: Method[] = compose.ok ? ['fleetdeck', 'cli', 'api', 'compose'] : ['fleetdeck', 'cli', 'api'];
  if (!compose.ok) {
    console.log(`• (d) docker compose up --scale: skipped — ${compose.why}.`);
    notes.push(`(d) \`docker compose up --scale\` was skipped: ${compose.why}.`);
  }
  await api.createNetwork({ Name: NET, Labels: { [BENCH_LABEL]: RUN }, CheckDuplicate: true });
  console.log(`run ${RUN}: ${ROUNDS} rounds of 1 → ${TARGET} per method, then ${VIS_RUNS} outside docker runs`);

  // Warm-up, not measured: the first container start after a while pays for cold caches.
  {
    const p = `${RUN}w`;
    await seed(p);
    await removeProject(p);
  }

  rounds: for (let r = 0; r < ROUNDS; r++) {
    const order = methods.map((_, k) => methods[(k + r) % methods.length]!);
    for (const m of order) {
      try {
        checkBudget(`${m} round ${r + 1}`, 75_000);
      } catch (e) {
        if (!(e instanceof BudgetError)) throw e;
        notes.push(e.message);
        console.log(`  ${e.message}`);
        break rounds;
      }
      const project = `${RUN}r${r + 1}${m}`;
      if (m !== 'compose') await seed(project);
      try {
        const res =
          m === 'fleetdeck'
            ? await viaFleetdeck(project, r + 1)
            : m === 'cli'
              ? await viaCli(project, r + 1)
              : m === 'api'
                ? await viaApi(project, r + 1)
                : await viaCompose(project, r + 1);
        results.push(res);
        console.log(
          `  round ${r + 1} ${m.padEnd(9)} all answering ${s(res.totalMs)} s (call returned ${s(res.returnedMs)} s, last replica started ${s(res.lastStartedMs)} s; answered at ${answered
            .sort((a, b) => a - b)
            .map(s)
            .join(' ')})`,
        );
      } finally {
        await removeProject(project);
      }
      await sleep(500); // let the engine finish the removals' background work
    }
  }

  // Outside docker run → visible in the core.
  {
    checkBudget('the visibility runs', 30_000);
    const core = await newCore();
    const project = `${RUN}vis`;
    try {
      for (let i = 1; i <= VIS_RUNS; i++) {
        if (left() < 15_000) {
          notes.push(`visibility: stopped after ${vis.length} runs (time budget)`);
          break;
        }
        const v = await visibility(core, project, i);
        vis.push(v);
        console.log(
          `  visibility ${String(i).padStart(2)}: listed +${v.seenMs.toFixed(0)} ms${v.alreadyVisible ? ' (already)' : ''}, running +${v.seenRunningMs.toFixed(0)} ms${v.alreadyRunning ? ' (already)' : ''}, services.watch +${v.watchMs.toFixed(0)} ms; docker run took ${v.cliMs.toFixed(0)} ms`,
        );
      }
    } finally {
      stopCore(core);
      await removeProject(project);
    }
  }

  // ------------------------------------------------------------ report
  const med = (m: Method, k: keyof Pick<Round, 'totalMs' | 'returnedMs' | 'lastStartedMs'>) => {
    const xs = results.filter((x) => x.method === m).map((x) => x[k]);
    return xs.length ? median(xs) : NaN;
  };
  const apiMed = med('api', 'totalMs');
  const cliMed = med('cli', 'totalMs');
  const fdMed = med('fleetdeck', 'totalMs');
  const rows = methods
    .filter((m) => results.some((x) => x.method === m))
    .map((m) => {
      const all = results
        .filter((x) => x.method === m)
        .map((x) => s(x.totalMs))
        .join(', ');
      return `| ${LABEL[m]} | **${s(med(m, 'totalMs'))}** | ${all} | ${s(med(m, 'returnedMs'))} | ${s(med(m, 'lastStartedMs'))} | ${(med(m, 'totalMs') / apiMed).toFixed(2)}× | ${(med(m, 'totalMs') / cliMed).toFixed(2)}× |`;
    });
  if (!compose.ok) rows.push(`| ${LABEL.compose} | skipped | — | — | — | — | — |`);

  const vMed = (k: keyof Visibility) => median(vis.map((v) => Number(v[k])));
  const already = vis.filter((v) => v.alreadyVisible).length;
  const alreadyRunning = vis.filter((v) => v.alreadyRunning).length;
  const fdVsApi = fdMed / apiMed;
  const apiVsCli = apiMed / cliMed;
  const machine = {
    nproc: availableParallelism(),
    model: cpus()[0]?.model ?? '?',
    docker: version('docker', ['version', '--format', '{{.Server.Version}} (API {{.Server.APIVersion}}, CLI {{.Client.Version}})']),
    node: process.version,
  };
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');

  const md = [
    '## Scaling (Docker)',
    '',
    `\`npm run bench:scale\` — the sample user-service (\`${IMAGE}\`) scaled from 1 to ${TARGET} instances on the local engine, each method from a fresh project with one replica already answering: the replicas carry the labels \`dev.fleetdeck.service=web\` and a unique \`dev.fleetdeck.project\`, sit on a user-defined network with the alias \`web\`, and publish \`-p 127.0.0.1::${PORT}\`. The clock stops when every one of the ${TARGET - 1} new replicas answers \`GET /health\` on its 127.0.0.1 host port (polled every ${POLL_MS} ms). ${results.length / methods.filter((m) => results.some((x) => x.method === m)).length} rounds, the order of the methods rotating each round, everything removed between rounds and ${SETTLE_MS / 1000} s of idle before every timed start; medians. Fleetdeck's core runs only during its own rounds (its event-driven inspects would otherwise load the engine while the others are timed).`,
    '',
    `Machine: ${machine.nproc} CPUs (\`nproc\`), ${machine.model}; Docker ${machine.docker}; Node ${machine.node}. Run ${when} UTC; 1-minute load average ${loadBefore.toFixed(1)} when it began, ${loadavg()[0]!.toFixed(1)} when it ended (other work shares this box).`,
    '',
    '| Method | 1 → 10, all answering (s, median) | rounds (s) | call returned (s) | last replica started, engine clock (s) | vs raw API | vs CLI |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `"Call returned": \`scale()\` resolved, the last \`docker run -d\` returned, or the last \`start\` answered. "Last replica started": the newest \`State.StartedAt\` among the new replicas, from t0 — what the engine itself took, without the client's waiting and the apps' own start-up.`,
    '',
    `Outside \`docker run -d\` (same labels, ${vis.length} runs, one at a time): time from the command's return until the core shows the new container.`,
    '',
    '| Seen as | median ms after `docker run -d` returned | max ms | already there when it returned |',
    '| --- | ---: | ---: | ---: |',
    `| listed (\`core.services\` 'change' / \`list()\`) | ${vMed('seenMs').toFixed(0)} | ${Math.max(...vis.map((v) => v.seenMs)).toFixed(0)} | ${already} of ${vis.length} |`,
    `| listed as running | ${vMed('seenRunningMs').toFixed(0)} | ${Math.max(...vis.map((v) => v.seenRunningMs)).toFixed(0)} | ${alreadyRunning} of ${vis.length} |`,
    `| pushed by \`services.watch\` (what the panel gets, before the pipe) | ${vMed('watchMs').toFixed(0)} | ${Math.max(...vis.map((v) => v.watchMs)).toFixed(0)} | — |`,
    '',
    `\`docker run -d\` itself took ${vMed('cliMs').toFixed(0)} ms (median).`,
    '',
    '**Targets**',
    '',
    `- Fleetdeck within 1.15 × the raw parallel API: ${fdVsApi.toFixed(2)}× — ${fdVsApi <= 1.15 ? 'met' : 'not met'}.`,
    `- Engine side only (last replica started): Fleetdeck ${(med('fleetdeck', 'lastStartedMs') / med('api', 'lastStartedMs')).toFixed(2)}× the raw API, ${(med('fleetdeck', 'lastStartedMs') / med('cli', 'lastStartedMs')).toFixed(2)}× the CLI.`,
    `- The raw parallel API "about 0.7 × the sequential CLI": ${apiVsCli.toFixed(2)}× here; Fleetdeck ${(fdMed / cliMed).toFixed(2)}× the CLI.`,
    `- Outside \`docker run\` visible ≤ 250 ms median after the command returns: ${vMed('seenMs').toFixed(0)} ms listed, ${vMed('seenRunningMs').toFixed(0)} ms as running, ${vMed('watchMs').toFixed(0)} ms pushed to the panel — ${vMed('watchMs') <= 250 ? 'met' : 'not met'}.`,
    ...(notes.length ? ['', ...notes.map((n) => `Note: ${n}`)] : []),
  ].join('\n');
  console.log(`\n${md}\n`);
  if (!args.includes('--no-write')) {
    // Only the part between the markers is replaced: notes written below the end marker survive a re-run.
    writePerfSection(docsFile, 'scale', md);
    console.log(`Written to ${docsFile}`);
  }
} catch (err) {
  console.error(`bench:scale failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
