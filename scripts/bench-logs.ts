/**
 * npm run bench:logs [-- --lines 300000] [-- --small 1000000] [-- --big 10000000] [-- --runs 30] [-- --no-write]
 *
 * The log store, in one run:
 *  1. Ingest: a container (fleetdeck/node-base) prints one "ready" line, waits for a go file, then
 *     writes L JSON request lines as fast as stdout takes them, and stays up. Baseline: `docker logs -f <c>`,
 *     its newlines counted (as `| wc -l`), on one such container; then, with an in-process Core
 *     (logs: 'collect', scope: this run's services), a second identical one: from the go file until the store holds all its lines
 *     (store stats polled every 100 ms, then the exact count of its service checked). The
 *     process's RSS (the store's worker is a thread in it) sampled every 250 ms meanwhile, and
 *     its CPU; then a writer that exits at once (how many of its lines are kept), and 10 s of the Core idle.
 *  2. Search: stores built through SqliteLogStore.append with the same kind of lines over 7 days
 *     (S lines, then B lines if that build ends within 4 minutes): p50/p99 of R searches each of
 *     a rare word, a common word, a phrase, `level:warn` in one hour, and `requestId:<uuid>` of a
 *     line stored once (a different one each run). Baseline at S: `grep -c -F` over the same lines as a file.
 *  3. Disk: the store folder's bytes per line; and the process's CPU over 10 s with the store open and idle.
 * Every loop is bounded by count and by a deadline; containers carry dev.fleetdeck.project=<run> and
 * are removed at the end, also on failure or Ctrl-C. Writes the "Log store" section of docs/performance.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../main/core/core';
import { parseLogQuery } from '../main/common/log-query';
import type { LogSearch } from '../main/common/log-store-model';
import { SqliteLogStore } from '../main/core/logstore/sqlite-store';
import { COMMON_WORD, PHRASE, RARE_EVERY, RARE_WORD, storedLines, uuidOf, WRITER_JS } from './lib/log-lines';
import { writePerfSection } from './lib/perf-doc';
import { getHeapSpaceStatistics } from 'node:v8';

const args = process.argv.slice(2);
const num = (flag: string, def: number, max: number) => {
  const i = args.indexOf(flag);
  const v = i >= 0 ? Number(args[i + 1]) : def;
  return Number.isInteger(v) && v > 0 ? Math.min(v, max) : def;
};
/** 300,000 rather than 1,000,000: the engine's own `docker logs -f` reads 6,000-15,000 lines/s here, so 1 M lines is well over 60 s a side. */
const LINES = num('--lines', 300_000, 2_000_000);
const SMALL = num('--small', 1_000_000, 2_000_000);
const BIG = num('--big', 10_000_000, 20_000_000);
const RUNS = num('--runs', 30, 200);
const RUN = `fdlogs${randomBytes(3).toString('hex')}`;
const LABEL = `dev.fleetdeck.project=${RUN}`;
const root = process.cwd();
const DEADLINE = Date.now() + 11 * 60_000;
const BIG_BUILD_MS = 4 * 60_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const docker = (...a: string[]) => execFileSync('docker', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const rssMb = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
/** This process's CPU (every thread: the store's worker too), in seconds. */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const median = (xs: number[]) => pct(xs, 50);
const folderBytes = (dir: string) => readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const log = (s: string) => console.error(`bench:logs: ${s}`);
const left = () => DEADLINE - Date.now();

const dir = mkdtempSync(join(tmpdir(), 'fd-bench-logs-'));
const goDir = join(dir, 'go');
let core: Core | undefined;
const stores: SqliteLogStore[] = [];
const children = new Set<ReturnType<typeof spawn>>();

function cleanup(): void {
  for (const c of children) c.kill('SIGTERM');
  core?.stop();
  for (const s of stores) void s.close().catch(() => {});
  try {
    const ids = docker('ps', '-aq', '--filter', `label=${LABEL}`).split('\n').filter(Boolean);
    if (ids.length) docker('rm', '-f', ...ids);
  } catch {
    /* the engine is gone: nothing left to remove */
  }
  rmSync(dir, { recursive: true, force: true });
}
process.once('SIGINT', () => {
  cleanup();
  process.exit(130);
});

const baseImage = () => {
  const img = docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0];
  if (!img) throw new Error('no fleetdeck/node-base image (npm run samples:build makes it)');
  return img;
};

