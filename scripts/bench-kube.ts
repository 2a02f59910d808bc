/**
 * npm run bench:kube [-- --pods 30000] [-- --deployments 1000] [-- --namespaces 50] [-- --seconds 60] [-- --rate 100] [-- --no-write]
 *
 * Kubernetes at scale, end to end, in one run against the API fixture (in this process, on 127.0.0.1):
 *  1. The fixture holds P pods in D Deployments (with their ReplicaSets) across N namespaces, all
 *     Running and Ready, no log output. Baseline: `kubectl get pods -A` wall time and peak RSS.
 *  2. `fleetdeck serve` (the build) with KUBECONFIG at the fixture, every namespace picked
 *     (`environments.setNamespaces`), the context opened in Debian's Chromium: time from the pick
 *     to every Deployment's row in the table; then serve's RSS and the page's JS heap after GC.
 *  3. Churn: R pod changes a second for S seconds (status flips, and one in ten a pod replaced),
 *     while `kubectl get pods -A -w` watches too: CPU (utime+stime from /proc) of serve and of
 *     kubectl over the same window, and what services.watch pushed to the page (its events and their bytes).
 *     Then the page is closed and a shorter churn measures serve alone (the engine without the
 *     list pushes); then RSS after the burst, to see memory handed back.
 * Every loop is bounded in count and time; everything is stopped at the end, also on failure or
 * Ctrl-C. Writes the "Kubernetes at scale" section of docs/performance.md.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import WebSocket from 'ws';
import { KubeFixture } from '../test/fixtures/kube-apiserver/server';
import { RESOURCES, type ResourceType } from '../test/fixtures/kube-apiserver/resources';
import type { KubeObject } from '../test/fixtures/kube-apiserver/types';
import { CHROMIUM, launchChromium } from './lib/chromium';
import { writePerfSection } from './lib/perf-doc';

const args = process.argv.slice(2);
const num = (flag: string, def: number, max: number) => {
  const i = args.indexOf(flag);
  const v = i >= 0 ? Number(args[i + 1]) : def;
  return Number.isInteger(v) && v > 0 ? Math.min(v, max) : def;
};
const PODS = num('--pods', 30_000, 60_000);
const DEPLOYMENTS = Math.min(num('--deployments', Math.max(1, Math.round(PODS / 30)), 5000), PODS);
const NAMESPACES = Math.min(num('--namespaces', 50, 500), DEPLOYMENTS);
const SECONDS = num('--seconds', 60, 300);
const RATE = num('--rate', 100, 1000);
const ALONE_SECONDS = Math.min(20, SECONDS);
/** `--profile DIR`: CPU profiles of the page (pick → full view) and of serve (whole run) into DIR; `--view-only`: stop after the full view. */
const PROFILE_DIR = args.includes('--profile') ? resolve(args[args.indexOf('--profile') + 1] ?? 'bench-profile') : undefined;
const VIEW_ONLY = args.includes('--view-only');
const CONTEXT = 'bench-kube';
const ENV = `kube:${CONTEXT}`;
const root = process.cwd();
const TOKEN = randomBytes(12).toString('hex');
const DEADLINE = Date.now() + (8 + (SECONDS + ALONE_SECONDS) / 60) * 60_000;
const CLK_TCK = 100;

const R = (kind: string): ResourceType => RESOURCES.find((r) => r.kind === kind && r.group !== 'metrics.k8s.io')!;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const status = (pid: number) => readFileSync(`/proc/${pid}/status`, 'utf8');
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(status(pid))?.[1] ?? 0) / 1024;
const hwmMb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(status(pid))?.[1] ?? 0) / 1024;
/** utime + stime in seconds, from /proc/<pid>/stat (fields 14 and 15, after the command name). */
const cpuSeconds = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
};

let fixture: KubeFixture | undefined;
let serve: ChildProcess | undefined;
let watcher: ChildProcess | undefined;
let idle: ChildProcess | undefined;
let browser: Browser | undefined;
const dir = mkdtempSync(join(tmpdir(), 'fd-bench-kube-'));

