/**
 * `fleetdeck top`: every service of an environment and its running instances with CPU, memory,
 * network, requests, 5xx, p95 and breakers, from the same `metrics.watch` stream the Metrics tab
 * draws. Printed once every service has a point that means something, or redrawn every 2 s.
 */
import type { ApiClient } from '../common/api-client';
import { ApiError } from '../common/errors';
import type { Environment, MetricPoint, Service } from '../common/model';
import { jsonText, plainText } from '../common/output-policy';
import { applyServicesEvent } from '../common/services-feed';
import { loopbackPorts } from '../core/metrics/scraper';
import type { Command, TargetOptions } from './args';
import { settledEnvironments } from './commands';
import type { Io } from './io';
import { formatTop, topRows } from './top-format';
import { chooseEnvironment, EXIT } from './target';

/** How long the first figures may take before what was measured is printed anyway. */
export const MEASURE_TIMEOUT_MS = 20_000;
/**
 * Request figures are rates between two scrapes of /metrics made 2 s apart, tried only on ports
 * published on the loopback; an instance with such a port but no figures after this (a round
 * skipped while another waited on slow answers, a first try before the server listened) has none.
 */
const REQUESTS_WAIT_MS = 12_000;
const REDRAW_MS = 2_000;
const CONNECT_MS = 15_000;
/** A session holds at most 100 streams (core/api/session.ts); a few stay for the environment and the services. */
const MAX_WATCHED = 95;

type TopCommand = Extract<Command, { cmd: 'top' }>;

interface Watched {
  since: number;
  point?: MetricPoint;
  problem?: string;
  stop: () => void;
}

export async function top(client: ApiClient, c: TopCommand, io: Io): Promise<number> {
  const env = await targetEnvironment(client, c.target);
  let services: Service[] = [];
  let changed = () => {};
  const watched = new Map<string, Watched>();
  let warnedCap = false;
  const sync = () => {
    const shown = visible(services, c.target);
    const keep = new Set(shown.slice(0, MAX_WATCHED).map((s) => s.id));
    if (shown.length > MAX_WATCHED && !warnedCap) {
      warnedCap = true;
      io.err(`fleetdeck: measuring the first ${MAX_WATCHED} of ${shown.length} services; name a namespace with -n to see others.\n`);
    }
    for (const [id, w] of watched) {
      if (keep.has(id)) continue;
      w.stop();
      watched.delete(id);
    }
    for (const id of keep) {
      if (watched.has(id)) continue;
      const w: Watched = { since: Date.now(), stop: () => {} };
      watched.set(id, w);
      w.stop = client.subscribe(
        'metrics.watch',
        { envId: env.id, serviceId: id },
        (e) => {
          if (e.kind === 'point') w.point = e.point;
          else if (e.kind === 'history') w.point = e.points.at(-1) ?? w.point;
          else w.problem = e.message;
          changed();
        },
        // A service that went ends its stream; the services feed drops it too.
        () => watched.get(id) === w && watched.delete(id),
      );
    }
    changed();
  };
  let gotList!: () => void;
  const firstList = new Promise<void>((resolve) => (gotList = resolve));
  const stopServices = client.subscribe('services.watch', { envId: env.id }, (e) => {
    services = applyServicesEvent(services, e);
    sync();
    gotList();
  });
  const stopAll = () => {
    stopServices();
    for (const w of watched.values()) w.stop();
    watched.clear();
  };
  try {
    await firstList;
    await measured(
      env,
      () => visible(services, c.target),
      watched,
      (f) => (changed = f),
      io,
    );
    const frame = () => render(c, env, visible(services, c.target), watched);
    if (!c.watch) {
      const shown = visible(services, c.target);
      const late = shown.filter((s) => watched.has(s.id) && !isMeasured(env, s, watched.get(s.id)!, Date.now()));
      if (late.length && !c.json)
        io.err(`fleetdeck: not measured within ${MEASURE_TIMEOUT_MS / 1000} s, shown as "-": ${late.map((s) => plainText(s.name)).join(', ')}\n`);
      for (const p of new Set([...watched.values()].map((w) => w.problem).filter(Boolean))) io.err(`fleetdeck: ${plainText(p!)}\n`);
      io.out(`${frame()}\n`);
      return EXIT.ok;
    }
    return await redraw(frame, io);
  } finally {
    stopAll();
  }
}

