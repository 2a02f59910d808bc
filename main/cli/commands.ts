/**
 * `ls`, `scale`, `restart`, `logs` and `envs` over the API: the same calls and streams the window
 * uses, so they work for a Docker engine and a Kubernetes context alike.
 */
import type { ApiClient } from '../common/api-client';
import { ApiError, type ApiErrorBody } from '../common/errors';
import { instanceColours } from '../common/log-format';
import type { Environment, LogEvent, Service } from '../common/model';
import { jsonText } from '../common/output-policy';
import { applyServicesEvent } from '../common/services-feed';
import type { Command, TargetOptions } from './args';
import { formatEnvironments } from './envs';
import { logOutput } from './logs';
import type { Io } from './io';
import { storedLogs } from './stored-logs';
import { formatServices, isReady, label, notReadyError, progressLine, scaledLine } from './services';
import { chooseEnvironment, EXIT, resolveInstance, resolveService } from './target';

export type { Io };

const SETTLE_MS = 6000;
const CONNECT_MS = 15_000;

/** The environments once each has answered or failed (at most `ms`). */
export function settledEnvironments(
  client: ApiClient,
  ms = SETTLE_MS,
  settled = (l: Environment[]) => l.every((e) => e.state !== 'connecting'),
): Promise<Environment[]> {
  return new Promise((resolve) => {
    let last: Environment[] = [];
    const done = () => {
      clearTimeout(timer);
      stop();
      resolve(last);
    };
    const timer = setTimeout(done, ms);
    const stop = client.subscribe('environments.watch', {}, (list) => {
      last = list;
      if (settled(list)) done();
    });
  });
}

export async function envs(client: ApiClient, c: Extract<Command, { cmd: 'envs' }>, io: Io): Promise<number> {
  const list = await settledEnvironments(client);
  io.out(`${c.json ? jsonText(list) : formatEnvironments(list)}\n`);
  return EXIT.ok;
}

/** The environment a command means, connected, with the namespaces it asked for chosen. */
async function targetEnvironment(client: ApiClient, t: TargetOptions): Promise<Environment> {
  const wanted = chooseEnvironment(t, await client.call('environments.list', {}));
  const list = await settledEnvironments(client, CONNECT_MS, (l) => l.some((e) => e.id === wanted.id && e.state !== 'connecting'));
  const env = list.find((e) => e.id === wanted.id) ?? wanted;
  if (env.state !== 'connected') {
    throw new ApiError(
      'UNREACHABLE',
      env.problem ?? `${env.name} is not reachable.`,
      env.kind === 'docker' ? 'Start the engine and try again.' : 'Check the cluster and your kubeconfig credentials.',
    );
  }
  if (t.namespace || t.allNamespaces) {
    const namespaces = t.allNamespaces ? ('all' as const) : [t.namespace!];
    await client.call('environments.setNamespaces', { id: env.id, namespaces });
  }
  return env;
}

async function servicesIn(client: ApiClient, env: Environment, t: TargetOptions): Promise<Service[]> {
  const list = await client.call('services.list', { envId: env.id });
  return t.namespace ? list.filter((s) => s.project === t.namespace) : list;
}

export async function ls(client: ApiClient, c: Extract<Command, { cmd: 'ls' }>, io: Io): Promise<number> {
  const env = await targetEnvironment(client, c.target);
  const list = await servicesIn(client, env, c.target);
  io.out(`${c.json ? jsonText(list) : formatServices(list)}\n`);
  return EXIT.ok;
}

/** Follows one service through services.watch: `onChange` gets it first, then whenever it changes or goes (undefined). */
function watchService(client: ApiClient, envId: string, id: string, onChange: (s: Service | undefined) => void): () => void {
  let list: Service[] = [];
  let first = true;
  let last: Service | undefined;
  return client.subscribe('services.watch', { envId }, (e) => {
    list = applyServicesEvent(list, e);
    const s = list.find((x) => x.id === id);
    if (!first && s === last) return; // the event was about other services
    first = false;
    onChange((last = s));
  });
}

/** Progress on stderr: one line rewritten on a terminal, a line per change in a pipe. */
function progress(io: Io) {
  let last = '';
  let open = false;
  return {
    show(line: string) {
      if (line === last) return;
      last = line;
      if (io.interactive) {
        io.err(`\r\x1b[2K${line}`);
        open = true;
      } else io.err(`${line}\n`);
    },
    end() {
      if (open) io.err('\n');
      open = false;
    },
  };
}