/** A writer container, created and started; it prints "ready" and waits for `go` before writing, then stays up `keep` s. */
function startWriter(side: string, image: string, service: string, lines: number, keep: number): string {
  return docker(
    'run',
    '-d',
    '--name',
    `${RUN}-${side}`,
    '--label',
    LABEL,
    '--label',
    `dev.fleetdeck.service=${service}`,
    '--network',
    'none',
    '-v',
    `${goDir}:/go:ro`,
    '-e',
    `N=${lines}`,
    '-e',
    `RUN=${RUN}`,
    '-e',
    `GO=/go/${side}`,
    '-e',
    `KEEP=${keep}`,
    image,
    'node',
    '-e',
    WRITER_JS,
  );
}
const go = (side: string) => writeFileSync(join(goDir, side), '');

// ---- 1. ingest ------------------------------------------------------------------------------------

interface Ingest {
  baselineS: number;
  baselineLines: number;
  coreS: number;
  coreLines: number;
  complete: boolean;
  problem?: string;
  rssBefore: number;
  rssMax: number;
  cpuPct: number;
  idleCpuPct: number;
  exitLines: number;
  exitKept: number;
  exitEngine: number;
  dockerLogBytes?: number;
}

async function ingest(image: string): Promise<Ingest> {
  mkdirSync(goDir, { recursive: true });
  // Baseline: `docker logs -f`, its newlines counted here as wc -l would; the clock from the go file to the last line.
  // The writer stays up: the Core stops following an instance that exits (see the exit row).
  const base = startWriter('base', image, 'order-service', LINES, 600);
  await sleep(1000);
  const dl = spawn('docker', ['logs', '-f', base], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.add(dl);
  let seen = 0;
  let lastAt = 0;
  dl.stdout.on('data', (d: Buffer) => {
    for (const c of d) if (c === 10) seen++;
    lastAt = performance.now();
  });
  for (let i = 0; i < 50 && seen < 1; i++) await sleep(100);
  const b0 = performance.now();
  go('base');
  for (const until = Date.now() + Math.min(180_000, left()); seen < LINES + 1 && Date.now() < until;) await sleep(20);
  dl.kill('SIGTERM');
  children.delete(dl);
  const baselineS = (lastAt - b0) / 1000;
  const baselineLines = seen - 1; // less the ready line
  log(`baseline: ${baselineLines} lines in ${baselineS.toFixed(1)} s`);
  let dockerLogBytes: number | undefined;
  try {
    dockerLogBytes = statSync(docker('inspect', '-f', '{{.LogPath}}', base)).size;
  } catch {
    /* the engine's files are not readable here */
  }
  docker('rm', '-f', base);

  // Fleetdeck: a Core collecting the logs of this run's services only (the "opened" scope, as a
  // person picks it): whatever else runs on the engine (other benches, the samples) stays out.
  const envId = 'docker:local';
  const ids = ['order-service', 'exit-writer'].map((s) => `${envId}/${RUN}/${s}`);
  mkdirSync(join(dir, 'state'), { recursive: true });
  writeFileSync(join(dir, 'state', 'log-scopes.json'), JSON.stringify({ scopes: { [envId]: 'opened' }, opened: { [envId]: ids } }));
  core = new Core({ mode: 'cli', logs: 'collect', stateDir: join(dir, 'state'), env: { ...process.env, KUBECONFIG: '/nonexistent' } });
  await core.start();
  const store = core.logStore;
  // Whatever else runs on the engine is back-filled first; the store is let settle.
  for (let prev = -1, i = 0; i < 40; i++) {
    await sleep(500);
    await store.flush();
    const n = (await store.stats()).lines;
    if (n === prev && i >= 4) break;
    prev = n;
  }
  const ours = startWriter('core', image, 'order-service', LINES, 600);
  const ready = parseLogQuery(RUN);
  let service: string | undefined;
  for (let i = 0; i < 200 && !service && left() > 0; i++) {
    await sleep(100);
    await store.flush();
    service = (await store.search({ query: ready, limit: 1 })).hits[0]?.service;
  }
  if (!service) throw new Error('the Core did not store the writer container\'s "ready" line in 20 s');
  await sleep(500);
  const lines0 = (await store.stats()).lines;
  const rss: number[] = [];
  const rssBefore = rssMb();
  const heap = { total: 0, external: 0 };
  const sampler = setInterval(() => {
    rss.push(rssMb());
    const m = process.memoryUsage();
    heap.total = Math.max(heap.total, m.heapTotal / 1048576);
    heap.external = Math.max(heap.external, m.external / 1048576);
    if (process.env.BENCH_HEAP)
      for (const sp of getHeapSpaceStatistics()) spaces.set(sp.space_name, Math.max(spaces.get(sp.space_name) ?? 0, sp.space_size / 1048576));
  }, 250);
  const spaces = new Map<string, number>();
  const c0 = cpuSeconds();
  const t0 = performance.now();
  go('core');
  let stored = 0;
  let prev = -1;
  let problem: string | undefined;
  const until = Date.now() + Math.min(240_000, left());
  while (stored < LINES && Date.now() < until) {
    await sleep(100);
    let st = await store.stats();
    if (st.lines === prev) {
      // Nothing new: what remains may be a block waiting for its second; flush writes it.
      await store.flush();
      st = await store.stats();
    }
    prev = st.lines;
    stored = st.lines - lines0;
    problem = st.problem;
  }
  const coreS = (performance.now() - t0) / 1000;
  if (process.env.BENCH_HEAP) log(`heap spaces at most (MB): ${[...spaces].map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
  log(
    `fleetdeck: the collector held back ${core.logCollector.heldBack} times; main thread's heap at most ${fmt(heap.total)} MB, external ${fmt(heap.external)} MB`,
  );
  const c1 = cpuSeconds();
  clearInterval(sampler);
  rss.push(rssMb());
  // The exact count of the writer's own lines (other containers may have written meanwhile).
  const h = await store.histogram({ query: parseLogQuery(''), services: [service], from: 0, to: Date.now() + DAY, buckets: 1 });
  const coreLines = (h.counts[0] ?? 0) - 1;
  log(`fleetdeck: ${coreLines} lines in ${coreS.toFixed(1)} s${problem ? ` (${problem})` : ''}`);
  // A container that exits right after writing: how many of its lines are kept.
  const exitLines = 20_000;
  const gone = startWriter('exit', image, 'exit-writer', exitLines, 0);
  await sleep(1500);
  go('exit');
  let exitKept = 0;
  for (let i = 0, last = -1, same = 0; i < 100 && same < 10 && left() > 0; i++) {
    await sleep(200);
    await store.flush();
    const h2 = await store.histogram({ query: parseLogQuery(''), services: [ids[1]!], from: 0, to: Date.now() + DAY, buckets: 1 });
    exitKept = (h2.counts[0] ?? 0) - 1;
    same = exitKept === last ? same + 1 : 0;
    last = exitKept;
  }
  const exitEngine = Number(execFileSync('sh', ['-c', `docker logs ${gone} 2>/dev/null | wc -l`], { encoding: 'utf8' }).trim()) - 1;
  log(`exiting writer: ${exitKept} of ${exitEngine} lines kept`);
  docker('rm', '-f', gone);
  await sleep(2000);
  const i0 = cpuSeconds();
  const w0 = performance.now();
  await sleep(10_000);
  const idleCpuPct = (100 * (cpuSeconds() - i0)) / ((performance.now() - w0) / 1000);
  await core.close();
  core = undefined;
  docker('rm', '-f', ours);
  return {
    baselineS,
    baselineLines,
    coreS,
    coreLines,
    complete: coreLines >= LINES,
    ...(problem ? { problem } : {}),
    rssBefore,
    rssMax: Math.max(...rss),
    cpuPct: (100 * (c1 - c0)) / coreS,
    idleCpuPct,
    exitLines,
    exitKept,
    exitEngine,
    ...(dockerLogBytes ? { dockerLogBytes } : {}),
  };
}

// ---- 2. search ------------------------------------------------------------------------------------

interface Built {
  store: SqliteLogStore;
  dir: string;
  lines: number;
  /** Lines it was to hold (their times spread over the week as if all were stored). */
  total: number;
  seconds: number;
  t0: number;
  /** The same lines as a file, for grep (the small store only). */
  file?: string;
  textBytes: number;
}

/** Appends `total` lines over the week before now, 51,200 at a time (200 full blocks of each of the 5 sources), two batches in flight. */
async function build(name: string, total: number, withinMs: number, file: boolean): Promise<Built> {
  const sdir = join(dir, name);
  mkdirSync(sdir, { recursive: true, mode: 0o700 });
  const store = new SqliteLogStore({ dir: sdir, limits: { maxBytes: 64 * 1024 ** 3, maxAgeMs: 365 * DAY } });
  stores.push(store);
  const t0 = Date.now() - WEEK;
  const CHUNK = 51_200;
  const path = file ? join(dir, `${name}.jsonl`) : undefined;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  const until = Date.now() + Math.min(withinMs, left() - 60_000);
  let n = 0;
  let textBytes = 0;
  let reported = started;
  while (n < total && Date.now() < until) {
    const batch = storedLines(n, Math.min(CHUNK, total - n), total, t0, WEEK);
    for (const l of batch) textBytes += Buffer.byteLength(l.text) + 1;
    if (path) appendFileSync(path, batch.map((l) => l.text).join('\n') + '\n');
    // The store takes what its queue has room for; the rest waits, as the collector's followers do.
    for (let taken = store.append(batch); taken < batch.length; taken += store.append(batch.slice(taken))) await store.room();
    inFlight.push(store.flush());
    n += batch.length;
    if (inFlight.length >= 2) await inFlight.shift();
    if (performance.now() - reported > 15_000) {
      reported = performance.now();
      log(`${name}: ${fmt(n)} lines appended, ${fmt(n / ((reported - started) / 1000))}/s`);
    }
  }
  await Promise.all(inFlight);
  // Stored and indexed: indexing waits while appends flow, and the searches below are of the steady state.
  await store.settle();
  const seconds = (performance.now() - started) / 1000;
  if (store.droppedLines > 0) throw new Error(`${name}: the store dropped ${store.droppedLines} lines while being built`);
  const st = await store.stats();
  log(`${name}: ${fmt(st.lines)} lines stored in ${seconds.toFixed(1)} s (${fmt(st.lines / seconds)}/s)`);
  return { store, dir: sdir, lines: st.lines, total, seconds, t0, ...(path ? { file: path } : {}), textBytes };
}

interface Timing {
  name: string;
  p50: number;
  p99: number;
  cold: number;
  runs: number;
  hits: string;
  grep?: number;
}

/** One warm-up search (reported as "cold"), then up to RUNS timed, within `ms`. */
async function timeSearch(
  b: Built,
  name: string,
  make: (run: number) => LogSearch,
  check: (hits: number, more: boolean, run: number) => string | undefined,
  ms: number,
): Promise<Timing> {
  const times: number[] = [];
  const c = performance.now();
  const first = await b.store.search(make(-1));
  const cold = performance.now() - c;
  const until = Date.now() + ms;
  let hits = `${first.hits.length}${first.more ? '+' : ''}`;
  for (let run = 0; run < RUNS && Date.now() < until; run++) {
    const s = make(run);
    const t = performance.now();
    const r = await b.store.search(s);
    times.push(performance.now() - t);
    const wrong = check(r.hits.length, r.more, run);
    if (wrong) hits = `**${wrong}**`;
  }
  return { name, p50: median(times), p99: pct(times, 99), cold, runs: times.length, hits };
}

function grepMs(file: string, pattern: string): number {
  const ts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    try {
      execFileSync('grep', ['-c', '-F', '--', pattern, file], { stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      /* no match exits 1 */
    }
    ts.push(performance.now() - t);
  }
  return median(ts);
}

async function searches(b: Built, perQueryMs: number): Promise<Timing[]> {
  const q = (text: string) => parseLogQuery(text);
  const rare = Math.floor(b.lines / RARE_EVERY);
  const span = (WEEK * b.lines) / b.total;
  // One hour ending at 60% of the stored span.
  const hourTo = b.t0 + span * 0.6;
  const hourFrom = hourTo - 3_600_000;
  // Lines stored once, spread over the store from oldest to newest: each run looks for another.
  const idAt = (run: number) => Math.floor(((Math.max(run, 0) + 0.5) / RUNS) * (b.lines - 1));
  const out: Timing[] = [];
  const grep = (p: string) => (b.file ? grepMs(b.file, p) : undefined);
  const add = (t: Timing, g?: number) => out.push(g === undefined ? t : { ...t, grep: g });
  add(
    await timeSearch(
      b,
      `rare word \`${RARE_WORD}\` (${rare} lines)`,
      () => ({ query: q(RARE_WORD) }),
      (n) => (n !== rare ? `${n} hits, not ${rare}` : undefined),
      perQueryMs,
    ),
    grep(RARE_WORD),
  );
  add(
    await timeSearch(
      b,
      `common word \`${COMMON_WORD}\` (~93% of lines), newest 500`,
      () => ({ query: q(COMMON_WORD) }),
      (n) => (n !== 500 ? `${n} hits, not 500` : undefined),
      perQueryMs,
    ),
    grep(COMMON_WORD),
  );
  add(
    await timeSearch(
      b,
      `phrase \`"${PHRASE}"\` (~2%), newest 500`,
      () => ({ query: q(`"${PHRASE}"`) }),
      (n) => (n !== 500 ? `${n} hits, not 500` : undefined),
      perQueryMs,
    ),
    grep(PHRASE),
  );
  add(
    await timeSearch(
      b,
      '`level:warn`, one hour (~7% of its lines), newest 500',
      () => ({ query: q('level:warn'), from: Math.floor(hourFrom), to: Math.floor(hourTo) }),
      (n) => (n === 0 ? 'no hits' : undefined),
      perQueryMs,
    ),
  );
  add(
    await timeSearch(
      b,
      '`requestId:<uuid>` of one line (another each run)',
      (run) => ({ query: q(`requestId:${uuidOf(idAt(run))}`) }),
      (n) => (n !== 1 ? `${n} hits, not 1` : undefined),
      perQueryMs,
    ),
    grep(uuidOf(idAt(0))),
  );
  return out;
}

async function idleCpu(seconds: number): Promise<number> {
  const c = cpuSeconds();
  const t = performance.now();
  await sleep(seconds * 1000);
  return (100 * (cpuSeconds() - c)) / ((performance.now() - t) / 1000);
}

// ---- the section ----------------------------------------------------------------------------------

async function main(): Promise<void> {
  const image = baseImage();
  log(`run ${RUN}: ingest ${fmt(LINES)} lines; stores of ${fmt(SMALL)} and ${fmt(BIG)} lines; ${RUNS} runs a search`);
  const processIdle = await idleCpu(5);
  const ing = await ingest(image);
  if (args.includes('--ingest-only')) {
    // For profiling the ingest (node --cpu-prof): figures printed, docs/performance.md left as it is.
    log(
      `ingest: ${fmt(ing.coreLines / ing.coreS)} lines/s vs docker logs -f ${fmt(ing.baselineLines / ing.baselineS)}; RSS +${fmt(ing.rssMax - ing.rssBefore)} MB; CPU ${fmt(ing.cpuPct)}%`,
    );
    return;
  }

  const small = await build('small', SMALL, 120_000, true);
  const smallT = await searches(small, 20_000);
  await small.store.flush();
  const smallBytes = folderBytes(small.dir);
  const storeIdle = await idleCpu(10);
  await small.store.close();
  const smallClosed = folderBytes(small.dir);
  rmSync(small.dir, { recursive: true, force: true });
  if (small.file) rmSync(small.file, { force: true });

  const big = await build('big', BIG, BIG_BUILD_MS, false);
  const bigComplete = big.lines >= BIG;
  const bigT = await searches(big, Math.max(5_000, Math.min(30_000, (left() - 30_000) / 5)));
  await big.store.flush();
  const bigBytes = folderBytes(big.dir);
  await big.store.close();
  const bigClosed = folderBytes(big.dir);

  const dockerV = docker('version', '--format', '{{.Server.Version}}');
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const machine = `${cpus().length} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}, Docker ${dockerV} (json-file logs)`;
  const ok = (b: boolean) => (b ? 'met' : '**not met**');
  const rate = (n: number, s: number) => n / s;
  const baseRate = rate(ing.baselineLines, ing.baselineS);
  const coreRate = rate(Math.max(0, ing.coreLines), ing.coreS);
  const ratio = coreRate / baseRate;
  const rssUp = ing.rssMax - ing.rssBefore;
  const ms = (x: number) => (x < 10 ? x.toFixed(1) : x.toFixed(0));
  const bigLabel = bigComplete ? `${fmt(big.lines)}` : `${fmt(big.lines)} (10 M not reached in ${BIG_BUILD_MS / 60_000} min)`;
  const searchRow = (size: string, t: Timing, target: boolean) =>
    `| search, ${size} lines: ${t.name} — p50 / p99 of ${t.runs} (ms; first run ${ms(t.cold)}; hits ${t.hits}) | ${ms(t.p50)} / ${ms(t.p99)} | ${t.grep !== undefined ? `\`grep -c -F\` over the same lines as a file: ${ms(t.grep)}` : '—'} | ${t.grep !== undefined ? `${(t.p99 / t.grep).toFixed(2)}× (p99)` : '—'} | ${target ? `p99 ≤ 200 ms at 10 M: ${ok(t.p99 <= 200)}` : '(≤ 200 ms at 10 M)'} |`;
  const perLine = (bytes: number, n: number) => bytes / Math.max(1, n);
  const md = [
    '## Log store (ingest, search, disk)',
    '',
    `\`npm run bench:logs\` — ingest: a \`${image}\` container prints one "ready" line, waits for a go file, then writes ${fmt(LINES)} JSON request lines like the samples' (pino fields, a unique \`requestId\` each, varied urls and statuses, 93% info / 5% warn / 2% error) as fast as stdout takes them; the writer then stays up (the Core stops following an instance that exits: see the exit row). One container for the baseline, \`docker logs -f <c>\` with its newlines counted as \`wc -l\` would (the clock from the go file to the last line), then an identical one with an in-process Core (\`logs: 'collect'\`, the local engine's scope set to "opened" with this run's services opened, so other benches' and the samples' containers stay out), the clock from the go file until the store holds every line (its stats polled every 100 ms, flushed when they stall; then the service's exact count). ${fmt(LINES)} lines, not 1,000,000: the engine's own \`docker logs -f\` reads about ${fmt(baseRate)} lines/s here, so 1 M would be over a minute a side. Search: stores built through \`SqliteLogStore.append\` (51,200 lines a batch, two in flight) with the same kind of lines from 5 instances spread over the 7 days before the run, limits raised so nothing is pruned; every search as the API asks it (newest first, at most 500 hits), timed round trip through the worker, after one untimed first run. Disk: the store folder (database, WAL and its index) after a flush. CPU: this process (all threads, the store's worker included), from \`process.cpuUsage\`.`,
    '',
    `Machine: ${machine}. Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, the store at ${commit}.`,
    '',
    '| Measure | Fleetdeck | Baseline (same run) | Ratio | Target |',
    '| --- | ---: | ---: | ---: | --- |',
    `| ingest: ${fmt(LINES)} lines of one container, go → all stored (lines/s) | ${fmt(coreRate)} (${fmt(ing.coreLines)} lines in ${ing.coreS.toFixed(1)} s${ing.complete ? '' : `: **incomplete**${ing.problem ? ` — ${ing.problem}` : ''}`}) | \`docker logs -f\`, lines counted: ${fmt(baseRate)} (${fmt(ing.baselineLines)} lines in ${ing.baselineS.toFixed(1)} s) | ${ratio.toFixed(2)}× | ≥ 1.0×: ${ok(ratio >= 1 && ing.complete)} |`,
    `| process RSS during the flood, max − before (MB) | +${rssUp.toFixed(0)} (${ing.rssBefore.toFixed(0)} → ${ing.rssMax.toFixed(0)}) | — | — | ≤ +50 MB: ${ok(rssUp <= 50)} |`,
    `| process CPU during the flood (% of a core) | ${ing.cpuPct.toFixed(0)} | — | — | — |`,
    ...smallT.map((t) => searchRow(fmt(small.lines), t, false)),
    ...bigT.map((t) => searchRow(bigLabel, t, bigComplete)),
    `| a container that exits right after writing ${fmt(ing.exitLines)} lines: lines stored | ${fmt(ing.exitKept)} | \`docker logs <c> \\| wc -l\`: ${fmt(ing.exitEngine)} | ${(ing.exitKept / Math.max(1, ing.exitEngine)).toFixed(2)}× | all: ${ok(ing.exitKept >= ing.exitEngine)} |`,
    `| disk per line, ${fmt(small.lines)}-line store (bytes) | ${perLine(smallBytes, small.lines).toFixed(0)} (${(smallBytes / 1e6).toFixed(0)} MB; closed: ${perLine(smallClosed, small.lines).toFixed(0)}) | the lines as text: ${perLine(small.textBytes, small.lines).toFixed(0)}${ing.dockerLogBytes ? `; Docker's json-file log of the ingest: ${perLine(ing.dockerLogBytes, LINES + 1).toFixed(0)}` : ''} | ${(smallBytes / small.textBytes).toFixed(2)}× the text | ≤ 150 B: ${ok(perLine(smallBytes, small.lines) <= 150)} |`,
    `| disk per line, ${bigLabel}-line store (bytes) | ${perLine(bigBytes, big.lines).toFixed(0)} (${(bigBytes / 1e6).toFixed(0)} MB; closed: ${perLine(bigClosed, big.lines).toFixed(0)}) | the lines as text: ${perLine(big.textBytes, big.lines).toFixed(0)} | ${(bigBytes / big.textBytes).toFixed(2)}× the text | ≤ 150 B: ${ok(perLine(bigBytes, big.lines) <= 150)} |`,
    `| build of the ${bigLabel}-line store through append (lines/s) | ${fmt(big.lines / big.seconds)} (${big.seconds.toFixed(0)} s; ${fmt(small.lines)} lines: ${fmt(small.lines / small.seconds)}/s) | — | — | — |`,
    `| CPU idle, 10 s, nothing written (% of a core) | store open (${fmt(small.lines)} lines): ${storeIdle.toFixed(2)}; Core collecting, after the flood: ${ing.idleCpuPct.toFixed(2)} | this process before anything (5 s): ${processIdle.toFixed(2)} | — | — |`,
  ].join('\n');
  console.log(md);
  if (!args.includes('--no-write')) writePerfSection(join(root, 'docs', 'performance.md'), 'logs', md);
}

if (import.meta.main)
  main()
    .catch((e: unknown) => {
      console.error(`bench:logs failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exitCode = 1;
    })
    .finally(() => {
      cleanup();
      // The Core's engine connections and the stores' workers are closed; a stray handle must not hold the bench open.
      setTimeout(() => process.exit(), 2000).unref();
    });
