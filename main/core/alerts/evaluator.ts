/**
 * Decides when an alert fires and when it resolves, from what it is fed: the recorder's markers
 * and points, the services as the drivers list them, and the log counts of logMatch rules. Each
 * `evaluate` compares what holds now with what is firing: a condition that starts fires one
 * alert, which stays that one entry while the condition holds and is resolved when it ends.
 * Time comes in as arguments, so tests drive it without waiting.
 */
import { randomUUID } from 'node:crypto';
import { quotedQuery, type Alert, type AlertRule } from '../../common/alerts-model';
import type { MetricMarker } from '../../common/metrics-model';
import type { MetricPoint, Service } from '../../common/model';
import { plainText } from '../../common/output-policy';
import type { AlertHistory } from './history';

/** errorRate and latency rules judge the mean over this window, so one slow second does not page anyone. */
export const RATE_WINDOW_MS = 30_000;
/** ...and only once it holds this many measured seconds. */
const MIN_RATE_POINTS = 5;
/** A crash and the restart that follows it are one incident, not two. */
const SAME_INCIDENT_MS = 30_000;
/** Restart windows are kept this long at most (the longest a rule may name) and this many per instance. */
const MAX_WINDOW_MS = 1440 * 60_000;
const MAX_EVENTS_PER_INSTANCE = 1000;
/**
 * An alert still firing when Fleetdeck stopped is taken up again at start: it stays the same
 * entry if its condition holds again within this grace (state such as "unhealthy since" starts
 * over, so the condition needs a while to be seen again), and is resolved after it if not.
 */
const ADOPT_GRACE_MS = 90_000;
/**
 * A condition must stay false this long before its alert is resolved: a breaker cycling open →
 * half-open → open, or a rate hovering at its threshold, stays one alert instead of a new one
 * every few seconds. The alert's resolvedAt is when the condition ended.
 */
export const RESOLVE_AFTER_MS = 30_000;

/** What fires for one rule and one service. */
export interface Condition {
  envId: string;
  serviceId: string;
  serviceName: string;
  message: string;
}

/** The log counts of one logMatch rule over its window, per service, from its last query. */
export interface LogCount {
  envId: string;
  serviceId: string;
  serviceName: string;
  count: number;
}

interface Incident {
  t: number;
  kind: MetricMarker['kind'];
  paired: boolean;
}

interface Active {
  alertId: string;
  envId: string;
  /** Taken up from the history at start (then): resolved only after a grace if its condition is not seen. */
  adoptedAt?: number;
  /** Since when its condition has not held: resolved (as of then) once that lasts RESOLVE_AFTER_MS. */
  clearSince?: number;
}

const keyOf = (ruleId: string, serviceId: string) => `${ruleId}\u0000${serviceId}`;
const ruleOfKey = (key: string) => key.slice(0, key.indexOf('\u0000'));

export class AlertEvaluator {
  /** Per service, per instance name: its restarts and crashes, oldest first. */
  private readonly incidents = new Map<string, Map<string, Incident[]>>();
  /** Per service: its points of the last RATE_WINDOW_MS. */
  private readonly points = new Map<string, MetricPoint[]>();
  /** Per service: since when it has been unhealthy or degraded. */
  private readonly unhealthySince = new Map<string, number>();
  private readonly logCounts = new Map<string, LogCount[]>();
  private readonly active = new Map<string, Active>();

  constructor(
    private readonly history: Pick<AlertHistory, 'add' | 'resolve' | 'firing'>,
    now: number,
  ) {
    for (const a of history.firing()) this.active.set(keyOf(a.ruleId, a.serviceId), { alertId: a.id, envId: a.envId, adoptedAt: now });
  }

  onMarker(serviceId: string, m: MetricMarker): void {
    if ((m.kind !== 'restart' && m.kind !== 'crash') || !m.instance) return;
    let byInstance = this.incidents.get(serviceId);
    if (!byInstance) this.incidents.set(serviceId, (byInstance = new Map()));
    const list = byInstance.get(m.instance) ?? [];
    const last = list[list.length - 1];
    if (last && !last.paired && last.kind !== m.kind && m.t - last.t <= SAME_INCIDENT_MS) {
      last.paired = true;
      return;
    }
    list.push({ t: m.t, kind: m.kind, paired: false });
    if (list.length > MAX_EVENTS_PER_INSTANCE) list.splice(0, list.length - MAX_EVENTS_PER_INSTANCE);
    byInstance.set(m.instance, list);
  }

