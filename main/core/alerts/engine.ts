/**
 * Alerts in the core: the rules (rules-store.ts), what fired (history.ts), and, where this
 * process evaluates (the window and serve; not the CLI, which reads what they stored), the
 * evaluator fed by the metrics recorder's events, the drivers' service lists once a second and
 * the log store's counts for logMatch rules.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Alert, AlertRule, AlertsEvent } from '../../common/alerts-model';
import { ApiError } from '../../common/errors';
import type { MetricMarker } from '../../common/metrics-model';
import type { MetricPoint, Service } from '../../common/model';
import type { EnvironmentDriver } from '../env/driver';
import { errorFields } from '../log';
import type { LogStore } from '../logstore/types';
import type { MetricsRecorder } from '../metricstore/recorder';
import { AlertEvaluator } from './evaluator';
import { AlertHistory } from './history';
import { countLogMatches, LOG_MATCH_EVERY_MS } from './log-counts';
import { AlertRules } from './rules-store';

const EVALUATE_EVERY_MS = 1_000;

export interface AlertSources {
  environments: { all(): readonly EnvironmentDriver[] };
  metrics: Pick<MetricsRecorder, 'on' | 'off'>;
  logStore: Pick<LogStore, 'search'>;
}

export interface AlertEngineEvents {
  change: [];
}

export class AlertEngine extends EventEmitter<AlertEngineEvents> {
  readonly history: AlertHistory;
  private readonly store: AlertRules;
  private readonly evaluator: AlertEvaluator;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly lastLogRun = new Map<string, number>();
  private logQuery: Promise<void> | undefined;
  private readonly onPoint = (_envId: string, serviceId: string, p: MetricPoint) => this.evaluator.onPoint(serviceId, p);
  private readonly onMarker = (_envId: string, serviceId: string, m: MetricMarker) => this.evaluator.onMarker(serviceId, m);
  private readonly onHistory = () => this.emit('change');

  /** `evaluate`: false in the CLI (it reads the files the window or serve writes). */
  constructor(
    stateDir: string,
    private readonly sources: AlertSources,
    readonly evaluating: boolean,
    private readonly log?: Logger,
  ) {
    super();
    this.setMaxListeners(0);
    this.store = new AlertRules(join(stateDir, 'alerts.json'), evaluating);
    this.history = new AlertHistory(join(stateDir, 'alerts-history.json'), evaluating);
    this.evaluator = new AlertEvaluator(this.history, Date.now());
    for (const why of this.store.skipped) this.log?.warn({ why }, 'alert rule in alerts.json left out');
    this.history.on('change', this.onHistory);
  }

  start(): void {
    if (!this.evaluating || this.running) return;
    this.running = true;
    this.sources.metrics.on('point', this.onPoint);
    this.sources.metrics.on('marker', this.onMarker);
    this.timer = setInterval(() => this.tick(), EVALUATE_EVERY_MS);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.running) {
      this.running = false;
      clearInterval(this.timer);
      this.sources.metrics.off('point', this.onPoint);
      this.sources.metrics.off('marker', this.onMarker);
    }
    this.history.flush();
  }

  rules(): AlertRule[] {
    return this.store.list();
  }

  setRule(input: unknown): AlertRule {
    const rule = this.store.set(input);
    // A changed search is counted again at the next pass; the old search's counts no longer stand.
    this.lastLogRun.delete(rule.id);
    this.evaluator.setLogCounts(rule.id, []);
    this.emit('change');
    return rule;
  }

  removeRule(id: string): void {
    this.store.remove(id);
    this.evaluator.setLogCounts(id, []);
    this.emit('change');
  }

  list(limit: number): Alert[] {
    return this.history.list(limit);
  }

  acknowledge(id: string): Alert {
    if (!this.evaluating) throw new ApiError('CONFLICT', 'Alerts are acknowledged in the window or through "fleetdeck serve", not here.');
    const a = this.history.acknowledge(id, Date.now());
    if (!a) throw new ApiError('NOT_FOUND', 'There is no such alert (it may have been forgotten: the last 500 are kept).');
    return a;
  }

  event(): AlertsEvent {
    return this.history.event(this.evaluating);
  }

  /** One evaluation now (the timer's, and tests'). */
  tick(now = Date.now()): void {
    const services: Service[] = [];
    const connected = new Set<string>();
    for (const d of this.sources.environments.all()) {
      if (d.state !== 'connected') continue;
      try {
        services.push(...d.services.list());
        connected.add(d.id);
      } catch {
        // not listed yet: its alerts wait, as for an environment away
      }
    }
    this.evaluator.evaluate(this.store.list(), services, connected, now);
    this.runLogMatches(now);
  }

  /** Starts the search of the logMatch rule due longest ago, if one is due and none is running. */
  private runLogMatches(now: number): void {
    if (this.logQuery) return;
    const due = this.store
      .list()
      .filter((r): r is Extract<AlertRule, { kind: 'logMatch' }> => r.kind === 'logMatch' && r.enabled)
      .filter((r) => now - (this.lastLogRun.get(r.id) ?? 0) >= LOG_MATCH_EVERY_MS)
      .sort((a, b) => (this.lastLogRun.get(a.id) ?? 0) - (this.lastLogRun.get(b.id) ?? 0))[0];
    if (!due) return;
    this.lastLogRun.set(due.id, now);
    this.logQuery = countLogMatches(this.sources.logStore, due, now)
      .then(
        (counts) => this.evaluator.setLogCounts(due.id, counts),
        (e: unknown) => this.log?.warn({ ...errorFields(e), rule: due.id }, 'alert log search failed'),
      )
      .finally(() => (this.logQuery = undefined));
  }
}
