/**
 * `npm run bench:logs:tail`: a container floods its log; how fast its lines reach (1) `docker logs -f`,
 * (2) a raw follow through the Engine API in Node (dockerode + demux, counting lines), (3) the
 * Logs tab of `fleetdeck serve` in Chromium (lines counted as the live list takes them and draws
 * the frame: its `data-lines`; and, beside it, as they arrive on the page's WebSocket),
 * each with a fresh container writing the same lines. Also: lines the pipe dropped, and the page's
 * long tasks (over 200 ms). Everything on 127.0.0.1; every loop bounded by count and time.
 * Prints a markdown section and writes it into docs/performance.md (bench:logs-tail markers).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import type { Browser } from '@playwright/test';
import { CHROMIUM, launchChromium } from './lib/chromium';
import { writePerfSection } from './lib/perf-doc';

const args = process.argv.slice(2);
const LINES = Math.min(Number(args[args.indexOf('--lines') + 1]) || 300_000, 2_000_000);
const TOKEN = randomBytes(12).toString('hex');
const project = `fdtail${randomBytes(3).toString('hex')}`;
const root = process.cwd();
const dir = mkdtempSync(join(tmpdir(), 'fd-bench-tail-'));
const DEADLINE_MS = 120_000;
const docker = new Docker();
let serve: ChildProcess | undefined;
let browser: Browser | undefined;

const sh = (...a: string[]) => execFileSync('docker', a, { encoding: 'utf8' }).trim();
const base = () => sh('images', 'fleetdeck/node-base', '--format', '{{.Repository}}:{{.Tag}}').split('\n')[0]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Waits for SIGUSR1, then writes LINES JSON lines as fast as the pipe takes them, then one end line.
const FLOOD = `
const line = (i) => JSON.stringify({ level: 'info', time: new Date().toISOString(), requestId: 'r' + (i % 9973), method: 'GET', url: '/orders/' + (i % 1000), status: 200, durationMs: 1.25, msg: 'request completed ' + i });
process.on('SIGUSR1', () => { let i = 0; const more = () => { let ok = true; while (i < ${LINES} && ok) { i++; ok = process.stdout.write(line(i) + '\\n'); } if (i < ${LINES}) process.stdout.once('drain', more); else process.stdout.write('flood done\\n'); }; more(); });
setInterval(() => {}, 1 << 30);
`;

function floodContainer(name: string): string {
  return sh(
    'run',
    '-d',
    '--name',
    `${project}-${name}-1`,
    '--label',
    `dev.fleetdeck.service=${name}`,
    '--label',
    `dev.fleetdeck.project=${project}`,
    base(),
    'node',
    '-e',
    FLOOD,
  );
}
const start = (id: string) => sh('kill', '-s', 'USR1', id);

interface Rate {
  lines: number;
  seconds: number;
}
const perSec = (r: Rate) => r.lines / r.seconds;

/** `docker logs -f --tail 0`, lines counted as they come. */
async function dockerLogs(): Promise<Rate> {
  const id = floodContainer('cli');
  const p = spawn('docker', ['logs', '-f', '--tail', '0', id], { stdio: ['ignore', 'pipe', 'ignore'] });
  await sleep(1000);
  let n = 0;
  let first = 0;
  const done = new Promise<number>((ok) => {
    p.stdout!.on('data', (d: Buffer) => {
      if (!first) first = performance.now();
      for (const c of d) if (c === 10) n++;
      if (n >= LINES + 1) ok(performance.now());
    });
  });
  const t0 = performance.now();
  start(id);
  const end = await Promise.race([done, sleep(DEADLINE_MS).then(() => performance.now())]);
  p.kill();
  return { lines: Math.min(n, LINES + 1), seconds: (end - t0) / 1000 };
}

/** The Engine API followed from Node: dockerode, demultiplexed, lines counted. */
async function rawFollow(): Promise<Rate> {
  const id = floodContainer('raw');
  const stream = (await docker.getContainer(id).logs({ follow: true, stdout: true, stderr: true, tail: 0 })) as unknown as NodeJS.ReadableStream;
  const out = new PassThrough();
  docker.modem.demuxStream(stream, out, new PassThrough());
  let n = 0;
  const done = new Promise<number>((ok) => {
    out.on('data', (d: Buffer) => {
      for (const c of d) if (c === 10) n++;
      if (n >= LINES + 1) ok(performance.now());
    });
  });
  await sleep(500);
  const t0 = performance.now();
  start(id);
  const end = await Promise.race([done, sleep(DEADLINE_MS).then(() => performance.now())]);
  (stream as unknown as { destroy(): void }).destroy();
  return { lines: Math.min(n, LINES + 1), seconds: (end - t0) / 1000 };
}

