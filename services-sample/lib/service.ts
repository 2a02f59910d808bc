/**
 * What both sample services share: a Fastify app with one JSON log line per
 * request (with its request id), Prometheus metrics, /health and /ready, JSON
 * errors (404, 405, 400 on path traversal, 413 on oversized bodies), fault
 * injection (FAULT_LATENCY_MS, FAULT_ERROR_RATE) and an admin endpoint that
 * exists only when ADMIN_TOKEN is set.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Env = Record<string, string | undefined>;

export interface ServiceOptions {
  name: string;
  /** Environment to read settings from (default process.env). */
  env?: Env;
  /** false: no logs. A stream: JSON lines go there (tests). Default: stdout. */
  log?: false | Writable;
  /** Largest request body accepted, in bytes (default 16 KiB). */
  bodyLimit?: number;
}

export interface Faults {
  latencyMs: number;
  errorRate: number;
}

export interface Service {
  app: FastifyInstance;
  registry: Registry;
  faults: Faults;
  /** True once shutdown began: /ready answers 503, /health stays 200. */
  state: { draining: boolean };
  /** Extra fields for the /ready body (order-service adds its breaker state). */
  readyDetails: () => Record<string, unknown>;
  /** Call after the last route: adds the JSON 405 answers. */
  finalize(): void;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
const TIMEOUT_CHECK_INTERVAL_MS = 250;
const MAX_LATENCY_MS = 60_000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Health, readiness, metrics and admin routes: no fault injection. */
    infra?: boolean;
    /** One of the generated 405 routes. */
    allow?: string;
  }
}

export function errorBody(statusCode: number, message: string) {
  return { error: STATUS_CODES[statusCode] ?? 'Error', message, statusCode };
}

export function sendError(reply: FastifyReply, statusCode: number, message: string) {
  return reply.code(statusCode).type('application/json; charset=utf-8').send(errorBody(statusCode, message));
}

/** Reads a numeric setting from the environment, refusing bad values with a clear message. */
export function setting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new Error(`${name}=${JSON.stringify(raw)} is invalid: expected a number from ${min} to ${max}`);
  }
  return n;
}

export function faultsFromEnv(env: Env): Faults {
  return {
    latencyMs: setting(env, 'FAULT_LATENCY_MS', 0, 0, MAX_LATENCY_MS),
    errorRate: setting(env, 'FAULT_ERROR_RATE', 0, 0, 1),
  };
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** 400 for `..`/`.` segments, backslashes and NUL, raw or percent-encoded; null if fine. */
export function pathProblem(rawUrl: string): string | null {
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return 'Malformed percent-encoding in path';
  }
  for (const p of [path, decoded]) {
    if (p.includes('\\') || p.includes('\u0000')) return 'Invalid character in path';
    if (p.split('/').some((seg) => seg === '..' || seg === '.')) return 'Path traversal is not allowed';
  }
  return null;
}