function cleanup(): void {
  serve?.kill('SIGTERM');
  watcher?.kill('SIGTERM');
  idle?.kill('SIGTERM');
  void browser?.close().catch(() => {});
  void fixture?.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}
process.once('SIGINT', () => {
  cleanup();
  process.exit(130);
});

// ---- the fixture's objects ------------------------------------------------------------------------

const hashOf = (i: number) =>
  (0x5d8f7c + i * 7919)
    .toString(16)
    .slice(-6)
    .replace(/^[0-9]/, 'b');
const nsOf = (d: number) => `bench-${String(d % NAMESPACES).padStart(2, '0')}`;
const depName = (d: number) => `svc-${String(d).padStart(4, '0')}`;
const isoNow = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

function podObject(ns: string, dep: string, hash: string, rsUid: string, name: string): KubeObject {
  const now = isoNow();
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels: { app: dep, 'pod-template-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${dep}-${hash}`, uid: rsUid, controller: true, blockOwnerDeletion: true }],
    },
    spec: { nodeName: 'fixture-node', containers: [{ name: 'app', image: `registry.local/${dep}:1.0`, ports: [{ containerPort: 8080, protocol: 'TCP' }] }] },
    status: {
      phase: 'Running',
      podIP: '10.0.0.1',
      startTime: now,
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: now },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
      ],
      containerStatuses: [
        { name: 'app', ready: true, started: true, restartCount: 0, image: `registry.local/${dep}:1.0`, imageID: '', state: { running: { startedAt: now } } },
      ],
    },
  } as KubeObject;
}

/** A pod name not in the store yet: 5 random hex characters collide within a Deployment about once in three runs, and the store would overwrite. */
function freshPodName(f: KubeFixture, ns: string, dep: string, hash: string): string {
  for (;;) {
    const name = `${dep}-${hash}-${randomBytes(3).toString('hex').slice(0, 5)}`;
    if (!f.store.get(R('Pod'), ns, name)) return name;
  }
}

interface PodRef {
  ns: string;
  name: string;
  dep: string;
  hash: string;
  rsUid: string;
}