// Counts, in the page, the log entries that arrive on its WebSocket and the pipe's drop markers;
// the lines the live list holds as it draws them (its data-lines, set once a frame), and when;
// and records long tasks. A string: the page has no tsx helpers.
const PAGE_COUNTERS = `(() => {
  const Orig = window.WebSocket;
  window.__tail = { entries: 0, dropped: 0, at: 0, list: 0, listAt: 0, long: [] };
  new MutationObserver((records) => {
    for (const r of records) {
      const n = Number(r.target.getAttribute('data-lines'));
      if (n !== window.__tail.list) { window.__tail.list = n; window.__tail.listAt = performance.now(); }
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-lines'] });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__tail.long.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  window.WebSocket = class extends Orig {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string' || !e.data.startsWith('{"type":"event"')) return;
        const head = e.data.slice(0, 120);
        if (head.includes('"kind":"lines"')) {
          let i = 0, n = 0;
          while ((i = e.data.indexOf('"stream":"', i) + 1) > 0) n++;
          window.__tail.entries += n; window.__tail.at = performance.now();
        } else if (head.includes('"kind":"dropped"')) {
          const m = /"count":(\\d+)/.exec(e.data); if (m) window.__tail.dropped += Number(m[1]);
        }
      });
    }
  };
})()`;

