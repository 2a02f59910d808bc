import { useEffect, useState } from 'react';
import { describeRule, type Alert, type AlertRule } from '../../../../main/common/alerts-model';
import { api } from '../../api/instance';
import { acknowledge, bindAlerts, removeRule, setEnabled, useAlerts } from '../../store/alerts';
import { ConfirmDialog } from '../shell/ConfirmDialog';
import { Badge } from '../services/Badge';
import { askPermission, useNotifyState } from './desktop-notify';
import { draftOf, EMPTY_DRAFT } from './rule-draft';
import { RuleForm } from './RuleForm';
import './alerts.css';

/** A time as a table shows it: the clock today, the date before it otherwise. */
function when(t: number, now = Date.now()): string {
  const d = new Date(t);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay ? d.toLocaleTimeString() : `${d.toLocaleDateString()} ${d.toLocaleTimeString()}`;
}

/** Alert rules, what fired and when, and acknowledging it. */
export function AlertsView() {
  useEffect(() => bindAlerts(api), []);
  const loaded = useAlerts((s) => s.loaded);
  const event = useAlerts((s) => s.event);

  return (
    <section className="main-view alerts-view" aria-labelledby="alerts-title">
      <header className="view-header">
        <h1 id="alerts-title">Alerts</h1>
        <NotifyControl />
      </header>
      {!loaded ? (
        <p role="status" className="empty-lead">
          <span className="spinner" aria-hidden="true" /> Reading the alerts…
        </p>
      ) : (
        <>
          <p className="alerts-summary" data-testid="alerts-summary">
            {event?.firing
              ? `${event.firing} firing${event.unacknowledged ? `, ${event.unacknowledged} not acknowledged` : ', all acknowledged'}.`
              : 'Nothing is firing.'}
          </p>
          {event && !event.evaluating ? (
            <p className="muted">This process does not evaluate rules: what is shown was stored by the window or “fleetdeck serve”.</p>
          ) : null}
          <AlertList alerts={event?.alerts ?? []} />
        </>
      )}
      <RulesSection />
    </section>
  );
}

function NotifyControl() {
  const state = useNotifyState();
  if (state === 'desktop-app') return <span className="muted">Desktop notifications come from Fleetdeck itself.</span>;
  if (state === 'unsupported') return <span className="muted">This browser cannot show desktop notifications.</span>;
  if (state === 'granted') return <span className="muted">Desktop notifications are on for new alerts.</span>;
  if (state === 'denied') return <span className="muted">Desktop notifications are blocked for this page; allow them in the browser’s site settings.</span>;
  return (
    <button type="button" className="secondary" onClick={() => void askPermission()}>
      Enable desktop notifications
    </button>
  );
}