  onPoint(serviceId: string, p: MetricPoint): void {
    const list = this.points.get(serviceId) ?? [];
    list.push(p);
    while (list.length && list[0]!.t <= p.t - RATE_WINDOW_MS) list.shift();
    this.points.set(serviceId, list);
  }

  setLogCounts(ruleId: string, counts: LogCount[]): void {
    this.logCounts.set(ruleId, counts);
  }

  /**
   * One pass: `services` are those of the environments in `connectedEnvs` (an environment away
   * keeps its alerts as they are until it is back). Fires and resolves through the history.
   */
  evaluate(rules: readonly AlertRule[], services: readonly Service[], connectedEnvs: ReadonlySet<string>, now: number): void {
    this.forget(services, now);
    for (const s of services) {
      if (s.degraded || s.unhealthy > 0) {
        if (!this.unhealthySince.has(s.id)) this.unhealthySince.set(s.id, now);
      } else this.unhealthySince.delete(s.id);
    }

    const holding = new Map<string, { rule: AlertRule; c: Condition }>();
    for (const rule of rules) {
      if (!rule.enabled) continue;
      if (rule.kind === 'logMatch') {
        for (const lc of this.logCounts.get(rule.id) ?? []) {
          if (lc.count <= rule.count) continue;
          holding.set(keyOf(rule.id, lc.serviceId), {
            rule,
            c: {
              envId: lc.envId,
              serviceId: lc.serviceId,
              serviceName: lc.serviceName,
              message: plainText(
                `The log search ${quotedQuery(rule.query)} matched ${lc.count} lines of ${lc.serviceName} in the last ${rule.minutes} min (more than ${rule.count}).`,
              ),
            },
          });
        }
        continue;
      }
      for (const s of services) {
        if (!inScope(rule, s)) continue;
        const message = this.check(rule, s, now);
        if (message !== undefined) {
          holding.set(keyOf(rule.id, s.id), { rule, c: { envId: s.envId, serviceId: s.id, serviceName: plainText(s.name), message: plainText(message) } });
        }
      }
    }

    const live = new Map(rules.filter((r) => r.enabled).map((r) => [r.id, r]));
    const listed = new Set(services.map((s) => s.id));
    for (const [key, a] of this.active) {
      if (holding.has(key)) {
        delete a.adoptedAt;
        delete a.clearSince;
        continue;
      }
      const rule = live.get(ruleOfKey(key));
      const serviceId = key.slice(key.indexOf('\u0000') + 1);
      let resolvedAt = now;
      if (rule && rule.kind !== 'logMatch' && !connectedEnvs.has(a.envId)) {
        continue; // rules evaluated on services cannot tell while their environment is away; log counts can
      } else if (rule && a.adoptedAt !== undefined) {
        if (now < a.adoptedAt + graceOf(rule)) continue;
      } else if (rule && (rule.kind === 'logMatch' || listed.has(serviceId))) {
        a.clearSince ??= now;
        if (now - a.clearSince < RESOLVE_AFTER_MS) continue;
        resolvedAt = a.clearSince;
      }
      // Else the rule was disabled or removed, or the service is gone: resolved at once.
      this.history.resolve(a.alertId, resolvedAt);
      this.active.delete(key);
    }
    for (const [key, { rule, c }] of holding) {
      if (this.active.has(key)) continue;
      const alert: Alert = {
        id: randomUUID(),
        ruleId: rule.id,
        ruleName: plainText(rule.name),
        kind: rule.kind,
        envId: c.envId,
        serviceId: c.serviceId,
        serviceName: c.serviceName,
        firedAt: now,
        message: c.message.slice(0, 1000),
      };
      this.history.add(alert);
      this.active.set(key, { alertId: alert.id, envId: c.envId });
    }
  }