async function startServe(): Promise<string> {
  // BENCH_SERVE_PROFILE=dir: a CPU profile of serve (written when it exits after the run).
  const prof = process.env.BENCH_SERVE_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVE_PROFILE}`] : [];
  const p = spawn(process.execPath, [...prof, 'dist/main/cli.js', 'serve', '--port', '0'], {
    cwd: root,
    env: { ...process.env, FLEETDECK_TOKEN: TOKEN, KUBECONFIG: '/nonexistent', FLEETDECK_STATE_DIR: join(dir, 'state') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  serve = p;
  return new Promise((ok, fail) => {
    let out = '';
    const t = setTimeout(() => fail(new Error('serve printed no URL in 20 s')), 20_000);
    p.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        ok(m[1]!);
      }
    });
  });
}

interface PageRate extends Rate {
  dropped: number;
  longTasks: number[];
  /** Entries that arrived on the WebSocket, and when the last did (s after the start). */
  wire: Rate;
  /** Whether the list's last row is the flood's last line once it ends. */
  lastShown: boolean;
}

/** The Logs tab of serve in Chromium: lines counted as the live list takes and draws them, and as they reach the page. */
async function page(): Promise<PageRate> {
  const url = await startServe();
  browser = await launchChromium();
  const id = floodContainer('page');
  const pg = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await pg.addInitScript(PAGE_COUNTERS);
  await pg.goto(url);
  await pg
    .getByRole('table', { name: 'Services' })
    .getByRole('row', { name: new RegExp(`${project}/page`) })
    .click({ timeout: 30_000 });
  await pg.getByRole('tab', { name: 'Logs' }).click();
  await pg.getByRole('region', { name: 'Logs' }).locator('span.muted', { hasText: 'Live' }).waitFor({ timeout: 15_000 });
  await sleep(1000);
  await pg.evaluate('window.__tail.long.length = 0');
  // Lines the list held before the flood (history: none here, the container printed nothing yet).
  const before = (await pg.evaluate('window.__tail.list')) as number;
  const profiler = process.env.BENCH_PROFILE ? await pg.context().newCDPSession(pg) : undefined;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.start');
  }
  // BENCH_TRACE=file: a Chrome trace of the flood (devtools.timeline), for where the page's time goes.
  if (process.env.BENCH_TRACE)
    await browser.startTracing(pg, { path: process.env.BENCH_TRACE, categories: ['devtools.timeline', 'v8.execute', 'disabled-by-default-devtools.timeline'] });
  const t0 = performance.now();
  const tPage0 = (await pg.evaluate('performance.now()')) as number;
  start(id);
  let state = { entries: 0, dropped: 0, at: 0, list: 0, listAt: 0, long: [] as number[] };
  let quietSince = performance.now();
  let last = -1;
  // Until the list drew every line (or the rest was counted as dropped), or 3 s without a new one, or the deadline.
  while (performance.now() - t0 < DEADLINE_MS) {
    await sleep(200);
    state = (await pg.evaluate('({ ...window.__tail, long: [...window.__tail.long] })')) as typeof state;
    if (state.list - before + state.dropped >= LINES + 1) break;
    if (state.list !== last) {
      last = state.list;
      quietSince = performance.now();
    } else if (performance.now() - quietSince > 3000) break;
  }
  const lastShown = await pg
    .getByRole('log', { name: /^Live logs of/ })
    .locator('.live-log-row')
    .last()
    .textContent()
    .then((t) => (t ?? '').includes('flood done'));
  if (process.env.BENCH_TRACE) await browser.stopTracing();
  if (profiler) {
    const { profile } = await profiler.send('Profiler.stop');
    writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile));
  }
  // From the start signal to the frame that drew the last line, on the page's own clock.
  return {
    lines: state.list - before,
    seconds: (state.listAt - tPage0) / 1000,
    dropped: state.dropped,
    longTasks: state.long,
    wire: { lines: state.entries, seconds: (state.at - tPage0) / 1000 },
    lastShown,
  };
}

function cleanup(): void {
  serve?.kill('SIGTERM');
  void browser?.close().catch(() => {});
  try {
    const ids = sh('ps', '-aq', '--filter', `label=dev.fleetdeck.project=${project}`).split('\n').filter(Boolean);
    if (ids.length) sh('rm', '-f', ...ids);
  } catch {
    /* the engine is gone: nothing to remove */
  }
  rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  console.error(`bench:logs:tail: ${LINES} lines per flood`);
  const cli = await dockerLogs();
  console.error(`docker logs -f: ${perSec(cli).toFixed(0)} lines/s`);
  const raw = await rawFollow();
  console.error(`raw follow: ${perSec(raw).toFixed(0)} lines/s`);
  const pg = await page();
  console.error(
    `page: ${pg.lines} lines drawn in ${pg.seconds.toFixed(2)} s (${pg.wire.lines} arrived in ${pg.wire.seconds.toFixed(2)} s), ${pg.dropped} dropped, long tasks ${pg.longTasks.length}, last row the last line: ${pg.lastShown}`,
  );
  const longest = pg.longTasks.length ? Math.max(...pg.longTasks) : 0;
  const ratio = perSec(pg) / perSec(raw);
  const ok = (b: boolean) => (b ? 'met' : '**not met**');
  const machine = `${cpus().length} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}, Docker ${sh('version', '--format', '{{.Server.Version}}')}, ${execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim()}`;
  const md = [
    '## Live tail into the page (serve + Chromium)',
    '',
    `\`npm run bench:logs:tail\` — a base-image container writes ${LINES.toLocaleString('en')} JSON lines (about 190 bytes each) as fast as its pipe takes them, once per reader, each reader attached before it starts: \`docker logs -f\`, a raw follow through the Engine API in Node (dockerode, demultiplexed, lines counted), and the Logs tab of \`fleetdeck serve\` (built, its log store collecting as usual) in Debian's Chromium: lines counted as the live list takes them, at the frame that draws them (the list's \`data-lines\`), and beside that as they arrive on the page's WebSocket.`,
    '',
    `Machine: ${machine}. Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    '',
    '| Measure | Fleetdeck | Baseline (same run) | Ratio | Target |',
    '| --- | ---: | ---: | ---: | --- |',
    `| lines/s into the live list (drawn) | ${perSec(pg).toFixed(0)} (${pg.lines.toLocaleString('en')} of ${(LINES + 1).toLocaleString('en')} in ${pg.seconds.toFixed(2)} s; last row the flood's last line: ${pg.lastShown ? 'yes' : '**no**'}) | raw follow: ${perSec(raw).toFixed(0)}; \`docker logs -f\`: ${perSec(cli).toFixed(0)} | ${ratio.toFixed(2)}× the raw follow | ≥ 0.8×: ${ok(ratio >= 0.8)} |`,
    `| lines/s arriving on the page's WebSocket | ${perSec(pg.wire).toFixed(0)} (${pg.wire.lines.toLocaleString('en')} in ${pg.wire.seconds.toFixed(2)} s) | raw follow: ${perSec(raw).toFixed(0)} | ${(perSec(pg.wire) / perSec(raw)).toFixed(2)}× | — |`,
    `| lines the pipe dropped | ${pg.dropped.toLocaleString('en')} | — | — | none while the window keeps up: ${ok(pg.dropped === 0)} |`,
    `| page tasks over 200 ms during the flood | ${pg.longTasks.filter((d) => d > 200).length} (longest ${longest.toFixed(0)} ms, ${pg.longTasks.length} over 50 ms) | — | — | none: ${ok(!pg.longTasks.some((d) => d > 200))} |`,
  ].join('\n');
  console.log(md);
  if (!args.includes('--no-write')) writePerfSection(join(root, 'docs', 'performance.md'), 'logs-tail', md);
}

main()
  .catch((e: unknown) => {
    console.error(`bench:logs:tail failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    const exited = serve && serve.exitCode === null ? new Promise((r) => serve!.once('exit', r)) : undefined;
    cleanup();
    // serve stores what it collected and ends; a profile is written then.
    if (exited) await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000).unref())]);
  });
