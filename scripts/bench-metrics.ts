/**
 * npm run bench:metrics [-- --no-write]; BENCH_SECONDS=10 for a short smoke run (default 60)
 *
 * The metrics history's costs, over the local engine, with `fleetdeck serve` from the build (which
 * records every service of docker:local, chart open or not) and the renderer in Debian's Chromium:
 *  (b) the panel idle with 25 one-instance services listed and the window open: serve's CPU plus the
 *      page's renderer processes' CPU over the window;
 *  (a) collecting for 50 containers (one service of 50 replicas) at 1 Hz, window closed: serve's CPU
 *      against `docker stats` streaming every container over the same seconds (the baseline);
 *  (c) the Metrics tab (found by its tab name) open on that 50-replica service: the renderer's CPU;
 *  (d) the history's growth per service per day, from the file's growth over the run and the tier
 *      sizes, and the time `metrics.range` takes for 24 h of a day of synthetic points.
 * CPU is read from /proc/<pid>/stat (user + system), in percent of one core. Everything carries the
 * label dev.fleetdeck.bench=<run id> and is removed at the end, also on failure or Ctrl-C; the whole
 * run is bounded (about 10 minutes at most). Writes the "Metrics" section of docs/performance.md.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import type { Browser, Page } from '@playwright/test';
import { METRIC_TIERS } from '../main/common/metrics-model';
import type { MetricPoint } from '../main/common/model';
import { HistoryDb } from '../main/core/metricstore/history-db';
import { encodePoint } from '../main/core/metricstore/points';
import { CHROMIUM, launchChromium } from './lib/chromium';
import { writePerfSection } from './lib/perf-doc';

const args = process.argv.slice(2);
const SECONDS = Math.min(60, Math.max(5, Number(process.env.BENCH_SECONDS) || 60));
const IDLE_SERVICES = 25;
const REPLICAS = 50;
const WARMUP_MS = Math.min(10_000, SECONDS * 500);
const RUN = `fdmetrics${randomBytes(3).toString('hex')}`;
const LABEL = `dev.fleetdeck.bench=${RUN}`;
const root = process.cwd();
const TOKEN = randomBytes(12).toString('hex');
const START = Date.now();
const DEADLINE = START + 9.5 * 60_000;
const state = mkdtempSync(join(tmpdir(), 'fd-bench-metrics-'));
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const docker = (...a: string[]) => execFileSync('docker', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const dockerAsync = (...a: string[]) => promisify(execFile)('docker', a, { timeout: 120_000 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const baseImage = () => docker('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0] ?? '';
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK; // fields 14 and 15 of stat(5)
}
const alive = (pid: number) => existsSync(`/proc/${pid}/stat`);

/** Percent of one core each process used over `seconds`, measured together. */
async function cpuOver(pids: Record<string, number[]>, seconds: number): Promise<Record<string, number>> {
  const sum = (l: number[]) => l.filter(alive).reduce((n, p) => n + cpuSeconds(p), 0);
  const before = Object.fromEntries(Object.entries(pids).map(([k, l]) => [k, sum(l)]));
  const t0 = process.hrtime.bigint();
  await sleep(seconds * 1000);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return Object.fromEntries(Object.entries(pids).map(([k, l]) => [k, ((sum(l) - before[k]!) / wall) * 100]));
}

let serve: ChildProcess | undefined;
let stats: ChildProcess | undefined;
let browser: Browser | undefined;

function removeContainers(): void {
  try {
    const ids = docker('ps', '-aq', '--filter', `label=${LABEL}`).split('\n').filter(Boolean);
    for (let i = 0; i < ids.length; i += 50) docker('rm', '-f', ...ids.slice(i, i + 50));
  } catch {
    /* the engine is gone: nothing left to remove */
  }
}
function cleanup(): void {
  serve?.kill('SIGTERM');
  stats?.kill('SIGTERM');
  void browser?.close().catch(() => {});
  removeContainers();
}
process.once('SIGINT', () => {
  cleanup();
  process.exit(130);
});