  /** The condition's words when it holds for this service now, else undefined. */
  private check(rule: Exclude<AlertRule, { kind: 'logMatch' }>, s: Service, now: number): string | undefined {
    switch (rule.kind) {
      case 'restarts': {
        let worst: [string, number] | undefined;
        for (const [instance, list] of this.incidents.get(s.id) ?? []) {
          const n = countSince(list, now - rule.minutes * 60_000);
          if (n > rule.count && (!worst || n > worst[1])) worst = [instance, n];
        }
        return worst && `${worst[0]} restarted or crashed ${worst[1]} times in the last ${rule.minutes} min (more than ${rule.count}).`;
      }
      case 'unhealthy': {
        const since = this.unhealthySince.get(s.id);
        if (since === undefined || now - since <= rule.seconds * 1000) return undefined;
        const what = s.degraded
          ? `degraded (${s.degraded.reason})`
          : `unhealthy (${s.unhealthy} of ${s.instances.length} ${s.instances.length === 1 ? 'instance fails its' : 'instances fail their'} health check)`;
        return `${s.name} has been ${what} for more than ${rule.seconds} s.`;
      }
      case 'errorRate': {
        const mean = this.mean(s.id, (p) => p.errorsPerSecond, now);
        return mean !== undefined && mean > rule.perSecond
          ? `${s.name} answers ${round(mean)} 5xx per second (30 s average), above ${rule.perSecond}/s.`
          : undefined;
      }
      case 'latency': {
        const mean = this.mean(s.id, (p) => p.p95Ms, now);
        return mean !== undefined && mean > rule.p95Ms
          ? `${s.name} answers slowly: p95 ${Math.round(mean)} ms (30 s average), above ${rule.p95Ms} ms.`
          : undefined;
      }
      case 'breakerOpen': {
        const open = (s.breakers ?? []).filter((b) => b.state === 'open');
        if (!open.length) return undefined;
        const names = [...new Set(open.map((b) => `${b.breaker} on ${b.instance}`))].slice(0, 5);
        return `Circuit breaker ${names.join(', ')} open${open.length > names.length ? ' (and more)' : ''}.`;
      }
    }
  }

  private mean(serviceId: string, pick: (p: MetricPoint) => number | undefined, now: number): number | undefined {
    let sum = 0;
    let n = 0;
    for (const p of this.points.get(serviceId) ?? []) {
      const v = pick(p);
      if (p.t <= now - RATE_WINDOW_MS || v === undefined || !Number.isFinite(v)) continue;
      sum += v;
      n++;
    }
    return n >= MIN_RATE_POINTS ? sum / n : undefined;
  }

  /** Drops what is too old to count and what belongs to services that are gone. */
  private forget(services: readonly Service[], now: number): void {
    const ids = new Set(services.map((s) => s.id));
    for (const id of this.unhealthySince.keys()) if (!ids.has(id)) this.unhealthySince.delete(id);
    for (const [id, list] of this.points) if (!list.length || list[list.length - 1]!.t <= now - RATE_WINDOW_MS) this.points.delete(id);
    for (const [id, byInstance] of this.incidents) {
      for (const [name, list] of byInstance) {
        while (list.length && list[0]!.t <= now - MAX_WINDOW_MS) list.shift();
        if (!list.length) byInstance.delete(name);
      }
      if (!byInstance.size) this.incidents.delete(id);
    }
  }
}

/** How long an alert taken up at start waits for its condition to be seen again: an unhealthy rule needs its own duration first. */
function graceOf(rule: AlertRule): number {
  return rule.kind === 'unhealthy' ? Math.max(ADOPT_GRACE_MS, rule.seconds * 1000 + 10_000) : ADOPT_GRACE_MS;
}

function countSince(list: readonly Incident[], from: number): number {
  let n = 0;
  for (let i = list.length - 1; i >= 0 && list[i]!.t > from; i--) n++;
  return n;
}

/** A rule with no scope watches every service; a named service matches its id or its name. */
export function inScope(rule: AlertRule, s: { envId: string; id: string; name: string }): boolean {
  if (rule.scope?.envId && rule.scope.envId !== s.envId) return false;
  if (rule.scope?.serviceId && rule.scope.serviceId !== s.id && rule.scope.serviceId !== s.name) return false;
  return true;
}

function round(v: number): string {
  return v >= 10 ? String(Math.round(v)) : v.toFixed(1);
}
