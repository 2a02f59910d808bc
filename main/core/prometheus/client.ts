/**
 * A PromQL client over Prometheus's HTTP API: instant (/api/v1/query) and range
 * (/api/v1/query_range) queries, each with a timeout and a bound on the answer's size, and
 * failures told in words. Two ways to reach the server: its URL (Node's fetch), or a Kubernetes
 * service through the API server's service proxy with the context's credentials (client-node),
 * as Lens does. Why no npm client: docs/prometheus.md.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type * as K8s from '@kubernetes/client-node';
import { ApiError } from '../../common/errors';
import type { PrometheusServiceRef } from '../../common/prometheus-model';
import { parseQueryAnswer, type Series } from './responses';

export const QUERY_TIMEOUT_MS = 10_000;
/** A range of 900 points over a few series is well under 1 MiB; more is a query gone wrong. */
export const MAX_ANSWER_BYTES = 8 << 20;

/** How an answer's bytes are fetched: path (`/api/v1/query`) and query string in, status and body out. */
export interface PromTransport {
  /** Where it is, for messages: a URL without credentials, or "service ns/name:port on <context>". */
  readonly where: string;
  get(path: string, params: URLSearchParams, timeoutMs: number): Promise<{ status: number; body: string }>;
}

class TooLarge extends Error {}

async function readBounded(stream: AsyncIterable<Uint8Array | string>, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c) : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    size += b.length;
    if (size > max) throw new TooLarge();
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A URL's user and password go in an Authorization header (fetch refuses them in the URL) and never into messages. */
export function splitCredentials(raw: string): { base: URL; authorization?: string } {
  const u = new URL(raw);
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  u.hash = '';
  u.search = '';
  return user || pass ? { base: u, authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` } : { base: u };
}

/** The URL as it may be shown: no user, password, query or fragment. */
export function shownUrl(raw: string): string {
  return splitCredentials(raw).base.toString().replace(/\/$/, '');
}

export function urlTransport(raw: string): PromTransport {
  const { base, authorization } = splitCredentials(raw);
  const where = base.toString().replace(/\/$/, '');
  return {
    where,
    async get(path, params, timeoutMs) {
      // A Prometheus behind a path prefix (--web.route-prefix, a reverse proxy) keeps it.
      const url = new URL(`${base.pathname.replace(/\/$/, '')}${path}?${params}`, base);
      const r = await fetch(url, {
        headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      if (!r.body) return { status: r.status, body: '' };
      return { status: r.status, body: await readBounded(r.body as unknown as AsyncIterable<Uint8Array>, MAX_ANSWER_BYTES) };
    },
  };
}

/** `/api/v1/namespaces/{ns}/services/{name}:{port}/proxy` on the context's API server, with its credentials. */
export function serviceProxyTransport(kc: K8s.KubeConfig, ref: PrometheusServiceRef, contextName: string): PromTransport {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new ApiError('NOT_FOUND', `The context ${contextName} names no cluster.`, 'Check the kubeconfig.');
  const server = new URL(cluster.server);
  const prefix = `${server.pathname.replace(/\/$/, '')}/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/services/${encodeURIComponent(ref.name)}:${encodeURIComponent(String(ref.port))}/proxy`;
  return {
    where: `service ${ref.namespace}/${ref.name}:${ref.port} on ${contextName}`,
    async get(path, params, timeoutMs) {
      const opts: https.RequestOptions = {
        protocol: server.protocol,
        hostname: server.hostname,
        port: server.port || (server.protocol === 'https:' ? 443 : 80),
        path: `${prefix}${path}?${params}`,
        method: 'GET',
        headers: { accept: 'application/json' },
      };
      await kc.applyToHTTPSOptions(opts);
      const mod = server.protocol === 'https:' ? https : http;
      return await new Promise((resolve, reject) => {
        const req = mod.request(opts, (res) => {
          readBounded(res, MAX_ANSWER_BYTES).then((body) => resolve({ status: res.statusCode ?? 0, body }), reject);
        });
        req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer in ${timeoutMs / 1000} s`), { name: 'TimeoutError' })));
        req.on('error', reject);
        req.end();
      });
    },
  };
}

function reasonOf(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer in ${timeoutMs / 1000} s`;
  const code = err.cause?.code;
  if (code === 'ECONNREFUSED') return 'the connection was refused (nothing listens there)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  return (err.cause?.message ?? err.message ?? String(e)).split('\n')[0]!.slice(0, 200);
}

export class PromClient {
  constructor(
    readonly transport: PromTransport,
    private readonly timeoutMs = QUERY_TIMEOUT_MS,
  ) {}

  /** The query's value at `timeMs` (now when absent). */
  query(expr: string, timeMs?: number): Promise<Series[]> {
    const p = new URLSearchParams({ query: expr });
    if (timeMs !== undefined) p.set('time', String(timeMs / 1000));
    return this.ask('/api/v1/query', p);
  }

  /** The query at every `stepMs` from `fromMs` to `toMs` (both included, as Prometheus aligns them). */
  queryRange(expr: string, fromMs: number, toMs: number, stepMs: number): Promise<Series[]> {
    const p = new URLSearchParams({ query: expr, start: String(fromMs / 1000), end: String(toMs / 1000), step: String(stepMs / 1000) });
    return this.ask('/api/v1/query_range', p);
  }

  private async ask(path: string, params: URLSearchParams): Promise<Series[]> {
    const where = this.transport.where;
    let status: number;
    let body: string;
    try {
      ({ status, body } = await this.transport.get(path, params, this.timeoutMs));
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (e instanceof TooLarge) {
        throw new ApiError('LIMIT', `Prometheus at ${where} answered more than ${MAX_ANSWER_BYTES >> 20} MiB for one query.`, 'Ask for a shorter range.');
      }
      throw new ApiError(
        'UNREACHABLE',
        `Prometheus at ${where} did not answer: ${reasonOf(e, this.timeoutMs)}.`,
        'Check the URL, and that Prometheus runs there.',
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    if (status === 401 || status === 403) {
      throw new ApiError(
        status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN',
        `Prometheus at ${where} refused Fleetdeck (HTTP ${status}).`,
        'Check the user and password in the URL, or the context’s right to use the service proxy.',
      );
    }
    try {
      if (json !== undefined) {
        const answer = parseQueryAnswer(json);
        if (answer.ok) return answer.series;
        throw new ApiError(
          'INVALID_PARAMS',
          `Prometheus at ${where} refused the query: ${answer.error}`,
          'Check the metric names and label set for this environment (docs/prometheus.md).',
        );
      }
    } catch (e) {
      if (e instanceof ApiError) throw e;
    }
    throw new ApiError(
      'UNREACHABLE',
      `Prometheus at ${where} did not answer as Prometheus does (HTTP ${status}).`,
      'Check the URL: it names the Prometheus server itself, e.g. http://127.0.0.1:9090.',
    );
  }
}
