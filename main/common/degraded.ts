/**
 * When a service whose instances are up answers degraded: a circuit breaker open or half-open on
 * one of its instances, too many 5xx answers over the last 30 s, or readiness failing on some (not
 * all) of its replicas. Pure: the core feeds it what it scraped and the engine's readiness.
 */

export type BreakerState = 'closed' | 'open' | 'half_open';

/** One breaker of one instance, from its `circuit_breaker_state{breaker,state}` gauge. */
export interface BreakerReading {
  instance: string;
  breaker: string;
  state: BreakerState;
}

export interface DegradedSignals {
  /** Every breaker every instance reports (instances without the gauge report none). */
  breakers?: readonly BreakerReading[];
  /** Requests (probes left out) and their 5xx answers over the window, summed over instances. */
  requests?: { total: number; errors: number; windowSeconds: number };
  /** Instances up (running) and those of them whose health check / readiness fails. */
  readiness?: { up: number; failing: number };
}

export interface Degraded {
  /** In words, for the badge and its accessible name: "circuit breaker user-service open on order-service-1". */
  reason: string;
}

/** 5xx share at or above which a service is degraded, and the fewest requests that share is judged on. */
export const ERROR_SHARE_THRESHOLD = 0.05;
export const MIN_REQUESTS_FOR_ERROR_SHARE = 10;

const STATE_WORD: Record<BreakerState, string> = { closed: 'closed', open: 'open', half_open: 'half-open' };

export function breakerStateWord(s: BreakerState): string {
  return STATE_WORD[s];
}

/** undefined when nothing says the service answers degraded. */
export function degradedOf(signals: DegradedSignals): Degraded | undefined {
  const reasons: string[] = [];
  const breakers = signals.breakers ?? [];
  // Open before half-open; one phrase per breaker naming the instances it is in that state on.
  for (const state of ['open', 'half_open'] as const) {
    const byBreaker = new Map<string, string[]>();
    for (const b of breakers) {
      if (b.state !== state) continue;
      const list = byBreaker.get(b.breaker) ?? [];
      list.push(b.instance);
      byBreaker.set(b.breaker, list);
    }
    for (const [breaker, instances] of byBreaker) {
      reasons.push(`circuit breaker ${breaker} ${STATE_WORD[state]} on ${listWords([...new Set(instances)].sort())}`);
    }
  }
  const r = signals.requests;
  if (r && r.total >= MIN_REQUESTS_FOR_ERROR_SHARE && r.errors / r.total >= ERROR_SHARE_THRESHOLD) {
    reasons.push(`5xx ${Math.round((r.errors / r.total) * 100)}% of requests over the last ${Math.round(r.windowSeconds)} s`);
  }
  const ready = signals.readiness;
  if (ready && ready.failing > 0 && ready.failing < ready.up) {
    reasons.push(`readiness failing on ${ready.failing} of ${ready.up} replicas`);
  }
  if (!reasons.length) return undefined;
  return { reason: reasons.join('; ') };
}

/** Breakers in the order the detail lists them: by breaker, then instance (replica 2 before 10). */
export function sortBreakers(list: readonly BreakerReading[]): BreakerReading[] {
  return [...list].sort((a, b) => a.breaker.localeCompare(b.breaker) || a.instance.localeCompare(b.instance, undefined, { numeric: true }));
}

function listWords(items: string[]): string {
  if (items.length <= 3) return items.join(', ');
  return `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;
}