/** Writes the objects into the fixture's store directly (its controller is stopped: it would start every pod itself). */
export function populate(f: KubeFixture): PodRef[] {
  const store = f.store;
  for (let n = 0; n < NAMESPACES; n++) {
    const name = nsOf(n);
    if (!store.get(R('Namespace'), undefined, name))
      store.create(R('Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, status: { phase: 'Active' } } as KubeObject);
  }
  const pods: PodRef[] = [];
  for (let d = 0; d < DEPLOYMENTS; d++) {
    const ns = nsOf(d);
    const dep = depName(d);
    const hash = hashOf(d);
    const replicas = Math.floor(PODS / DEPLOYMENTS) + (d < PODS % DEPLOYMENTS ? 1 : 0);
    const template = { metadata: { labels: { app: dep } }, spec: { containers: [{ name: 'app', image: `registry.local/${dep}:1.0` }] } };
    const status = { observedGeneration: 1, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas };
    const dObj = store.create(R('Deployment'), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: dep, namespace: ns, labels: { app: dep } },
      spec: { replicas, selector: { matchLabels: { app: dep } }, template, strategy: { type: 'RollingUpdate' } },
      status,
    } as KubeObject);
    const rs = store.create(R('ReplicaSet'), {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${dep}-${hash}`,
        namespace: ns,
        labels: { app: dep, 'pod-template-hash': hash },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: dep, uid: dObj.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas, selector: { matchLabels: { app: dep, 'pod-template-hash': hash } }, template },
      status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
    } as KubeObject);
    for (let i = 0; i < replicas; i++) {
      const p = store.create(R('Pod'), podObject(ns, dep, hash, rs.metadata.uid!, freshPodName(f, ns, dep, hash)));
      pods.push({ ns, name: p.metadata.name!, dep, hash, rsUid: rs.metadata.uid! });
    }
  }
  return pods;
}

/** One pod change: nine in ten flip readiness (a status update), one in ten replaces a pod (delete + create). */
function churnOnce(f: KubeFixture, pods: PodRef[], i: number): void {
  const k = (i * 7919) % pods.length;
  const ref = pods[k]!;
  if (i % 10 === 9) {
    f.store.remove(R('Pod'), ref.ns, ref.name);
    const p = f.store.create(R('Pod'), podObject(ref.ns, ref.dep, ref.hash, ref.rsUid, freshPodName(f, ref.ns, ref.dep, ref.hash)));
    pods[k] = { ...ref, name: p.metadata.name! };
    return;
  }
  const cur = f.store.get(R('Pod'), ref.ns, ref.name);
  if (!cur) return;
  const conditions = (cur.status as { conditions: { type: string; status: string }[] }).conditions;
  const ready = conditions.find((c) => c.type === 'Ready')!;
  ready.status = ready.status === 'True' ? 'False' : 'True';
  f.store.update(R('Pod'), cur);
}

/** RATE changes a second for `seconds`, in 20 ms ticks; bounded by count and by time. */
async function churn(f: KubeFixture, pods: PodRef[], seconds: number, from: number): Promise<number> {
  const total = RATE * seconds;
  const t0 = Date.now();
  let done = 0;
  while (done < total && Date.now() - t0 < seconds * 1000 + 5000 && Date.now() < DEADLINE) {
    const due = Math.min(total, Math.floor(((Date.now() - t0) / 1000) * RATE));
    while (done < due) churnOnce(f, pods, from + done++);
    await sleep(20);
  }
  return done;
}

// ---- processes ------------------------------------------------------------------------------------

/** Asynchronously: the fixture answers from this very process. */
function kubectl(kubeconfig: string, ...a: string[]): Promise<{ seconds: number; maxRssMb: number; lines: number }> {
  const p = spawn('/usr/bin/time', ['-f', '@@%e %M', 'kubectl', '--kubeconfig', kubeconfig, ...a], { stdio: ['ignore', 'pipe', 'pipe'] });
  let lines = 0;
  let err = '';
  p.stdout.on('data', (d: Buffer) => {
    for (const c of d) if (c === 10) lines++;
  });
  p.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  const t = setTimeout(() => p.kill('SIGKILL'), 120_000);
  return new Promise((resolve, reject) => {
    p.on('close', (code) => {
      clearTimeout(t);
      const m = /@@([\d.]+) (\d+)/.exec(err);
      if (code !== 0 || !m) return reject(new Error(`kubectl ${a.join(' ')} failed: ${err.slice(-400)}`));
      resolve({ seconds: Number(m[1]), maxRssMb: Number(m[2]) / 1024, lines });
    });
  });
}

async function startServe(kubeconfig: string): Promise<{ url: string; pid: number }> {
  const prof = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [];
  const p = spawn(process.execPath, [...prof, 'dist/main/cli.js', 'serve', '--port', '0'], {
    cwd: root,
    env: {
      ...process.env,
      FLEETDECK_TOKEN: TOKEN,
      KUBECONFIG: kubeconfig,
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
      FLEETDECK_STATE_DIR: join(dir, 'state'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  serve = p;
  const url = await new Promise<string>((ok, fail) => {
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
  return { url, pid: p.pid! };
}

/** One API call over serve's WebSocket, as the window makes it. */
function apiCall(url: string, method: string, params: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/api?token=${TOKEN}`);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      ws.close();
      reject(new Error(`${method}: no answer in 120 s`));
    }, 120_000);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, method, params })));
    ws.on('message', (d: Buffer) => {
      const m = JSON.parse(d.toString()) as { type: string; id?: number; ok: boolean; value?: unknown; error?: { code: string; message: string } };
      if (m.type !== 'result' || m.id !== 1) return;
      clearTimeout(t);
      ws.close();
      resolve(m);
    });
    ws.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
}

