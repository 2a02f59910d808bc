// Starts: the built CLI (dist/main/cli.js); on the local engine, two containers of the sample
// user-service image under a unique project label, one burning half a CPU (--cpus 0.5 and a busy
// loop in sh) and one serving as usual (idle), removed at the end; then the Kubernetes API fixture
// loaded with services-sample/k8s, read by `fleetdeck top` and by `kubectl top pod`.
// What a user checks: `fleetdeck top` says what `docker stats` and `kubectl top` say.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { TopRow } from '../../../main/cli/top-format';
import { KubeFixture } from '../../fixtures/kube-apiserver/server';
import { docker, removeProject, runReplica, skipReason } from '../../helpers/docker';
import { USER_IMAGE, ensureUserImage } from '../../helpers/sample-image';
import { FAST, tempDir } from '../kube-fixture/helpers';

const root = resolve(import.meta.dirname, '../../..');
const built = existsSync(resolve(root, 'dist/main/cli.js'));
const notBuilt = built ? false : 'dist/main/cli.js is missing; run "npm run build" first';
if (notBuilt) console.log(`# skipped: ${notBuilt}`);
const skip = notBuilt || skipReason();
const kubectlMissing = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'kubectl is not installed (scripts/lib/setup.sh ensure_kubectl installs it)';
  }
})();
if (kubectlMissing) console.log(`# skipped: ${kubectlMissing}`);
const project = `fdtop${randomBytes(3).toString('hex')}`;
const state = mkdtempSync(join(tmpdir(), 'fd-top-state-'));
const SHARE = 50; // --cpus 0.5, in docker stats' percent of one core

/** Async: the Kubernetes fixture answers from this process, so the CLI must not block it. */
async function fleetdeck(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, [resolve(root, 'bin/fleetdeck.js'), ...args], {
      env: { ...process.env, FLEETDECK_STATE_DIR: state, ...env },
      timeout: 120_000,
    });
    return { status: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}
const local = { KUBECONFIG: '/nonexistent' };

/** `docker stats --no-stream` of this test's containers, by name: CPU % and memory in MiB as it prints them. */
function dockerStats(): Map<string, { cpu: number; memMiB: number }> {
  const out = docker('stats', '--no-stream', '--format', '{{json .}}');
  const m = new Map<string, { cpu: number; memMiB: number }>();
  for (const line of out.split('\n').filter(Boolean)) {
    const s = JSON.parse(line) as { Name: string; CPUPerc: string; MemUsage: string };
    if (!s.Name.startsWith(project)) continue;
    m.set(s.Name, { cpu: parseFloat(s.CPUPerc), memMiB: mib(s.MemUsage.split('/')[0]!.trim()) });
  }
  return m;
}

const UNITS: Record<string, number> = { B: 1 / 2 ** 20, KiB: 1 / 1024, MiB: 1, GiB: 1024 };
function mib(text: string): number {
  const m = /^([\d.]+)\s*([KMG]?i?B)$/.exec(text);
  assert.ok(m && UNITS[m[2]!] !== undefined, `a size as docker stats prints it: ${text}`);
  return parseFloat(m[1]!) * UNITS[m[2]!]!;
}

before(async () => {
  if (skip) return;
  await ensureUserImage();
  runReplica(project, 'burn', ['--cpus', '0.5', '--no-healthcheck'], USER_IMAGE, 'sh', '-c', 'while :; do :; done');
  runReplica(project, 'idle', ['--no-healthcheck', '-p', '127.0.0.1::5000'], USER_IMAGE);
  // A few seconds of burning, so the CFS quota is what both readers see.
  await new Promise((r) => setTimeout(r, 3000));
});
after(() => {
  if (!skip) removeProject(project);
  rmSync(state, { recursive: true, force: true });
  kdir.remove();
});