/** Idle replicas, a few `docker run`s at once so 50 start in reasonable time on a busy machine. */
async function runIdle(service: string, count: number): Promise<void> {
  const image = baseImage();
  let next = 1;
  const worker = async () => {
    while (next <= count && Date.now() < DEADLINE) {
      const r = next++;
      await dockerAsync(
        'run',
        '-d',
        '--name',
        `${RUN}-${service}-${r}`,
        '--label',
        LABEL,
        '--label',
        `dev.fleetdeck.service=${service}`,
        '--label',
        `dev.fleetdeck.project=${RUN}`,
        image,
        'node',
        '-e',
        'setInterval(() => {}, 1e9)',
      );
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

async function startServe(): Promise<{ url: string; pid: number }> {
  const p = spawn(process.execPath, ['dist/main/cli.js', 'serve', '--port', '0'], {
    cwd: root,
    env: { ...process.env, FLEETDECK_TOKEN: TOKEN, KUBECONFIG: '/nonexistent', FLEETDECK_STATE_DIR: state },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  serve = p;
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    const t = setTimeout(() => fail(new Error('serve printed no URL in 30 s')), 30_000);
    p.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        ok(m[1]!);
      }
    });
  });
  return { url, pid: p.pid! };
}

/** The page's renderer processes (one page open): their pids, from Chromium itself. */
async function rendererPids(b: Browser): Promise<number[]> {
  const cdp = await b.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo' as never)) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  return processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
}

const HISTORY = () => join(state, 'metrics', 'metrics.db');

/** Rows and payload bytes per service in serve's history, and the file's bytes (with its WAL). */
function historySnapshot(): { bytes: number; rows: Map<string, { rows: number; payload: number }> } {
  const file = HISTORY();
  const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
  const rows = new Map<string, { rows: number; payload: number }>();
  if (!existsSync(file)) return { bytes: 0, rows };
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    for (const r of db
      .prepare('SELECT s.service AS service, count(*) AS n, sum(length(p.data)) AS payload FROM points p JOIN series s ON s.id = p.series GROUP BY s.service')
      .all() as { service: string; n: number; payload: number }[])
      rows.set(r.service, { rows: Number(r.n), payload: Number(r.payload) });
  } finally {
    db.close();
  }
  return { bytes: size(file) + size(`${file}-wal`), rows };
}