function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function createService(options: ServiceOptions): Service {
  const env = options.env ?? process.env;
  const faults = faultsFromEnv(env);
  const state = { draining: false };
  const adminToken = env.ADMIN_TOKEN ?? '';

  const logger =
    options.log === false
      ? false
      : {
          level: env.LOG_LEVEL ?? 'info',
          base: { service: options.name },
          formatters: { level: (label: string) => ({ level: label }) },
          timestamp: () => `,"time":"${new Date().toISOString()}"`,
          ...(options.log ? { stream: options.log } : {}),
        };

  const app = Fastify({
    logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: options.bodyLimit ?? 16 * 1024,
    routerOptions: { maxParamLength: 8192 },
    // What app.close() does on its own: requests arriving while it closes get 503, idle connections are closed.
    // runService drains more carefully before it calls app.close() (see there).
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // How often Node checks its header and request timeouts: during shutdown those are the short
    // deadline for half-sent requests, so they must be checked often.
    http: { connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS },
  });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  // Who answers which method on which route template, for the 405s.
  const routeMethods = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    if (route.config?.allow !== undefined) return;
    const set = routeMethods.get(route.url) ?? new Set<string>();
    for (const m of [route.method].flat()) set.add(m.toUpperCase());
    routeMethods.set(route.url, set);
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const problem = pathProblem(request.raw.url ?? '/');
    if (problem) return sendError(reply, 400, problem);
  });

  // While draining, every answer closes its connection, so keep-alive clients move on.
  app.addHook('onSend', async (_request, reply) => {
    if (state.draining) reply.header('connection', 'close');
  });

  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config.infra || request.routeOptions.config.allow !== undefined) return;
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
      return sendError(reply, 500, 'Injected fault (FAULT_ERROR_RATE)');
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
    const url = request.url.length > 200 ? `${request.url.slice(0, 200)}…` : request.url;
    request.log.info(
      { method: request.method, url, route, status: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 100) / 100 },
      'request completed',
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, `No route for ${request.method} ${request.url.length > 200 ? request.url.slice(0, 200) + '…' : request.url}`),
  );

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return sendError(reply, status, 'Internal error');
    }
    return sendError(reply, status, err.message);
  });

  const service: Service = {
    app,
    registry,
    faults,
    state,
    readyDetails: () => ({}),
    finalize() {
      for (const [url, methods] of routeMethods) {
        if (methods.has('GET')) methods.add('HEAD');
        const allow = METHODS.filter((m) => methods.has(m)).join(', ');
        const others = METHODS.filter((m) => !methods.has(m));
        if (others.length === 0) continue;
        app.route({
          method: others,
          url,
          config: { allow },
          handler: async (request, reply) => {
            reply.header('allow', allow);
            return sendError(reply, 405, `Method ${request.method} is not allowed here; allowed: ${allow}`);
          },
        });
      }
    },
  };

  app.get('/health', { config: { infra: true } }, async () => ({ status: 'UP' }));

  app.get('/ready', { config: { infra: true } }, async (_request, reply) => {
    if (state.draining) return reply.code(503).send({ status: 'DRAINING', ...service.readyDetails() });
    return { status: 'READY', ...service.readyDetails() };
  });

  app.get('/metrics', { config: { infra: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });

  if (adminToken !== '') registerAdmin(app, faults, adminToken);

  return service;
}

function registerAdmin(app: FastifyInstance, faults: Faults, token: string) {
  const authorized = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (given !== '' && sameToken(given, token)) return true;
    reply.header('www-authenticate', 'Bearer');
    sendError(reply, 401, 'A valid "Authorization: Bearer <ADMIN_TOKEN>" header is required');
    return false;
  };

  app.get('/admin/faults', { config: { infra: true } }, async (request, reply) => {
    if (!authorized(request, reply)) return reply;
    return { ...faults };
  });

  app.put<{ Body: Partial<Faults> }>(
    '/admin/faults',
    {
      config: { infra: true },
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            latencyMs: { type: 'number', minimum: 0, maximum: MAX_LATENCY_MS },
            errorRate: { type: 'number', minimum: 0, maximum: 1 },
          },
        },
      },
      // Authenticate before the body is validated, so strangers learn nothing.
      preValidation: async (request, reply) => {
        if (!authorized(request, reply)) return reply;
      },
    },
    async (request) => {
      if (request.body.latencyMs !== undefined) faults.latencyMs = request.body.latencyMs;
      if (request.body.errorRate !== undefined) faults.errorRate = request.body.errorRate;
      request.log.warn({ faults }, 'fault injection changed');
      return { ...faults };
    },
  );
}

export interface RunOptions {
  port: number;
  host: string;
  /** Last resort: exit 1 if in-flight requests have not finished after this long (default 9 s). */
  shutdownTimeoutMs?: number;
  /**
   * During shutdown, a request not fully received this long after it began (headers without their end,
   * a body shorter than its Content-Length) is answered 408 and its connection closed (default 1 s).
   */
  requestDeadlineMs?: number;
  /**
   * During shutdown, a keep-alive connection with no request in progress is closed once nothing has
   * arrived on it for this long (default 100 ms); one that has been quiet longer is closed at once.
   */
  idleGraceMs?: number;
}

interface ConnectionState {
  /** Requests on this connection whose response has not finished. */
  inFlight: number;
  /** When the last response finished (or the connection opened), and socket.bytesRead then. */
  quietSince: number;
  bytesReadThen: number;
}

