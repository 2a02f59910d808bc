/**
 * npm run bench:samples [-- --seconds 10] [-- --no-write]
 *
 * wrk against GET /user/7 of: user-service on the host (the bundle, run by this
 * Node), user-service in its container (port published on 127.0.0.1), and the
 * original Flask app (Debian's python3-flask, Flask's own server) — one after
 * the other in one run on the same box, loopback only. Writes the "Sample
 * services" section of docs/performance.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { resolveDockerEndpoint } from '../main/core/docker/endpoint';
import { bundleService, startSamples, stopSamples } from '../main/core/samples';
import { writePerfSection } from './lib/perf-doc';

const args = process.argv.slice(2);
const secondsAt = args.indexOf('--seconds');
const SECONDS = Math.min(60, Math.max(2, Number(secondsAt >= 0 ? args[secondsAt + 1] : 10) || 10));
const CONNECTIONS = 50;
const THREADS = 2;
const WRK = '/usr/bin/wrk';
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const root = process.cwd();
const docsFile = join(root, 'docs', 'performance.md');

interface Result {
  target: string;
  rps: number;
  p50ms: number;
  p99ms: number;
  errors: string;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function waitHealthy(url: string, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not answer ${url}/health within 10 s`);
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

function wrk(url: string, seconds: number): Promise<{ rps: number; p50ms: number; p99ms: number; errors: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(WRK, [`-t${THREADS}`, `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '5s', '--latency', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      const p50 = /^\s+50%\s+([\d.]+)(us|ms|s)\s*$/m.exec(out);
      const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(out);
      if (code !== 0 || !rps || !p50 || !p99) return reject(new Error(`wrk failed (${code}):\n${out}`));
      const errors = [/Socket errors:[^\n]*/.exec(out)?.[0], /Non-2xx or 3xx responses:[^\n]*/.exec(out)?.[0]].filter(Boolean).join('; ');
      resolve({ rps: Number(rps[1]), p50ms: toMs(p50[1]!, p50[2]!), p99ms: toMs(p99[1]!, p99[2]!), errors: errors || 'none' });
    });
  });
}

async function measure(target: string, url: string): Promise<Result> {
  console.log(`• ${target}: warm-up 2 s, then ${SECONDS} s`);
  await wrk(url, 2);
  const r = await wrk(url, SECONDS);
  console.log(`  ${r.rps.toFixed(0)} req/s, p50 ${r.p50ms.toFixed(2)} ms, p99 ${r.p99ms.toFixed(2)} ms, errors: ${r.errors}`);
  return { target, ...r };
}

function version(cmd: string, argv: string[]): string {
  const r = spawnSync(cmd, argv, { encoding: 'utf8' }); // wrk -v exits 1 but prints its version
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0] || '?';
}

const children: ChildProcess[] = [];
const docker = new Docker(resolveDockerEndpoint().options);
const project = `bench-${process.pid}`;
let containerStarted = false;
try {
  if (!existsSync(WRK)) throw new Error(`${WRK} is missing: apt-get install wrk`);
  const bundle = await bundleService(root, 'user-service');

  const nodePort = await freePort();
  children.push(spawn(process.execPath, [bundle], { env: { ...process.env, PORT: String(nodePort), HOST: '127.0.0.1' }, stdio: 'ignore' }));
  const nodeUrl = `http://127.0.0.1:${nodePort}`;

  const flaskPort = await freePort();
  children.push(spawn(PYTHON, [join(root, 'services-sample/flask/app.py')], { env: { ...process.env, PORT: String(flaskPort) }, stdio: 'ignore' }));
  const flaskUrl = `http://127.0.0.1:${flaskPort}`;

  containerStarted = true;
  const started = await startSamples(docker, { project, replicas: { 'user-service': 1, 'order-service': 0 } });
  const containerUrl = started.instances[0]!.url;

  await waitHealthy(nodeUrl, 'user-service (host)');
  await waitHealthy(flaskUrl, 'Flask');

  const results = [
    await measure('user-service, Node on the host', `${nodeUrl}/user/7`),
    await measure('user-service, in its container', `${containerUrl}/user/7`),
    await measure('Flask app.run on the host', `${flaskUrl}/user/7`),
  ];
  const flask = results[2]!;
  const machine = {
    cpus: availableParallelism(),
    model: cpus()[0]?.model ?? '?',
    node: process.version,
    python: version(PYTHON, ['--version']),
    flask: version(PYTHON, ['-c', 'import importlib.metadata as m; print(m.version("flask"))']),
    wrk: version(WRK, ['-v']).replace(/ \[.*$/, ''),
    docker: version('docker', ['version', '--format', '{{.Server.Version}}']),
  };
  const rows = results.map(
    (r) =>
      `| ${r.target} | ${r.rps.toFixed(0)} | ${(r.rps / flask.rps).toFixed(1)}× | ${r.p50ms.toFixed(2)} | ${r.p99ms.toFixed(2)} | ${(r.p99ms / flask.p99ms).toFixed(2)}× | ${r.errors} |`,
  );
  const md = [
    '## Sample services',
    '',
    `\`npm run bench:samples\` — wrk \`-t${THREADS} -c${CONNECTIONS} -d${SECONDS}s --latency\` against \`GET /user/7\` (after a 2 s warm-up each), one target after the other in one run, all on 127.0.0.1. Flask is the original example's code run by its own server (\`app.run\`, threaded), as the examples run it. Request logging goes to /dev/null for both.`,
    '',
    `Machine: ${machine.cpus} CPUs (\`nproc\`), ${machine.model}; Node ${machine.node}; ${machine.python}, Flask ${machine.flask}; ${machine.wrk}; Docker ${machine.docker}. Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. wrk shares the CPUs with the server it measures.`,
    '',
    '| Target | Requests/s | vs Flask | p50 ms | p99 ms | p99 vs Flask | wrk errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    "Figures move from run to run on a shared 2-CPU box (wrk, the server and, for the container, docker-proxy compete for the CPUs); the container's p99 moves most. Ratios from one run are what to compare.",
    '',
    `Target: ≥ 5× Flask's requests/s at a lower p99. Host: ${(results[0]!.rps / flask.rps).toFixed(1)}× at ${(results[0]!.p99ms / flask.p99ms).toFixed(2)}× the p99; container: ${(results[1]!.rps / flask.rps).toFixed(1)}× at ${(results[1]!.p99ms / flask.p99ms).toFixed(2)}× the p99 (the container's traffic also crosses Docker's port publishing).`,
  ].join('\n');
  console.log(`\n${md}\n`);
  if (!args.includes('--no-write')) {
    writePerfSection(docsFile, 'samples', md);
    console.log(`Written to ${docsFile}`);
  }
} catch (err) {
  console.error(`bench:samples failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  for (const c of children) c.kill('SIGTERM');
  if (containerStarted) await stopSamples(docker, { project }).catch(() => {});
}