// Counts what the page receives on its WebSocket (a string: tsx's helpers do not exist in the page).
const COUNT_FRAMES = `(() => {
  const Orig = window.WebSocket;
  window.__fd = { bytes: 0, messages: 0, services: 0, servicesBytes: 0 };
  window.WebSocket = class extends Orig {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => {
        const n = typeof e.data === 'string' ? e.data.length : (e.data.byteLength || e.data.size || 0);
        window.__fd.bytes += n; window.__fd.messages++;
        // services.watch events: a snapshot, or changes (the only events with these kinds).
        if (typeof e.data === 'string' && e.data.startsWith('{"type":"event"') && /"data":{"kind":"(snapshot|changes)"/.test(e.data.slice(0, 80))) { window.__fd.services++; window.__fd.servicesBytes += n; }
      });
    }
  };
})()`;
/** Resolves when the services table has `n` rows (a MutationObserver in the page: string, for tsx; evaluate is not bound by the page's CSP). */
async function waitRows(page: Page, n: number, timeoutMs: number): Promise<number> {
  // Full: n rows, each with all its pods running (a "running/desired" cell such as 30/30); rows come with the
  // Deployments' list, their pods later.
  const seen = page.evaluate(`new Promise((resolve) => {
    const full = (tr) => /(^|\\D)(\\d+)\\/\\2(\\D|$)/.test(tr.textContent) && !/(^|\\D)0\\/\\d/.test(tr.textContent);
    const has = () => {
      const rows = document.querySelectorAll('table[aria-label="Services"] tr[data-service]');
      if (rows.length < ${n}) return false;
      for (const tr of rows) if (!full(tr)) return false;
      return true;
    };
    if (has()) return resolve(Date.now());
    const mo = new MutationObserver(() => { if (has()) { mo.disconnect(); resolve(Date.now()); } });
    // characterData too: React updates a count (29/30 → 30/30) in its text node, which childList alone never sees.
    mo.observe(document.body, { subtree: true, childList: true, characterData: true });
  })`) as Promise<number>;
  const t = await Promise.race([seen, sleep(timeoutMs).then(() => NaN)]);
  if (!Number.isFinite(t)) throw new Error(`the services table did not reach ${n} rows in ${timeoutMs / 1000} s`);
  return t;
}
const frames = (page: Page) => page.evaluate('({ ...window.__fd })') as Promise<{ bytes: number; messages: number; services: number; servicesBytes: number }>;

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist/main/cli.js'))) throw new Error('run "npm run build" first');
  const kubeconfig = join(dir, 'kubeconfig');
  console.error(`bench:kube: ${PODS} pods, ${DEPLOYMENTS} Deployments, ${NAMESPACES} namespaces; churn ${RATE}/s for ${SECONDS} s`);
  fixture = await KubeFixture.start({ kubeconfigPath: kubeconfig, contextName: CONTEXT, namespace: nsOf(0), controller: { logIntervalMs: 0 } });
  fixture.controller.stop();
  const tGen = Date.now();
  const pods = populate(fixture);
  console.error(`generated in ${((Date.now() - tGen) / 1000).toFixed(1)} s`);

  // 1. Baseline: kubectl get pods -A, three times.
  const kc = [];
  for (let i = 0; i < (VIEW_ONLY ? 1 : 3); i++) kc.push(await kubectl(kubeconfig, 'get', 'pods', '-A'));
  if (kc[0]!.lines !== PODS + 1) throw new Error(`kubectl listed ${kc[0]!.lines - 1} pods, not ${PODS}`);
  const kubectlSeconds = median(kc.map((k) => k.seconds));
  const kubectlRss = median(kc.map((k) => k.maxRssMb));

  idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const { url, pid } = await startServe(kubeconfig);
  browser = await launchChromium();
  const blank = await browser.newPage();
  await blank.goto('about:blank');
  const blankCdp = await blank.context().newCDPSession(blank);
  await blankCdp.send('Performance.enable');
  const heapOf = async (cdp: typeof blankCdp) => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1e6;
  };
  const blankHeap = await heapOf(blankCdp);
  await blank.close();
  const idleRss = rssMb(idle.pid!);
  const serveIdleRss = rssMb(pid);

  // 2. Pick every namespace, open the context: time to every Deployment's row.
  // The context is opened first (a context nobody opens has no watches), showing its own namespace.
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(COUNT_FRAMES);
  await page.goto(url);
  await page
    .getByRole('navigation', { name: 'Environments' })
    .getByRole('button', { name: new RegExp(`^${CONTEXT}`) })
    .click();
  await waitRows(page, Math.ceil(DEPLOYMENTS / NAMESPACES), 60_000);
  const rowsSeen = waitRows(page, DEPLOYMENTS, 120_000);
  const profiler = PROFILE_DIR ? await page.context().newCDPSession(page) : undefined;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.setSamplingInterval', { interval: 500 });
    await profiler.send('Profiler.start');
  }
  const t0 = Date.now();
  const picked = await apiCall(url, 'environments.setNamespaces', { id: ENV, namespaces: 'all' });
  const pickedMs = Date.now() - t0;
  const allNamespaces = picked.ok;
  if (!picked.ok) console.error(`environments.setNamespaces: ${picked.error?.code} ${picked.error?.message} — measuring the context's own namespace only`);
  const expectRows = allNamespaces ? DEPLOYMENTS : Math.ceil(DEPLOYMENTS / NAMESPACES);
  let fullAt = Date.now();
  if (allNamespaces) fullAt = await rowsSeen;
  else rowsSeen.catch(() => {});
  const fullViewMs = fullAt - t0;
  if (profiler) {
    const { profile } = await profiler.send('Profiler.stop');
    mkdirSync(PROFILE_DIR!, { recursive: true });
    writeFileSync(join(PROFILE_DIR!, 'page.cpuprofile'), JSON.stringify(profile));
  }
  if (VIEW_ONLY) {
    console.error(`full view ${(fullViewMs / 1000).toFixed(2)} s (the pick answered after ${(pickedMs / 1000).toFixed(2)} s)`);
    return;
  }
  await sleep(2000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const pageHeap = await heapOf(cdp);
  const serveRss = rssMb(pid);

  // 3a. Churn with the page open, kubectl -w watching the same churn.
  let wLines = 0;
  watcher = spawn('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-A', '-w'], { stdio: ['ignore', 'pipe', 'ignore'] });
  watcher.stdout!.on('data', (d: Buffer) => {
    for (const c of d) if (c === 10) wLines++;
  });
  for (let i = 0; i < 600 && wLines < PODS + 1; i++) await sleep(100);
  if (wLines < PODS + 1) throw new Error(`kubectl -w printed ${wLines} lines of the first list in 60 s`);
  await sleep(1000);
  const f0 = await frames(page);
  const c0 = { serve: cpuSeconds(pid), kubectl: cpuSeconds(watcher.pid!), lines: wLines, at: Date.now() };
  const rssSamples: number[] = [];
  const sampler = setInterval(() => rssSamples.push(rssMb(pid)), 1000);
  const changes = await churn(fixture, pods, SECONDS, 0);
  await sleep(500);
  clearInterval(sampler);
  const c1 = { serve: cpuSeconds(pid), kubectl: cpuSeconds(watcher.pid!), lines: wLines, at: Date.now() };
  const f1 = await frames(page);
  const wall = (c1.at - c0.at) / 1000;
  const serveCpu = (100 * (c1.serve - c0.serve)) / wall;
  const kubectlCpu = (100 * (c1.kubectl - c0.kubectl)) / wall;
  const pushedMB = (f1.servicesBytes - f0.servicesBytes) / 1e6;
  const pushes = f1.services - f0.services;
  const afterHeap = await heapOf(cdp);
  watcher.kill('SIGTERM');

  // 3b. The page closed: serve's own work under the same churn, without the list pushes.
  await page.close();
  await sleep(1000);
  const a0 = { serve: cpuSeconds(pid), at: Date.now() };
  const aloneChanges = await churn(fixture, pods, ALONE_SECONDS, changes);
  await sleep(500);
  const a1 = { serve: cpuSeconds(pid), at: Date.now() };
  const serveAloneCpu = (100 * (a1.serve - a0.serve)) / ((a1.at - a0.at) / 1000);
  await sleep(5000);
  const rssAfter = rssMb(pid);
  const peak = Math.max(hwmMb(pid), ...rssSamples);

  const chromiumVersion = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
  const kubectlVersion = /Client Version: (\S+)/.exec(execFileSync('kubectl', ['version', '--client'], { encoding: 'utf8' }))?.[1] ?? '?';
  const machine = `${cpus().length} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}, kubectl ${kubectlVersion}, ${chromiumVersion}`;
  const scope = allNamespaces ? `all ${NAMESPACES} namespaces` : `only the context's namespace (environments.setNamespaces unavailable: ${picked.error?.code})`;
  const ok = (b: boolean) => (b ? 'met' : '**not met**');
  const md = [
    '## Kubernetes at scale (serve + Chromium)',
    '',
    `\`npm run bench:kube\` — the API fixture (in the bench's process, controller stopped) with ${PODS} pods in ${DEPLOYMENTS} Deployments across ${NAMESPACES} namespaces, all Running and Ready, no log output; \`fleetdeck serve\` from the build with KUBECONFIG at it and ${scope} picked; the context opened in Debian's Chromium; \`kubectl\` against the same fixture. Everything on 127.0.0.1, everything on the same 2 CPUs.`,
    '',
    `Machine: ${machine}. Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    '',
    '| Measure | Fleetdeck | Baseline (same run) | Ratio | Target |',
    '| --- | ---: | ---: | ---: | --- |',
    `| every namespace picked (the context open on its own) → every Deployment's row in the page with all its pods running (${expectRows} rows, s) | ${(fullViewMs / 1000).toFixed(2)} (the pick answered after ${(pickedMs / 1000).toFixed(2)}) | \`kubectl get pods -A\`: ${kubectlSeconds.toFixed(2)} (median of 3) | ${(fullViewMs / 1000 / kubectlSeconds).toFixed(2)}× | ≤ 2 s: ${ok(fullViewMs <= 2000)} |`,
    `| serve RSS with the full list (MB) | ${serveRss.toFixed(0)} | idle Node: ${idleRss.toFixed(0)}; serve before the pick: ${serveIdleRss.toFixed(0)}; \`kubectl get pods -A\` peak: ${kubectlRss.toFixed(0)} | ${(serveRss / idleRss).toFixed(2)}× idle Node | ≤ 300 MB: ${ok(serveRss <= 300)} |`,
    `| serve RSS: peak during the run / 5 s after the churn (MB) | ${peak.toFixed(0)} / ${rssAfter.toFixed(0)} | — | — | — |`,
    `| page JS heap after GC, full list (MB) | ${pageHeap.toFixed(1)} (after the churn: ${afterHeap.toFixed(1)}) | blank page: ${blankHeap.toFixed(1)} | ${(pageHeap / Math.max(blankHeap, 0.1)).toFixed(0)}× | ≤ 100 MB: ${ok(pageHeap <= 100)} |`,
    `| serve CPU, ${changes} pod changes in ${wall.toFixed(0)} s, page open (% of a core) | ${serveCpu.toFixed(1)} | \`kubectl get pods -A -w\`: ${kubectlCpu.toFixed(1)} (${c1.lines - c0.lines} lines) | ${(serveCpu / Math.max(kubectlCpu, 0.1)).toFixed(1)}× | ≤ 2×: ${ok(serveCpu <= 2 * kubectlCpu)} |`,
    `| serve CPU, same churn, no page (${aloneChanges} changes, % of a core) | ${serveAloneCpu.toFixed(1)} | kubectl -w above: ${kubectlCpu.toFixed(1)} | ${(serveAloneCpu / Math.max(kubectlCpu, 0.1)).toFixed(1)}× | ≤ 2×: ${ok(serveAloneCpu <= 2 * kubectlCpu)} |`,
    `| services.watch to the page during the churn | ${pushes} change events, ${pushedMB.toFixed(1)} MB (${(pushedMB / wall).toFixed(2)} MB/s, ${((1000 * pushedMB) / Math.max(pushes, 1)).toFixed(0)} KB each) | — | — | — |`,
    '',
    `The difference between the two CPU rows is what services.watch costs serve with a page open (a snapshot, then the services that changed, whole or as instance patches, at most every 40 ms): ${(serveCpu - serveAloneCpu).toFixed(1)} % of a core here.`,
  ].join('\n');
  console.log(md);
  if (!args.includes('--no-write')) writePerfSection(join(root, 'docs', 'performance.md'), 'kube', md);
}

if (import.meta.main)
  main()
    .catch((e: unknown) => {
      console.error(`bench:kube failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exitCode = 1;
    })
    .finally(cleanup);