function render(c: TopCommand, env: Environment, shown: Service[], watched: Map<string, Watched>): string {
  const points = new Map<string, MetricPoint | undefined>();
  for (const s of shown) {
    const w = watched.get(s.id);
    points.set(s.id, w?.point && usable(env, w.point));
  }
  const rows = topRows(shown, points);
  return c.json ? jsonText(rows) : formatTop(rows, shown);
}

/** Until Ctrl+C: the screen cleared and redrawn on a terminal, a frame after a blank line in a pipe. */
function redraw(frame: () => string, io: Io): Promise<number> {
  return new Promise((resolve) => {
    const draw = () => io.out(io.colour ? `\x1b[H\x1b[2J${frame()}\n` : `${frame()}\n\n`);
    draw();
    const timer = setInterval(draw, REDRAW_MS);
    io.signal.addEventListener(
      'abort',
      () => {
        clearInterval(timer);
        resolve(EXIT.ok);
      },
      { once: true },
    );
  });
}

/** Waits, with progress on stderr, until every shown service is measured; bounded by MEASURE_TIMEOUT_MS. */
function measured(env: Environment, shown: () => Service[], watched: Map<string, Watched>, hook: (f: () => void) => void, io: Io): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    let lastLine = '';
    const check = () => {
      const list = shown().filter((s) => watched.has(s.id));
      const done = list.filter((s) => isMeasured(env, s, watched.get(s.id)!, Date.now())).length;
      if (done === list.length) return finish();
      const line = `Measuring ${list.length} service${list.length === 1 ? '' : 's'}… ${done} done`;
      if (line !== lastLine) {
        lastLine = line;
        io.err(io.interactive ? `\r\x1b[2K${line}` : `${line}\n`);
      }
    };
    const finish = (e?: ApiError) => {
      clearTimeout(timer);
      clearInterval(tick);
      hook(() => {});
      io.signal.removeEventListener('abort', onAbort);
      if (lastLine && io.interactive) io.err('\r\x1b[2K');
      if (e) reject(e);
      else resolve();
    };
    const onAbort = () => finish(new ApiError('CANCELLED', 'Stopped measuring.', 'Run "fleetdeck top" again.'));
    const timer = setTimeout(() => finish(), Math.max(0, MEASURE_TIMEOUT_MS - (Date.now() - start)));
    // Request figures are given up on by time, not by an event.
    const tick = setInterval(check, 500);
    io.signal.addEventListener('abort', onAbort, { once: true });
    hook(check);
    check();
  });
}

/**
 * A point means something once it covers two stats samples of every running instance (CPU and
 * network are differences; the engine's first sample has nothing to subtract) and two scrapes
 * of /metrics where the instance may have one (a port published on the loopback, as the scraper
 * tries). Kubernetes' metrics API gives CPU and memory over its
 * own window, so its first point counts. A problem (no metrics API) ends the wait too.
 */
export function isMeasured(env: Environment, s: Service, w: Watched | { since: number; point?: MetricPoint; problem?: string }, now: number): boolean {
  if (w.problem) return true;
  const running = s.instances.filter((i) => i.state === 'running');
  if (!running.length) return true;
  const p = w.point;
  if (!p) return false;
  if (env.kind === 'kubernetes') return running.every((i) => p.instances[i.name]);
  if (!running.every((i) => p.instances[i.name]?.rxKBps !== undefined)) return false;
  return running.every((i) => !loopbackPorts(i).length || p.instances[i.name]?.rps !== undefined) || now - w.since >= REQUESTS_WAIT_MS;
}

/** The point without a Docker instance's one-sample figures (its CPU would be the container's lifetime average). */
function usable(env: Environment, p: MetricPoint): MetricPoint {
  if (env.kind === 'kubernetes') return p;
  return { ...p, instances: Object.fromEntries(Object.entries(p.instances).filter(([, f]) => f.rxKBps !== undefined)) };
}

function visible(services: Service[], t: TargetOptions): Service[] {
  return t.namespace ? services.filter((s) => s.project === t.namespace) : services;
}

/** As the other commands choose theirs (commands.ts): the environment connected, its namespaces set. */
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
    await client.call('environments.setNamespaces', { id: env.id, namespaces: t.allNamespaces ? 'all' : [t.namespace!] });
  }
  return env;
}
