/**
 * order-service's way to user-service: a timeout per call, retries with
 * exponential backoff and jitter inside an overall budget, and an opossum
 * circuit breaker. While the breaker is open, lookups fail at once, so the
 * order is answered degraded instead of waiting.
 */
import { Agent, request as httpRequest } from 'node:http';
import CircuitBreaker from 'opossum';
import { Gauge, type Registry } from 'prom-client';

export interface UserClientOptions {
  baseUrl: string;
  /** Timeout of one call (ms). */
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff (ms); doubles each retry, with jitter. */
  backoffMs: number;
  /** All attempts of one lookup end within this (ms). */
  budgetMs: number;
  /** Breaker: how long it stays open before a trial call (ms). */
  resetTimeoutMs: number;
  /** Breaker: failure percentage that opens it. */
  errorThresholdPercentage: number;
  /** Breaker: calls in the rolling window before it may open. */
  volumeThreshold: number;
}

export interface User {
  id: bigint;
  name: string;
}

export type Lookup = { ok: true; user: User } | { ok: false; reason: string };

export type BreakerState = 'closed' | 'open' | 'half_open';

class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`user-service answered ${status}`);
  }
}

const MAX_BODY = 64 * 1024;

export class UserClient {
  readonly breaker: CircuitBreaker<[string, string, number], User>;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    private readonly options: UserClientOptions,
    registry: Registry,
    private readonly log: { warn: (obj: object, msg: string) => void },
  ) {
    this.breaker = new CircuitBreaker((userId: string, requestId: string, timeoutMs: number) => this.call(userId, requestId, timeoutMs), {
      timeout: false, // each call carries its own timeout
      resetTimeout: options.resetTimeoutMs,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      // A 4xx is user-service answering: not a failure of user-service.
      errorFilter: (err: unknown) => err instanceof HttpStatusError && err.status < 500,
      name: 'user-service',
    });
    const logState = () => this.log.warn({ breaker: 'user-service', state: this.state() }, `circuit breaker ${this.state()}`);
    this.breaker.on('open', logState);
    this.breaker.on('halfOpen', logState);
    this.breaker.on('close', logState);
    const state = () => this.state();
    new Gauge({
      name: 'circuit_breaker_state',
      help: 'State of the circuit breaker in front of a dependency: 1 for the current state, 0 for the others.',
      labelNames: ['breaker', 'state'] as const,
      registers: [registry],
      collect() {
        const current = state();
        for (const s of ['closed', 'open', 'half_open'] as const) {
          this.set({ breaker: 'user-service', state: s }, s === current ? 1 : 0);
        }
      },
    });
  }

  state(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'half_open';
    return 'closed';
  }

  async getUser(userId: string, requestId: string): Promise<Lookup> {
    const { retries, timeoutMs, backoffMs, budgetMs } = this.options;
    const deadline = Date.now() + budgetMs;
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return { ok: false, reason: 'user-service lookup budget exhausted' };
      try {
        return { ok: true, user: await this.breaker.fire(userId, requestId, Math.min(timeoutMs, remaining)) };
      } catch (err) {
        if (this.breaker.opened || (err as { code?: string }).code === 'EOPENBREAKER') {
          return { ok: false, reason: 'circuit breaker open' };
        }
        const reason = err instanceof Error ? err.message : String(err);
        if ((err instanceof HttpStatusError && err.status < 500) || attempt >= retries) return { ok: false, reason };
        const delay = backoffMs * 2 ** attempt * (0.5 + Math.random() / 2);
        if (Date.now() + delay >= deadline) return { ok: false, reason };
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  close(): void {
    this.breaker.shutdown();
    this.agent.destroy();
  }

  private call(userId: string, requestId: string, timeoutMs: number): Promise<User> {
    const url = new URL(`/user/${userId}`, this.options.baseUrl);
    return new Promise<User>((resolve, reject) => {
      const req = httpRequest(url, { agent: this.agent, headers: { 'x-request-id': requestId, accept: 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) req.destroy(new Error('user-service answer too large'));
          else chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new HttpStatusError(res.statusCode ?? 0));
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<User>;
            if (typeof body.name !== 'string') throw new Error('user-service answered without a name');
            resolve({ id: BigInt(userId), name: body.name });
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      });
      const timer = setTimeout(() => req.destroy(new Error(`user-service did not answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('close', () => clearTimeout(timer));
      req.on('error', reject);
      req.end();
    });
  }
}