/** Follows every connection: whether a request is in progress and since when it has been quiet. */
function trackConnections(server: HttpServer): Map<Socket, ConnectionState> {
  const connections = new Map<Socket, ConnectionState>();
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { inFlight: 0, quietSince: performance.now(), bytesReadThen: socket.bytesRead });
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (req, res) => {
    const conn = connections.get(req.socket);
    if (!conn) return;
    conn.inFlight++;
    res.once('close', () => {
      conn.inFlight--;
      conn.quietSince = performance.now();
      conn.bytesReadThen = req.socket.bytesRead;
    });
  });
  return connections;
}

/**
 * Listens, and on SIGTERM/SIGINT drains: stops accepting at once, answers what is in flight with
 * `Connection: close`, closes idle keep-alive connections, gives half-sent requests a short deadline,
 * then exits 0. Exits 1 if that has not happened after shutdownTimeoutMs.
 */
export async function runService(service: Service, options: RunOptions): Promise<void> {
  const { app, state } = service;
  const server = app.server;
  const requestDeadlineMs = options.requestDeadlineMs ?? 1000;
  const idleGraceMs = options.idleGraceMs ?? 100;
  const connections = trackConnections(server);
  let closing = false;

  /**
   * Closes the connections that are idle: no request in progress and nothing received for idleGraceMs.
   * A connection that just finished an answer is not idle yet: under keep-alive load its client's next
   * request is usually already on its way (or unread in the kernel), and closing it would reset that
   * request. Given the grace, that request arrives and is answered with `Connection: close`.
   */
  const closeIdle = () => {
    const now = performance.now();
    for (const [socket, conn] of connections) {
      if (conn.inFlight === 0 && socket.bytesRead === conn.bytesReadThen && now - conn.quietSince >= idleGraceMs) {
        socket.destroy();
      }
    }
  };

  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    state.draining = true; // from now on every answer carries Connection: close (the onSend hook)
    app.log.info({ signal, connections: connections.size }, 'shutting down: no new connections, finishing in-flight requests');
    const timeout = options.shutdownTimeoutMs ?? 9000;
    setTimeout(() => {
      app.log.error({ timeoutMs: timeout, connections: connections.size }, 'in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, timeout).unref();

    // Half-sent requests: Node's own header and request timeouts, shortened, answer them 408 and close.
    // (They count from the request's first byte and are checked every TIMEOUT_CHECK_INTERVAL_MS.)
    server.headersTimeout = requestDeadlineMs;
    server.requestTimeout = requestDeadlineMs;

    // Each sweep runs right after the event loop has polled the sockets (setImmediate), so a request
    // that had already arrived has been read and its connection counts as busy.
    const sweep = setInterval(() => setImmediate(closeIdle), 20);
    setImmediate(closeIdle);

    // Stop accepting now. This is net.Server's close, not http.Server's: the latter would also destroy,
    // at this instant, every connection with no request in progress, including keep-alive connections
    // whose next request is already here but not yet read (those clients would see a reset), and it
    // would stop the timeout checks above. The callback runs once the last connection has closed.
    NetServer.prototype.close.call(server, () => {
      clearInterval(sweep);
      // Fastify's own close: its onClose hooks (order-service's HTTP agent), then the exit.
      app.close().then(
        () => {
          app.log.info('shutdown complete');
          process.exit(0);
        },
        (err: unknown) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ port: options.port, host: options.host });
}

export function listenSettings(env: Env, defaultPort: number): { port: number; host: string } {
  return {
    port: setting(env, 'PORT', defaultPort, 0, 65535),
    host: env.HOST && env.HOST.trim() !== '' ? env.HOST : '127.0.0.1',
  };
}

/** The entry point of a service bundle: settings from the environment, a clear fatal line if they are wrong. */
export function startFromEnv(build: () => Service, defaultPort: number): void {
  let service: Service;
  let listen: { port: number; host: string };
  try {
    service = build();
    listen = listenSettings(process.env, defaultPort);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg })}\n`);
    process.exit(1);
  }
  runService(service, listen).catch((err: unknown) => {
    service.app.log.fatal({ err }, 'could not start');
    process.exit(1);
  });
}
