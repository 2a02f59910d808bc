/**
 * The alerts fired, newest first, bounded (ALERT_HISTORY_LIMIT) and kept in the state folder
 * (alerts-history.json, written whole and atomically) so they outlive a restart and the CLI can
 * read what the window or serve saw.
 */
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { ALERT_HISTORY_LIMIT, ALERT_RULE_KINDS, ALERTS_WATCH_LIMIT, type Alert, type AlertsEvent } from '../../common/alerts-model';
import { readJson, writeJsonAtomic } from '../env/json-store';

/** Writes are gathered: a burst of alerts (an engine coming back) is one write. */
const SAVE_DELAY_MS = 500;

const storedAlert = z.object({
  id: z.string().min(1).max(100),
  ruleId: z.string().max(64),
  ruleName: z.string().max(200),
  kind: z.enum(ALERT_RULE_KINDS),
  envId: z.string().max(300),
  serviceId: z.string().max(600),
  serviceName: z.string().max(600),
  firedAt: z.number(),
  resolvedAt: z.number().optional(),
  acknowledgedAt: z.number().optional(),
  message: z.string().max(2000),
});

/** What is in the file: entries that do not parse (a hand edit, an older version) are left out. */
export function readHistoryFile(file: string): Alert[] {
  const raw = readJson(file) as { alerts?: unknown } | undefined;
  const list = Array.isArray(raw?.alerts) ? raw.alerts : [];
  const out: Alert[] = [];
  for (const a of list) {
    const p = storedAlert.safeParse(a);
    if (p.success) out.push(p.data as Alert);
  }
  return out.sort((a, b) => b.firedAt - a.firedAt).slice(0, ALERT_HISTORY_LIMIT);
}

export interface AlertHistoryEvents {
  change: [];
}

export class AlertHistory extends EventEmitter<AlertHistoryEvents> {
  private alerts: Alert[];
  private timer: NodeJS.Timeout | undefined;

  /** `writable`: false in the CLI, which reads the file each time (another process writes it). */
  constructor(
    private readonly file: string,
    private readonly writable: boolean,
  ) {
    super();
    this.setMaxListeners(0);
    this.alerts = readHistoryFile(file);
  }

  /** Newest first. */
  all(): readonly Alert[] {
    if (!this.writable) this.alerts = readHistoryFile(this.file);
    return this.alerts;
  }

  firing(): Alert[] {
    return this.all().filter((a) => a.resolvedAt === undefined);
  }

  list(limit: number): Alert[] {
    return this.all().slice(0, limit);
  }

  /** Every firing alert, then the most recent past ones, as alerts.watch sends them. */
  event(evaluating: boolean): AlertsEvent {
    const all = this.all();
    const firing = all.filter((a) => a.resolvedAt === undefined);
    const past = all.filter((a) => a.resolvedAt !== undefined).slice(0, Math.max(0, ALERTS_WATCH_LIMIT - firing.length));
    return {
      alerts: [...firing, ...past],
      firing: firing.length,
      unacknowledged: firing.filter((a) => a.acknowledgedAt === undefined).length,
      evaluating,
    };
  }

  add(alert: Alert): void {
    this.alerts = [alert, ...this.alerts];
    if (this.alerts.length > ALERT_HISTORY_LIMIT) {
      // Past alerts go first; firing ones only when there are more than the limit of them.
      const firing = this.alerts.filter((a) => a.resolvedAt === undefined);
      const keep = new Set([...firing.slice(0, ALERT_HISTORY_LIMIT), ...this.alerts.filter((a) => a.resolvedAt !== undefined)].slice(0, ALERT_HISTORY_LIMIT));
      this.alerts = this.alerts.filter((a) => keep.has(a));
    }
    this.changed();
  }

  resolve(id: string, t: number): void {
    this.update(id, (a) => (a.resolvedAt === undefined ? { ...a, resolvedAt: t } : a));
  }

  /** Acknowledged once: a second acknowledge keeps the first time. False when there is no such alert. */
  acknowledge(id: string, t: number): Alert | undefined {
    this.update(id, (a) => (a.acknowledgedAt === undefined ? { ...a, acknowledgedAt: t } : a));
    return this.alerts.find((a) => a.id === id);
  }

  /** Writes now what is pending (on stop). */
  flush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.save();
  }

  private update(id: string, fn: (a: Alert) => Alert): void {
    let changed = false;
    this.alerts = this.alerts.map((a) => {
      if (a.id !== id) return a;
      const next = fn(a);
      changed = next !== a;
      return next;
    });
    if (changed) this.changed();
  }

  private changed(): void {
    if (this.writable) this.timer ??= setTimeout(() => ((this.timer = undefined), this.save()), SAVE_DELAY_MS);
    this.emit('change');
  }

  private save(): void {
    try {
      writeJsonAtomic(this.file, { version: 1, alerts: this.alerts });
    } catch {
      // A full disk loses only the file's copy: the alerts stay in memory and the next change tries again.
    }
  }
}
