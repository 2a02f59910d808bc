/**
 * Alert rules and the alerts they fire, as the engine, the window and the CLI share them. A rule
 * is validated here (pure zod), so the window shows the same message at the field that the engine
 * answers when it refuses the rule.
 */
import { z } from 'zod';
import { parseLogQuerySafe } from './log-query';

export const ALERT_RULE_KINDS = ['restarts', 'unhealthy', 'errorRate', 'latency', 'breakerOpen', 'logMatch'] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

/** What each kind means, in words, for the rule list and the form. */
export const ALERT_KIND_LABELS: Record<AlertRuleKind, string> = {
  restarts: 'Restarts or crashes',
  unhealthy: 'Unhealthy or degraded',
  errorRate: '5xx rate',
  latency: 'p95 latency',
  breakerOpen: 'Circuit breaker open',
  logMatch: 'Log search matches',
};

const whole = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a number.` })
    .int(`${what} must be a whole number.`)
    .min(min, `${what} must be at least ${min}.`)
    .max(max, `${what} must be at most ${max}.`);
const positive = (what: string, max: number) =>
  z
    .number({ error: `${what} must be a number.` })
    .positive(`${what} must be more than 0.`)
    .max(max, `${what} must be at most ${max}.`);

const base = {
  id: z
    .string()
    .min(1, 'A rule needs an id.')
    .max(64, 'A rule id is at most 64 characters.')
    .regex(/^[\w.-]+$/, 'A rule id uses letters, digits and . _ - only.'),
  name: z.string().trim().min(1, 'Give the rule a name.').max(120, 'A rule name is at most 120 characters.'),
  enabled: z.boolean({ error: 'enabled is true or false.' }),
  /** Which services it watches: none named, every service of every environment. */
  scope: z
    .object({
      envId: z.string().trim().min(1).max(300).optional(),
      /** A service id (`docker:local/shop/web`) or a service name (`web`). */
      serviceId: z.string().trim().min(1).max(600).optional(),
    })
    .strict()
    .optional(),
};

const restarts = z.object({ ...base, kind: z.literal('restarts'), count: whole('Count', 1, 1000), minutes: whole('Minutes', 1, 1440) }).strict();
const unhealthy = z.object({ ...base, kind: z.literal('unhealthy'), seconds: whole('Seconds', 1, 86_400) }).strict();
const errorRate = z.object({ ...base, kind: z.literal('errorRate'), perSecond: positive('5xx per second', 100_000) }).strict();
const latency = z.object({ ...base, kind: z.literal('latency'), p95Ms: positive('p95 (ms)', 3_600_000) }).strict();
const breakerOpen = z.object({ ...base, kind: z.literal('breakerOpen') }).strict();
const logMatch = z
  .object({
    ...base,
    kind: z.literal('logMatch'),
    query: z.string().trim().min(1, 'Give the search to count (words, "phrases", field:value, /regex/).').max(2000),
    count: whole('Count', 0, 1_000_000),
    minutes: whole('Minutes', 1, 1440),
  })
  .strict()
  .superRefine((r, ctx) => {
    const parsed = parseLogQuerySafe(r.query);
    if ('problem' in parsed) ctx.addIssue({ code: 'custom', path: ['query'], message: `${parsed.problem.message} (see docs/log-search.md).` });
  });

/** One rule: an id, a name, its kind with that kind's thresholds, on or off, and optionally where it looks. */
export const alertRuleSchema = z.discriminatedUnion('kind', [restarts, unhealthy, errorRate, latency, breakerOpen, logMatch], {
  error: `A rule's kind is one of ${ALERT_RULE_KINDS.join(', ')}.`,
});
export type AlertRule = z.output<typeof alertRuleSchema>;

/** The rules present on first start: what most people would want to hear about. */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = [
  { id: 'crash-loop', name: 'Crash loop', kind: 'restarts', count: 3, minutes: 5, enabled: true },
  { id: 'unhealthy', name: 'Unhealthy or degraded', kind: 'unhealthy', seconds: 60, enabled: true },
  { id: 'breaker-open', name: 'Circuit breaker open', kind: 'breakerOpen', enabled: true },
  { id: 'error-rate', name: '5xx rate', kind: 'errorRate', perSecond: 1, enabled: true },
  { id: 'latency', name: 'Slow answers (p95)', kind: 'latency', p95Ms: 1000, enabled: true },
];

/** A search as a sentence quotes it: "payment failed", or as it is when it is one quoted phrase already. */
export function quotedQuery(query: string): string {
  return /^"[^"]*"$/.test(query) ? query : `"${query}"`;
}

/** A rule's condition in words: "an instance restarts more than 3 times in 5 minutes". */
export function describeRule(r: AlertRule): string {
  switch (r.kind) {
    case 'restarts':
      return `an instance restarts or crashes more than ${r.count} ${r.count === 1 ? 'time' : 'times'} in ${r.minutes} min`;
    case 'unhealthy':
      return `unhealthy or degraded for more than ${r.seconds} s`;
    case 'errorRate':
      return `more than ${r.perSecond} 5xx answers per second (30 s average)`;
    case 'latency':
      return `p95 latency above ${r.p95Ms} ms (30 s average)`;
    case 'breakerOpen':
      return 'a circuit breaker opens';
    case 'logMatch':
      return `the log search ${quotedQuery(r.query)} matches more than ${r.count} ${r.count === 1 ? 'line' : 'lines'} in ${r.minutes} min`;
  }
}

/** One alert: fired once when its condition started, resolved when it ended. */
export interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: AlertRuleKind;
  envId: string;
  serviceId: string;
  /** The service's name as the window shows it (already through the output policy). */
  serviceName: string;
  /** ms since epoch */
  firedAt: number;
  resolvedAt?: number;
  acknowledgedAt?: number;
  /** What happened, in words (container-controlled parts through the output policy). */
  message: string;
}

/** What alerts.watch sends, first at once and then on every change: firing alerts first, then the most recent. */
export interface AlertsEvent {
  alerts: Alert[];
  /** Alerts firing now, and those of them nobody acknowledged (the sidebar's badge). */
  firing: number;
  unacknowledged: number;
  /** False where this process does not evaluate rules (the CLI reads what the window or serve stored). */
  evaluating: boolean;
}

/** A desktop notification of an alert (the window's and the desktop app's say the same). */
export function alertNotification(a: Alert): { title: string; body: string } {
  return { title: `Fleetdeck: ${a.ruleName}`, body: `${a.serviceName}: ${a.message}` };
}

/** More new alerts than this in one change come as one summary notification, not a stack of them. */
export const NOTIFY_AT_ONCE = 3;

/** The engine keeps this many alerts (firing and past); older past ones are forgotten. */
export const ALERT_HISTORY_LIMIT = 500;
/** alerts.watch sends at most this many: every firing one, then the most recent past ones. */
export const ALERTS_WATCH_LIMIT = 200;