test('top --json agrees with docker stats: CPU, memory within 10 %, request figures where /metrics is', { skip }, async () => {
  const before = dockerStats();
  const r = await fleetdeck(local, 'top', '--json');
  const theirs = dockerStats();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /Measuring \d+ services?…/, 'progress on stderr while it waited');
  const rows = JSON.parse(r.stdout) as TopRow[];
  const burn = rows.find((x) => x.service === `${project}/burn`)?.instances[0];
  const idle = rows.find((x) => x.service === `${project}/idle`)?.instances[0];
  assert.ok(burn && idle, `both services listed: ${r.stdout.slice(0, 400)}`);
  assert.deepEqual(Object.keys(burn).sort(), ['breakers', 'cpuPercent', 'errorsPerSecond', 'memMiB', 'name', 'p95Ms', 'rps', 'rxKBps', 'txKBps']);
  const d = theirs.get(burn.name)!;
  const di = theirs.get(idle.name)!;
  const d0 = before.get(burn.name)!;
  const di0 = before.get(idle.name)!;
  assert.ok(d && di && d0 && di0, 'docker stats lists both');
  // One second each, on a shared machine the burner's seconds differ: the averaged test below compares closely.
  const near = (x: number, a: number, b: number, by: number) => x >= Math.min(a, b) - by && x <= Math.max(a, b) + by;
  assert.ok(near(burn.cpuPercent!, d0.cpu, d.cpu, 15), `burner CPU: top ${burn.cpuPercent} %, docker stats ${d0.cpu} % then ${d.cpu} %`);
  assert.ok(near(idle.cpuPercent!, di0.cpu, di.cpu, 5), `idle CPU: top ${idle.cpuPercent} %, docker stats ${di0.cpu} % then ${di.cpu} %`);
  assert.ok(idle.cpuPercent! < 15, `the idle one is idle: ${idle.cpuPercent} %`);
  // docker stats prints three significant figures (552KiB): allow that rounding on the tiny burner.
  for (const [ours, mine] of [
    [burn, d],
    [idle, di],
  ] as const)
    assert.ok(
      Math.abs(ours.memMiB! - mine.memMiB) <= Math.max(0.1 * mine.memMiB, 0.05),
      `${ours.name} memory: top ${ours.memMiB} MiB, docker stats ${mine.memMiB} MiB`,
    );
  // The idle one serves /metrics on a loopback port: its request figures are rates (0 without traffic), not absent.
  assert.equal(typeof idle.rps, 'number', 'request rate from two scrapes of /metrics');
  assert.equal(typeof idle.rxKBps, 'number');
  assert.equal(burn.rps, null, 'no /metrics: no request figures, said as null');
});

test("top --watch --json and streaming docker stats agree on the burner's CPU over the same seconds, at its half-CPU share", { skip }, async () => {
  const name = `${project}-burn-1`;
  const ours: number[] = [];
  const theirs: number[] = [];
  const stats = spawn('docker', ['stats', '--format', '{{json .}}', name], { stdio: ['ignore', 'pipe', 'ignore'] });
  const top = spawn(process.execPath, [resolve(root, 'bin/fleetdeck.js'), 'top', '--watch', '--json'], {
    env: { ...process.env, FLEETDECK_STATE_DIR: state, ...local },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => top.on('exit', r));
  let topErr = '';
  top.stderr.on('data', (t: Buffer) => (topErr += t.toString()));
  let collecting = false;
  let statsText = '';
  stats.stdout.on('data', (t: Buffer) => {
    statsText += t.toString();
    const lines = statsText.split('\n');
    statsText = lines.pop()!;
    for (const l of lines) {
      const j = l.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').trim();
      const cpu = j.startsWith('{') ? parseFloat((JSON.parse(j) as { CPUPerc: string }).CPUPerc) : NaN;
      if (collecting && Number.isFinite(cpu)) theirs.push(cpu);
    }
  });
  let topText = '';
  top.stdout.on('data', (t: Buffer) => {
    topText += t.toString();
    // Frames are JSON arrays, a blank line after each.
    const frames = topText.split('\n\n');
    topText = frames.pop()!;
    for (const f of frames) {
      const cpu = (JSON.parse(f) as TopRow[]).find((x) => x.service === `${project}/burn`)?.instances[0]?.cpuPercent;
      if (typeof cpu !== 'number') continue;
      if (!collecting)
        collecting = true; // from top's first frame on, both count the same seconds
      else ours.push(cpu);
    }
  });
  const deadline = Date.now() + 60_000;
  while ((ours.length < 5 || theirs.length < 10) && Date.now() < deadline && top.exitCode === null) await new Promise((r) => setTimeout(r, 250));
  top.kill('SIGINT');
  stats.kill('SIGKILL'); // docker stats of one container outlives SIGTERM once the container is gone
  await exited;
  assert.ok(ours.length >= 5 && theirs.length >= 10, `frames: ${ours.length} from top, ${theirs.length} from docker stats; top said: ${topErr.slice(-300)}`);
  const mean = (l: number[]) => l.reduce((a, b) => a + b, 0) / l.length;
  const a = mean(ours);
  const b = mean(theirs);
  assert.ok(
    Math.abs(a - b) <= 5,
    `burner CPU over the same ~10 s: top ${a.toFixed(1)} %, docker stats ${b.toFixed(1)} % (${ours.join(', ')} / ${theirs.join(', ')})`,
  );
  if (b >= SHARE - 5) assert.ok(Math.abs(a - SHARE) <= 5, `top ${a.toFixed(1)} % is the burner's --cpus 0.5 share`);
  else console.log(`# the machine is busy: docker stats gave the burner ${b.toFixed(1)} % of its ${SHARE} % share; compared with that`);
});

test('top prints a table like docker stats: a line per service, its instances under it', { skip }, async () => {
  const r = await fleetdeck(local, 'top');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0]!, /^NAME\s+CPU %\s+MEM MiB\s+NET RX KB\/s\s+NET TX KB\/s\s+RPS\s+5XX\/S\s+P95 ms\s+BREAKERS$/);
  const svc = lines.findIndex((l) => l.startsWith(`${project}/burn `));
  assert.ok(
    svc > 0,
    `${r.stdout}\n${r.stderr}\ndocker ps: ${docker('ps', '-a', '--filter', `label=dev.fleetdeck.project=${project}`, '--format', '{{.Names}} {{.Status}}')}`,
  );
  assert.match(lines[svc]!, /^\S+\s+\d+\.\d\d%\s+\d+\.\d/);
  assert.match(lines[svc + 1]!, new RegExp(`^  ${project}-burn-1\\s+\\d+\\.\\d\\d%`));
  assert.equal(lines[svc]!.indexOf('%'), lines[svc + 1]!.indexOf('%'), 'the CPU column lines up');
});