function AlertList({ alerts }: { alerts: Alert[] }) {
  const pending = useAlerts((s) => s.pending);
  const [problem, setProblem] = useState<string | undefined>();
  if (!alerts.length) return <p className="muted pad">No alert has fired yet. Rules below say what would fire one.</p>;
  const ack = async (a: Alert) => {
    const refused = await acknowledge(a.id);
    setProblem(refused ? `Not acknowledged: ${refused.message}` : undefined);
  };
  return (
    <>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
      <table className="grid alerts-grid" aria-label="Alerts">
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">Fired</th>
            <th scope="col">Service</th>
            <th scope="col">Rule</th>
            <th scope="col">What happened</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => {
            const firing = a.resolvedAt === undefined;
            return (
              <tr key={a.id} data-alert={a.id} className={firing && a.acknowledgedAt === undefined ? 'alert-unacked' : undefined}>
                <td>
                  {firing ? (
                    <Badge tone={a.acknowledgedAt === undefined ? 'bad' : 'warn'}>{a.acknowledgedAt === undefined ? 'Firing' : 'Firing, acknowledged'}</Badge>
                  ) : (
                    <Badge tone="ok" reason={`resolved at ${when(a.resolvedAt!)}`}>
                      Resolved
                    </Badge>
                  )}
                </td>
                <td className="mono" title={new Date(a.firedAt).toISOString()}>
                  {when(a.firedAt)}
                </td>
                <th scope="row" className="svc-name" title={a.serviceId}>
                  {a.serviceName}
                </th>
                <td>{a.ruleName}</td>
                <td className="alert-message">{a.message}</td>
                <td>
                  <div className="row-actions">
                    {a.acknowledgedAt === undefined ? (
                      <button
                        type="button"
                        className="secondary"
                        disabled={pending[a.id]}
                        onClick={() => void ack(a)}
                        aria-label={`Acknowledge ${a.ruleName} on ${a.serviceName}`}
                      >
                        {pending[a.id] ? 'Acknowledging…' : 'Acknowledge'}
                      </button>
                    ) : (
                      <span className="muted">Acknowledged {when(a.acknowledgedAt)}</span>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

function RulesSection() {
  const rules = useAlerts((s) => s.rules);
  const problem = useAlerts((s) => s.problem);
  const pending = useAlerts((s) => s.pending);
  /** The rule being edited (its id), 'new' while adding one, else nothing. */
  const [editing, setEditing] = useState<string | undefined>();
  const [removing, setRemoving] = useState<AlertRule | undefined>();

  const scope = (r: AlertRule) => [r.scope?.envId, r.scope?.serviceId].filter(Boolean).join(', ') || 'Every service';
  return (
    <section className="alert-rules" aria-labelledby="alert-rules-title">
      <div className="alert-rules-head">
        <h2 id="alert-rules-title">Rules</h2>
        {editing !== 'new' ? (
          <button type="button" onClick={() => setEditing('new')}>
            Add rule
          </button>
        ) : null}
      </div>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
      {editing === 'new' ? <RuleForm initial={EMPTY_DRAFT} isNew onDone={() => setEditing(undefined)} /> : null}
      {!rules ? (
        <p role="status" className="empty-lead">
          <span className="spinner" aria-hidden="true" /> Reading the rules…
        </p>
      ) : !rules.length ? (
        <p className="muted pad">No rules: nothing will fire. Add one.</p>
      ) : (
        <table className="grid alert-rules-grid" aria-label="Alert rules">
          <thead>
            <tr>
              <th scope="col">On</th>
              <th scope="col">Name</th>
              <th scope="col">Fires when</th>
              <th scope="col">Scope</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) =>
              editing === r.id ? (
                <tr key={r.id}>
                  <td colSpan={5}>
                    <RuleForm initial={draftOf(r)} isNew={false} onDone={() => setEditing(undefined)} />
                  </td>
                </tr>
              ) : (
                <tr key={r.id} data-rule={r.id}>
                  <td>
                    <input
                      type="checkbox"
                      checked={r.enabled}
                      disabled={pending[`rule:${r.id}`]}
                      onChange={(e) => void setEnabled(r, e.target.checked)}
                      aria-label={`Enabled: ${r.name}`}
                    />
                  </td>
                  <th scope="row">{r.name}</th>
                  <td>{describeRule(r)}</td>
                  <td className="muted">{scope(r)}</td>
                  <td>
                    <div className="row-actions">
                      <button type="button" className="ghost" onClick={() => setEditing(r.id)} aria-label={`Edit ${r.name}`}>
                        Edit
                      </button>
                      <button type="button" className="ghost danger-text" onClick={() => setRemoving(r)} aria-label={`Remove ${r.name}`}>
                        Remove
                      </button>
                    </div>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      {removing ? (
        <ConfirmDialog
          title={`Remove the rule ${removing.name}?`}
          confirmLabel="Remove rule"
          onCancel={() => setRemoving(undefined)}
          onConfirm={() => {
            const r = removing;
            setRemoving(undefined);
            if (editing === r.id) setEditing(undefined);
            void removeRule(r.id);
          }}
        >
          <p>Alerts it has firing are resolved; the history keeps them.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
