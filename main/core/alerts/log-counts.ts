/**
 * The counts behind logMatch rules: every LOG_MATCH_EVERY_MS each rule's search runs once over
 * the stored lines of its window, one search at a time, and its hits are counted per service.
 */
import type { AlertRule } from '../../common/alerts-model';
import { parseLogQuery } from '../../common/log-query';
import { plainText } from '../../common/output-policy';
import type { LogStore } from '../logstore/types';
import { inScope, type LogCount } from './evaluator';

export const LOG_MATCH_EVERY_MS = 15_000;
/** A search reads at most this many lines (newest first): enough to count past any sensible threshold. */
export const LOG_MATCH_LIMIT = 5_000;

type LogMatchRule = Extract<AlertRule, { kind: 'logMatch' }>;

/** A service's name as the window shows it, from its id (`<envId>/<project>/<name>`). */
export function serviceNameOf(serviceId: string): string {
  return plainText(serviceId.slice(serviceId.lastIndexOf('/') + 1) || serviceId);
}

/** How many stored lines of each service in the rule's scope match its search over the last `minutes`. */
export async function countLogMatches(store: Pick<LogStore, 'search'>, rule: LogMatchRule, now: number): Promise<LogCount[]> {
  const scopeService = rule.scope?.serviceId;
  const byId = scopeService?.includes('/');
  const result = await store.search({
    query: parseLogQuery(rule.query),
    from: now - rule.minutes * 60_000,
    to: now,
    ...(rule.scope?.envId ? { envs: [rule.scope.envId] } : {}),
    ...(byId ? { services: [scopeService!] } : {}),
    order: 'newest',
    limit: LOG_MATCH_LIMIT,
  });
  const counts = new Map<string, LogCount>();
  for (const h of result.hits) {
    let c = counts.get(h.service);
    if (!c) {
      const serviceName = serviceNameOf(h.service);
      if (!inScope(rule, { envId: h.env, id: h.service, name: serviceName })) continue;
      counts.set(h.service, (c = { envId: h.env, serviceId: h.service, serviceName, count: 0 }));
    }
    c.count++;
  }
  return [...counts.values()];
}