/** Bytes on disk per byte of payload once compacted: a copy of a history file, checkpointed and vacuumed. */
function compactOverhead(file: string): number {
  const copy = mkdtempSync(join(tmpdir(), 'fd-bench-compact-'));
  try {
    for (const suffix of ['', '-wal']) if (existsSync(file + suffix)) copyFileSync(file + suffix, join(copy, `m.db${suffix}`));
    const db = new DatabaseSync(join(copy, 'm.db'));
    db.exec('PRAGMA wal_checkpoint(TRUNCATE); VACUUM');
    const payload = Number((db.prepare('SELECT sum(length(data)) AS n FROM points').get() as { n: number }).n);
    const pages = Number((db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count);
    const pageSize = Number((db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size);
    db.close();
    return (pages * pageSize) / Math.max(1, payload);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** Rows a service writes in a day (every tier), and what the store keeps of it once every tier is full. */
const ROWS_PER_DAY = METRIC_TIERS.reduce((n, t) => n + 86_400_000 / t.stepMs, 0);
const ROWS_KEPT = METRIC_TIERS.reduce((n, t) => n + t.keepMs / t.stepMs, 0);

/** A day of synthetic points for one service of `instances` instances, every tier, in a history file of its own. */
function syntheticHistory(dir: string, serviceId: string, instances: number, now: number): void {
  const db = new HistoryDb(join(dir, 'metrics', 'metrics.db'));
  const point = (t: number): MetricPoint => {
    const p: MetricPoint = { t, cpuPercent: 0, memMiB: 0, rxKBps: 0, txKBps: 0, rps: 0, errorsPerSecond: 0, p95Ms: 0, instances: {} };
    for (let i = 1; i <= instances; i++) {
      const f = {
        cpuPercent: 1 + ((t / 1000 + i) % 7),
        memMiB: 40 + (i % 5),
        rxKBps: 1.2,
        txKBps: 3.4,
        rps: 2 + (i % 3),
        errorsPerSecond: 0,
        p95Ms: 12 + (i % 9),
      };
      p.instances[`${RUN}-synthetic-${i}`] = f;
      p.cpuPercent += f.cpuPercent;
      p.memMiB += f.memMiB;
    }
    return p;
  };
  METRIC_TIERS.forEach((tier, i) => {
    const span = Math.min(tier.keepMs, 86_400_000);
    const rows = [];
    for (let t = Math.floor((now - span) / tier.stepMs) * tier.stepMs; t < now; t += tier.stepMs) {
      rows.push({ service: serviceId, tier: i, t, data: encodePoint(point(t)) });
      if (rows.length >= 2000) db.write(rows.splice(0), []);
    }
    db.write(rows, []);
  });
  db.close();
}

/**
 * metrics.range over 24 h through the API, as the Metrics tab asks it (600 points, per-instance
 * figures for the drawn lines only; 'all' as its "Every instance" asks): the first call and the median of the next.
 */
async function rangeTimes(
  instances: number,
  mode: 'top' | 'all' = 'top',
): Promise<{ first: number; median: number; max: number; points: number; bytes: number; overhead: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'fd-bench-range-'));
  const serviceId = `docker:local/${RUN}/synthetic${instances}`;
  const now = Date.now();
  syntheticHistory(dir, serviceId, instances, now);
  const overhead = compactOverhead(join(dir, 'metrics', 'metrics.db'));
  const previous = process.env.FLEETDECK_STATE_DIR;
  process.env.FLEETDECK_STATE_DIR = dir;
  const { openSession } = await import('../main/cli/session');
  const session = await openSession();
  process.env.FLEETDECK_STATE_DIR = previous;
  try {
    const call = async () => {
      const t0 = performance.now();
      const r = await session.client.call('metrics.range', {
        envId: 'docker:local',
        serviceId,
        from: now - 86_400_000,
        to: now,
        maxPoints: 600,
        instances: mode,
      });
      return { ms: performance.now() - t0, points: r.points.length, bytes: JSON.stringify(r).length };
    };
    const first = await call();
    const next: number[] = [];
    for (let i = 0; i < 10; i++) next.push((await call()).ms);
    return { first: first.ms, median: median(next), max: Math.max(...next), points: first.points, bytes: first.bytes, overhead };
  } finally {
    session.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function openPanel(url: string): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Environments' }).getByText('Connected').first().waitFor({ timeout: 60_000 });
  return page;
}

const pct = (n: number) => `${n.toFixed(2)} %`;

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist/main/cli.js')) || !existsSync(join(root, 'dist/renderer'))) throw new Error('run "npm run build" first');
  if (!baseImage()) throw new Error('no fleetdeck/node-base image; run "npm run samples:build" first');
  const notes: string[] = [];
  const log = (s: string) => console.error(`bench:metrics: ${s} (${((Date.now() - START) / 1000).toFixed(0)} s)`);

  // (b) 25 idle services, the window open on the services list.
  log(`starting ${IDLE_SERVICES} idle services`);
  for (let s = 0; s < IDLE_SERVICES; s += 5) await Promise.all(Array.from({ length: Math.min(5, IDLE_SERVICES - s) }, (_x, k) => runIdle(`idle${s + k}`, 1)));
  const { url, pid } = await startServe();
  browser = await launchChromium();
  let page = await openPanel(url);
  await page.waitForFunction(`document.querySelectorAll('table[aria-label="Services"] tr[data-service]').length >= ${IDLE_SERVICES}`, undefined, {
    timeout: 60_000,
  });
  await sleep(WARMUP_MS);
  const idleBefore = historySnapshot();
  log(`(b) measuring serve + renderer, idle, ${SECONDS} s`);
  const b = await cpuOver({ serve: [pid], renderer: await rendererPids(browser) }, SECONDS);
  const idleAfter = historySnapshot();
  await page.close();

  // (a) 50 replicas of one service, the window closed: serve's collection against docker stats.
  removeContainers();
  log(`starting ${REPLICAS} replicas`);
  await runIdle('wide', REPLICAS);
  const wideId = `docker:local/${RUN}/wide`;
  const running = () => docker('ps', '-q', '--filter', `label=${LABEL}`).split('\n').filter(Boolean).length;
  for (let i = 0; running() < REPLICAS && i < 60; i++) await sleep(1000);
  await sleep(WARMUP_MS);
  stats = spawn('docker', ['stats', '--format', '{{json .}}'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let statsBytes = 0;
  stats.stdout!.on('data', (d: Buffer) => (statsBytes += d.length));
  await sleep(3000); // docker stats' first frames open a stream per container
  const wideBefore = historySnapshot();
  log(`(a) measuring serve vs docker stats, ${SECONDS} s`);
  const a = await cpuOver({ serve: [pid], stats: [stats.pid!] }, SECONDS);
  const wideAfter = historySnapshot();
  stats.kill('SIGTERM');
  stats = undefined;
  if (!statsBytes) notes.push('docker stats printed nothing during (a): its baseline is not valid.');

  // (c) the Metrics tab on the 50-replica service.
  let c: Record<string, number> | undefined;
  let tabNote = '';
  if (Date.now() < DEADLINE - (SECONDS + 60) * 1000) {
    page = await openPanel(url);
    const row = page.getByRole('table', { name: 'Services' }).getByRole('row', { name: new RegExp(`${RUN}/wide`) });
    await row.waitFor({ timeout: 60_000 });
    await row.click();
    await page
      .getByRole('region', { name: `Service ${RUN}/wide` })
      .getByRole('tab', { name: 'Metrics' })
      .click();
    await page.getByRole('region', { name: 'Metrics', exact: true }).waitFor({ timeout: 30_000 });
    await page
      .getByRole('region', { name: 'Metrics', exact: true })
      .getByRole('figure')
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(() => (tabNote = 'no chart figure appeared within 30 s; measured what the tab showed.'));
    await sleep(WARMUP_MS);
    log(`(c) measuring the renderer with the Metrics tab open, ${SECONDS} s`);
    c = await cpuOver({ serve: [pid], renderer: await rendererPids(browser) }, SECONDS);
    if (tabNote) notes.push(`(c): ${tabNote}`);
  } else notes.push('(c) left out: the run reached its time bound.');

  // (d) the history's growth, and a 24 h range.
  log('(d) metrics.range over 24 h of synthetic points');
  const range3 = await rangeTimes(3);
  const range50 = await rangeTimes(REPLICAS);
  const range50All = await rangeTimes(REPLICAS, 'all');
  // A day of rows fills pages as the store does over time (serve's short run would overstate the fixed pages);
  // small rows and rows near a page's size pack differently, so each kind of service gets its own factor.
  const perService = (
    before: ReturnType<typeof historySnapshot>,
    after: ReturnType<typeof historySnapshot>,
    pick: (id: string) => boolean,
    overhead: number,
  ) => {
    let rows = 0;
    let payload = 0;
    let services = 0;
    for (const [id, r] of after.rows) {
      if (!pick(id)) continue;
      const was = before.rows.get(id) ?? { rows: 0, payload: 0 };
      rows += r.rows - was.rows;
      payload += r.payload - was.payload;
      services++;
    }
    const perRow = rows ? (payload / rows) * overhead : 0;
    return { services, rows, perRow, fileGrowth: after.bytes - before.bytes };
  };
  const idleGrowth = perService(idleBefore, idleAfter, (id) => id.includes(`/${RUN}/idle`), range3.overhead);
  const wideGrowth = perService(wideBefore, wideAfter, (id) => id === wideId, range50.overhead);
  const rowsAll = (g: { rows: number }, seconds: number) => g.rows / seconds;

  const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
  const cores = cpus().length;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const machine = `${cores} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}, Docker ${docker('version', '--format', '{{.Server.Version}}')}, ${execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim()}`;
  const ratio = a.stats! > 0 ? a.serve! / a.stats! : NaN;
  const md = [
    '## Metrics history (collecting, the idle panel, the Metrics tab, the store)',
    '',
    "`npm run bench:metrics` — `fleetdeck serve` from the build, recording every service of docker:local (1 s, 10 s and 1 min tiers), the renderer in Debian's Chromium; CPU from /proc/<pid>/stat (user + system) in percent of one core over the same seconds.",
    '',
    `Machine: ${machine}. Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${SECONDS} s per measure${SECONDS < 60 ? ' (a short run: BENCH_SECONDS)' : ''}; load average at the end ${load}.`,
    '',
    '| Measure | Fleetdeck | Baseline (same run) | Ratio | Target |',
    '| --- | ---: | ---: | ---: | --- |',
    `| (a) collecting ${REPLICAS} containers at 1 Hz, window closed: serve CPU | ${pct(a.serve!)} | \`docker stats\` streaming all containers: ${pct(a.stats!)} | ${ratio.toFixed(2)}× | ≤ 0.5× |`,
    `| (b) panel idle, ${IDLE_SERVICES} services, window open: serve + renderer CPU | ${pct(b.serve! + b.renderer!)} (serve ${pct(b.serve!)}, renderer ${pct(b.renderer!)}) | — | — | < 1 % |`,
    c
      ? `| (c) Metrics tab open on ${REPLICAS} replicas: renderer CPU | ${pct(c.renderer!)} (serve ${pct(c.serve!)}) | — | — | ≤ 2 % |`
      : `| (c) Metrics tab open on ${REPLICAS} replicas | not measured | — | — | ≤ 2 % |`,
    `| (d) 24 h range via metrics.range, 3 instances (${range3.points} points, ${mb(range3.bytes)} of JSON) | median ${range3.median.toFixed(1)} ms (max ${range3.max.toFixed(1)}, first ${range3.first.toFixed(1)}) | — | — | < 200 ms |`,
    `| (d) 24 h range via metrics.range, ${REPLICAS} instances (${range50.points} points, ${mb(range50.bytes)} of JSON) | median ${range50.median.toFixed(1)} ms (max ${range50.max.toFixed(1)}, first ${range50.first.toFixed(1)}) | — | — | < 200 ms |`,
    `| (d) the same, every instance's figures ("Every instance"; ${mb(range50All.bytes)} of JSON) | median ${range50All.median.toFixed(1)} ms (max ${range50All.max.toFixed(1)}, first ${range50All.first.toFixed(1)}) | — | — | — |`,
    `| (d) history per one-instance service | ${((idleGrowth.perRow * ROWS_PER_DAY) / 1e6).toFixed(2)} MB written a day, ${((idleGrowth.perRow * ROWS_KEPT) / 1e6).toFixed(2)} MB kept | — | — | — |`,
    `| (d) history per ${REPLICAS}-replica service | ${((wideGrowth.perRow * ROWS_PER_DAY) / 1e6).toFixed(2)} MB written a day, ${((wideGrowth.perRow * ROWS_KEPT) / 1e6).toFixed(1)} MB kept | — | — | — |`,
    '',
    `How (d) is extrapolated: over (b) the ${idleGrowth.services} one-instance services wrote ${idleGrowth.rows} rows (${rowsAll(idleGrowth, SECONDS).toFixed(1)}/s) and the file (with its WAL) grew ${mb(idleGrowth.fileGrowth)}; over (a) the ${REPLICAS}-replica service wrote ${wideGrowth.rows} rows and the file grew ${mb(wideGrowth.fileGrowth)}. A row costs its payload (as serve wrote it) times the bytes on disk per payload byte of a day of synthetic rows, checkpointed and vacuumed (${range3.overhead.toFixed(2)}× for 3 instances, ${range50.overhead.toFixed(2)}× for ${REPLICAS}): ${idleGrowth.perRow.toFixed(0)} B for one instance, ${wideGrowth.perRow.toFixed(0)} B for ${REPLICAS}. A service writes ${ROWS_PER_DAY.toLocaleString('en')} rows a day (86,400 at 1 s, 8,640 at 10 s, 1,440 at 1 min); the store keeps ${ROWS_KEPT.toLocaleString('en')} of them once every tier is full (1 h at 1 s, 24 h at 10 s, 7 d at 1 min), so "kept" is the file's size per service after a week, and it stops growing there. The 24 h range reads the 1 min tier (1,440 rows) of a day of synthetic points (every tier filled through history-db.ts) and buckets them to at most 600, as the Metrics tab asks; the first call includes opening the file.`,
    '',
    "The machine is shared with other work while this runs: the CPU figures are noisy, (a)'s ratio the least (both sides ran in the same seconds).",
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
  console.log(md);
  if (!args.includes('--no-write')) writePerfSection(join(root, 'docs', 'performance.md'), 'metrics', md);
}

main()
  .catch((e: unknown) => {
    console.error(`bench:metrics failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  })
  .finally(() => {
    cleanup();
    rmSync(state, { recursive: true, force: true });
  });