export async function scale(client: ApiClient, c: Extract<Command, { cmd: 'scale' }>, io: Io): Promise<number> {
  const env = await targetEnvironment(client, c.target);
  const svc = resolveService(await servicesIn(client, env, c.target), c.service);
  if (c.replicas === 0 && svc.desired > 0 && !c.yes && io.interactive) {
    const ok = await io.ask(`Scale ${label(svc)} to 0? This stops all ${svc.desired} of its instances. [y/N] `);
    if (!ok) {
      io.err('fleetdeck: not scaled.\n');
      return EXIT.failed;
    }
  }
  let latest: Service | undefined = svc;
  const p = progress(io);
  let changed: () => void = () => {};
  // Progress only once the engine took the request: a refused scale is one error line, nothing else.
  let accepted = false;
  const stop = watchService(client, env.id, svc.id, (s) => {
    latest = s;
    if (s && (accepted || s.operation)) p.show(progressLine(s));
    changed();
  });
  try {
    latest = await client.call('services.scale', { serviceId: svc.id, replicas: c.replicas });
    accepted = true;
    p.show(progressLine(latest));
    if (c.wait && !isReady(latest, c.replicas)) {
      await until(
        () => isReady(latest, c.replicas),
        (f) => (changed = f),
        c.timeoutS * 1000,
        io.signal,
        () => notReadyError(latest, c.replicas, c.timeoutS),
      );
    }
  } finally {
    stop();
    p.end();
  }
  const done = latest ?? svc;
  io.out(`${c.json ? jsonText(done) : scaledLine(done, c.replicas)}\n`);
  return EXIT.ok;
}

export async function restart(client: ApiClient, c: Extract<Command, { cmd: 'restart' }>, io: Io): Promise<number> {
  const env = await targetEnvironment(client, c.target);
  const svc = resolveService(await servicesIn(client, env, c.target), c.service);
  const p = progress(io);
  const stop = watchService(client, env.id, svc.id, (s) => s && p.show(progressLine(s)));
  let done: Service;
  try {
    done = await client.call('services.restart', { serviceId: svc.id });
  } finally {
    stop();
    p.end();
  }
  io.out(`${c.json ? jsonText(done) : `${label(done)} restarted (${done.running}/${done.desired} ready)`}\n`);
  return EXIT.ok;
}

export async function logs(client: ApiClient, c: Extract<Command, { cmd: 'logs' }>, io: Io): Promise<number> {
  if (!c.ref) return storedLogs(client, c, io, { label: `request ${c.request}` });
  const env = await targetEnvironment(client, c.target);
  const list = await servicesIn(client, env, c.target);
  let target: { serviceId: string } | { instance: string };
  let stored: { envId: string; serviceId?: string; instance?: string; label: string };
  try {
    const svc = resolveService(list, c.ref);
    target = { serviceId: svc.id };
    stored = { envId: env.id, serviceId: svc.id, label: label(svc) };
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'NOT_FOUND') throw e;
    const found = resolveInstance(list, c.ref);
    target = { instance: found.instance.id };
    stored = { envId: env.id, serviceId: found.service.id, instance: found.instance.name, label: found.instance.name };
  }
  if (!c.follow) return storedLogs(client, c, io, stored);
  const o = { raw: c.raw, colour: io.colour, merged: 'serviceId' in target };
  const colourFor = instanceColours();
  const write = (e: LogEvent) => {
    if (!c.json) {
      const text = logOutput(e, colourFor, o);
      if (text) io.out(text);
    } else if (e.kind === 'lines') {
      for (const x of e.entries) io.out(`${jsonText(x, 0)}\n`);
    }
  };
  return new Promise<number>((resolve, reject) => {
    const stop = client.subscribe('logs.follow', { envId: env.id, ...target, tail: c.tail }, write, (error?: ApiErrorBody) => {
      io.signal.removeEventListener('abort', onAbort);
      if (error) reject(ApiError.fromBody(error));
      else resolve(EXIT.ok);
    });
    const onAbort = () => {
      stop();
      resolve(EXIT.ok);
    };
    io.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits until `ready()` is true, re-checked whenever `hook`'s callback runs; bounded, and Ctrl+C ends it. */
function until(ready: () => boolean, hook: (f: () => void) => void, ms: number, signal: AbortSignal, timeoutError: () => ApiError): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (e?: ApiError) => {
      clearTimeout(timer);
      hook(() => {});
      signal.removeEventListener('abort', onAbort);
      if (e) reject(e);
      else resolve();
    };
    const onAbort = () => finish(new ApiError('CANCELLED', 'Stopped waiting; the scale goes on in the engine.', 'Run "fleetdeck ls" to see where it got.'));
    const timer = setTimeout(() => finish(timeoutError()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
    hook(() => ready() && finish());
    if (ready()) finish();
  });
}
