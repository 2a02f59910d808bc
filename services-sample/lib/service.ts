/**
 * What both sample services share: a Fastify app with one JSON log line per
 * request (with its request id), Prometheus metrics, /health and /ready, JSON
 * errors (404, 405, 400 on path traversal, 413 on oversized bodies), fault
 * injection (FAULT_LATENCY_MS, FAULT_ERROR_RATE) and an admin endpoint that
 * exists only when ADMIN_TOKEN is set.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
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
    return503OnClosing: true,
    forceCloseConnections: 'idle',
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
  /** Give up waiting for in-flight requests after this long (default 9 s). */
  shutdownTimeoutMs?: number;
}

/** Listens, and on SIGTERM/SIGINT stops accepting, finishes in-flight requests and exits 0. */
export async function runService(service: Service, options: RunOptions): Promise<void> {
  const { app, state } = service;
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    state.draining = true;
    app.log.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const timeout = options.shutdownTimeoutMs ?? 9000;
    setTimeout(() => {
      app.log.error({ timeoutMs: timeout }, 'in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, timeout).unref();
    // Keep-alive connections that finish a request while we drain would hold close() open.
    setInterval(() => app.server.closeIdleConnections(), 100).unref();
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