test('top --watch redraws until interrupted; in a pipe the screen is not cleared', { skip }, async () => {
  const child = execFile(process.execPath, [resolve(root, 'bin/fleetdeck.js'), 'top', '--watch'], {
    env: { ...process.env, FLEETDECK_STATE_DIR: state, ...local },
    timeout: 60_000,
  });
  let out = '';
  child.stdout!.on('data', (t: Buffer) => (out += t.toString()));
  const frames = () => out.split('\n').filter((l) => l.startsWith('NAME ')).length;
  const deadline = Date.now() + 45_000;
  while (frames() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  assert.ok(frames() >= 2, `two frames: ${out.slice(0, 300)}`);
  assert.equal(code, 0, 'Ctrl+C ends it as done');
  assert.doesNotMatch(out, /\x1b/, 'no clear-screen sequence in a pipe');
});

// ---- Kubernetes: the fixture serves metrics.k8s.io, so kubectl top pod works against it -------------------------

const kdir = tempDir('fd-top-kube-');
const CTX = 'fleetdeck-fixture';
const NS = 'fleetdeck-samples';
const kubeconfig = join(kdir.path, 'config');
let fixture: KubeFixture | undefined;
const kubeSkip = notBuilt || kubectlMissing;

/** kubectl top pod: millicores and MiB per pod. */
async function kubectlTop(): Promise<Map<string, { m: number; mi: number }>> {
  const out = new Map<string, { m: number; mi: number }>();
  let r: { stdout: string };
  try {
    r = await promisify(execFile)('kubectl', ['--kubeconfig', kubeconfig, 'top', 'pod', '-n', NS, '--no-headers'], { timeout: 30_000 });
  } catch {
    return out; // no pod has metrics yet
  }
  for (const l of r.stdout.split('\n').filter(Boolean)) {
    const [name, cpu, mem] = l.trim().split(/\s+/);
    out.set(name!, { m: parseInt(cpu!, 10), mi: parseInt(mem!, 10) });
  }
  return out;
}

test('top --context agrees with kubectl top pod on the fixture, CPU in percent of a core', { skip: kubeSkip }, async () => {
  fixture = await KubeFixture.start({
    kubeconfigPath: kubeconfig,
    contextName: CTX,
    namespace: NS,
    load: [join(root, 'services-sample/k8s')],
    controller: FAST,
  });
  try {
    const env = { KUBECONFIG: kubeconfig, DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    // Wait until every pod is running and has metrics.
    const deadline = Date.now() + 30_000;
    let before = await kubectlTop();
    while (before.size < 6 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      before = await kubectlTop();
    }
    const r = await fleetdeck(env, 'top', '--context', CTX, '--json');
    const afterTop = await kubectlTop();
    assert.equal(r.status, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as TopRow[];
    assert.deepEqual(rows.map((x) => x.service).sort(), [`${NS}/order-service`, `${NS}/user-service`]);
    const pods = rows.flatMap((x) => x.instances);
    assert.equal(pods.length, before.size, 'every pod kubectl lists');
    // The fixture's usage moves on every read (a slow sine, ±10 % noise): ours lies between the two kubectl
    // readings taken around it, widened by that noise and kubectl's rounding to whole millicores and MiB.
    for (const p of pods) {
      const a = before.get(p.name);
      const b = afterTop.get(p.name);
      assert.ok(a && b, `kubectl lists ${p.name}`);
      const m = p.cpuPercent! * 10; // percent of one core → millicores
      assert.ok(m >= Math.min(a.m, b.m) * 0.75 - 2 && m <= Math.max(a.m, b.m) * 1.3 + 2, `${p.name}: top ${m} m, kubectl ${a.m} m and ${b.m} m`);
      assert.ok(
        p.memMiB! >= Math.min(a.mi, b.mi) * 0.9 - 1 && p.memMiB! <= Math.max(a.mi, b.mi) * 1.1 + 1,
        `${p.name}: top ${p.memMiB} MiB, kubectl ${a.mi} Mi and ${b.mi} Mi`,
      );
      assert.equal(p.rxKBps, null, 'the metrics API has no network figures');
    }
  } finally {
    await fixture.stop();
  }
});
