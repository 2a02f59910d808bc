/**
 * `fleetdeck alerts [rules]`: what the window or serve stored (this process evaluates no rule:
 * its core runs in 'cli' mode and reads alerts-history.json and alerts.json).
 */
import type { ApiClient } from '../common/api-client';
import { describeRule, type Alert, type AlertRule } from '../common/alerts-model';
import { jsonText, plainText } from '../common/output-policy';
import type { Command } from './args';
import type { Io } from './io';
import { EXIT } from './target';

const SHOWN = 50;

export async function alerts(client: ApiClient, c: Extract<Command, { cmd: 'alerts' }>, io: Io): Promise<number> {
  if (c.what === 'rules') {
    const rules = await client.call('alerts.rules', {});
    io.out(`${c.json ? jsonText(rules) : formatRules(rules)}\n`);
    return EXIT.ok;
  }
  const list = await client.call('alerts.list', { limit: 500 });
  const firing = list.filter((a) => a.resolvedAt === undefined);
  const shown = [...firing, ...list.filter((a) => a.resolvedAt !== undefined).slice(0, Math.max(0, SHOWN - firing.length))];
  io.out(`${c.json ? jsonText(shown) : formatAlerts(shown)}\n`);
  return EXIT.ok;
}

/** A local time as people read it in a table: 2026-12-02 18:40:01. */
export function clock(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

function stateOf(a: Alert): string {
  if (a.resolvedAt !== undefined) return 'resolved';
  return a.acknowledgedAt !== undefined ? 'firing, acked' : 'firing';
}

/** Firing alerts first, then past ones; names and messages pass the output policy. */
export function formatAlerts(list: Alert[]): string {
  if (!list.length) return 'No alerts. (Rules are evaluated while the window or "fleetdeck serve" runs; see "fleetdeck alerts rules".)';
  const rows = list.map((a) =>
    [stateOf(a), clock(a.firedAt), a.resolvedAt !== undefined ? clock(a.resolvedAt) : '-', a.serviceName, a.ruleName, a.message].map(plainText),
  );
  return table(['STATE', 'FIRED', 'RESOLVED', 'SERVICE', 'RULE', 'MESSAGE'], rows);
}

export function formatRules(list: AlertRule[]): string {
  if (!list.length) return "No alert rules. Add one in the window's Alerts view.";
  const scope = (r: AlertRule) => [r.scope?.envId, r.scope?.serviceId].filter(Boolean).join(' ') || 'every service';
  const rows = list.map((r) => [r.id, r.name, r.enabled ? 'on' : 'off', scope(r), describeRule(r)].map(plainText));
  return table(['ID', 'NAME', 'ON', 'SCOPE', 'WHEN'], rows);
}
