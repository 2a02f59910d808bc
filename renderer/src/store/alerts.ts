/**
 * Alerts, live (alerts.watch), and the rules, read again after every change. Bound while something
 * shows them (the sidebar's badge is always there, so in practice for the window's whole life).
 */
import { create } from 'zustand';
import type { AlertRule, AlertsEvent } from '../../../main/common/alerts-model';
import { ApiError, type ApiErrorBody } from '../../../main/common/errors';
import type { ApiClient } from '../api/client';

interface AlertsState {
  loaded: boolean;
  event: AlertsEvent | undefined;
  rules: AlertRule[] | undefined;
  /** Why the rules could not be read, or the last toggle or removal failed. */
  problem: string | undefined;
  /** Alerts being acknowledged, and rules being saved or removed. */
  pending: Record<string, true>;
}

export const useAlerts = create<AlertsState>()(() => ({ loaded: false, event: undefined, rules: undefined, problem: undefined, pending: {} }));

let client: ApiClient | undefined;
let bound = 0;
let unbind: (() => void) | undefined;

const bodyOf = (e: unknown): ApiErrorBody => (e instanceof ApiError ? e.toBody() : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) });

function loadRules(): void {
  client?.call('alerts.rules', {}).then(
    (rules) => useAlerts.setState({ rules, problem: undefined }),
    (e: unknown) => useAlerts.setState({ problem: `The rules could not be read: ${bodyOf(e).message}` }),
  );
}

/** Starts watching (once however many callers); returns the release. */
export function bindAlerts(api: ApiClient): () => void {
  if (bound++ === 0) {
    client = api;
    const stopWatch = api.subscribe('alerts.watch', {}, (event) => useAlerts.setState({ event, loaded: true }));
    const stopConn = api.onConnection((s) => s === 'open' && loadRules());
    loadRules();
    unbind = () => {
      stopWatch();
      stopConn();
    };
  }
  return () => {
    if (--bound === 0) {
      unbind?.();
      unbind = undefined;
    }
  };
}

function pending(key: string, on: boolean): void {
  useAlerts.setState((s) => {
    const next = { ...s.pending };
    if (on) next[key] = true;
    else delete next[key];
    return { pending: next };
  });
}

export async function acknowledge(id: string): Promise<ApiErrorBody | undefined> {
  if (!client) return { code: 'INTERNAL', message: 'Not connected to the Fleetdeck engine.' };
  pending(id, true);
  try {
    await client.call('alerts.ack', { id });
    return undefined;
  } catch (e) {
    return bodyOf(e);
  } finally {
    pending(id, false);
  }
}

/** Saves a rule (new or replacing its id); the engine's refusal is returned for the form to show. */
export async function saveRule(rule: AlertRule): Promise<ApiErrorBody | undefined> {
  if (!client) return { code: 'INTERNAL', message: 'Not connected to the Fleetdeck engine.' };
  pending(`rule:${rule.id}`, true);
  try {
    await client.call('alerts.setRule', { rule });
    loadRules();
    return undefined;
  } catch (e) {
    return bodyOf(e);
  } finally {
    pending(`rule:${rule.id}`, false);
  }
}

export async function removeRule(id: string): Promise<void> {
  if (!client) return;
  pending(`rule:${id}`, true);
  try {
    await client.call('alerts.removeRule', { id });
    loadRules();
  } catch (e) {
    useAlerts.setState({ problem: `The rule was not removed: ${bodyOf(e).message}` });
  } finally {
    pending(`rule:${id}`, false);
  }
}

/** Turns a rule on or off; a refusal is shown above the rules. */
export async function setEnabled(rule: AlertRule, enabled: boolean): Promise<void> {
  const problem = await saveRule({ ...rule, enabled });
  useAlerts.setState({ problem: problem ? `${rule.name} was not ${enabled ? 'enabled' : 'disabled'}: ${problem.message}` : undefined });
}
