/**
 * The alert rules, kept in the state folder (alerts.json, written whole and atomically). On first
 * start the defaults are written there, so a user sees and edits them like any other rule.
 */
import { alertRuleSchema, DEFAULT_ALERT_RULES, type AlertRule } from '../../common/alerts-model';
import { ApiError } from '../../common/errors';
import { summarize } from '../../common/protocol';
import { readJson, writeJsonAtomic } from '../env/json-store';

/** More rules than anyone reads; each is evaluated for every service every second. */
export const MAX_ALERT_RULES = 100;

export class AlertRules {
  private rules: AlertRule[];
  /** Rules in the file that did not validate (a hand edit): kept out, and said why. */
  readonly skipped: string[] = [];

  constructor(
    private readonly file: string,
    private readonly writable: boolean,
  ) {
    const raw = readJson(file) as { rules?: unknown } | undefined;
    if (!raw || !Array.isArray(raw.rules)) {
      this.rules = DEFAULT_ALERT_RULES.map((r) => ({ ...r }));
      try {
        if (writable) this.save();
      } catch {
        // The defaults hold in memory; the first rule saved says why the folder cannot be written.
      }
      return;
    }
    this.rules = [];
    for (const r of raw.rules.slice(0, MAX_ALERT_RULES)) {
      const p = alertRuleSchema.safeParse(r);
      if (p.success && !this.rules.some((x) => x.id === p.data.id)) this.rules.push(p.data);
      else if (!p.success) this.skipped.push(summarize(p.error));
    }
  }

  list(): AlertRule[] {
    return this.rules;
  }

  /**
   * Adds the rule, or replaces the one with its id. The rule is validated again here (the API's
   * params already were): nothing is changed and nothing written unless it is valid.
   */
  set(input: unknown): AlertRule {
    const p = alertRuleSchema.safeParse(input);
    if (!p.success) throw new ApiError('INVALID_PARAMS', `The rule was not saved: ${summarize(p.error)}.`, 'Correct it and save again.');
    const rule = p.data;
    const at = this.rules.findIndex((r) => r.id === rule.id);
    if (at < 0 && this.rules.length >= MAX_ALERT_RULES) {
      throw new ApiError('LIMIT', `There are already ${MAX_ALERT_RULES} alert rules; the rule was not added.`, 'Remove a rule you no longer need first.');
    }
    if (this.rules.some((r, i) => i !== at && r.name.toLowerCase() === rule.name.toLowerCase())) {
      throw new ApiError('CONFLICT', `name: another rule is already called "${rule.name}"; the rule was not saved.`, 'Give it another name.');
    }
    const next = at < 0 ? [...this.rules, rule] : this.rules.map((r, i) => (i === at ? rule : r));
    this.commit(next);
    return rule;
  }

  remove(id: string): void {
    if (!this.rules.some((r) => r.id === id)) throw new ApiError('NOT_FOUND', `There is no alert rule "${id}".`, 'The rules list shows which there are.');
    this.commit(this.rules.filter((r) => r.id !== id));
  }

  /** Written first, kept after: a rule that cannot be stored is not in effect either. */
  private commit(next: AlertRule[]): void {
    if (!this.writable) throw new ApiError('CONFLICT', 'Alert rules are edited in the window or through "fleetdeck serve", not here.');
    const before = this.rules;
    this.rules = next;
    try {
      this.save();
    } catch (e) {
      this.rules = before;
      throw new ApiError('INTERNAL', `The rules could not be written to ${this.file}: ${(e as Error).message}.`, 'Check the disk and try again.');
    }
  }

  private save(): void {
    writeJsonAtomic(this.file, { version: 1, rules: this.rules }, { pretty: true });
  }
}
