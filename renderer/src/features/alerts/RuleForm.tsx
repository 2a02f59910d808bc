import { useId, useState } from 'react';
import { ALERT_KIND_LABELS, ALERT_RULE_KINDS, type AlertRuleKind } from '../../../../main/common/alerts-model';
import { useEnvironments } from '../../store/environments';
import { saveRule, useAlerts } from '../../store/alerts';
import { errorsOfRefusal, KIND_FIELDS, newRuleId, ruleOf, type DraftField, type FieldErrors, type RuleDraft } from './rule-draft';

const LABELS: Partial<Record<DraftField, string>> = {
  count: 'More than (times)',
  minutes: 'Within (minutes)',
  seconds: 'For more than (seconds)',
  perSecond: '5xx per second above',
  p95Ms: 'p95 above (ms)',
  query: 'Log search',
};
const HINTS: Partial<Record<DraftField, string>> = {
  query: 'As in the Logs search: words, "phrases", field:value, -word, /regex/.',
  serviceId: 'A service name (web) or id (docker:local/shop/web); empty for every service.',
};

/** Adds or edits one rule. Problems show at their field; the values typed stay until saved or cancelled. */
export function RuleForm({ initial, isNew, onDone }: { initial: RuleDraft; isNew: boolean; onDone(): void }) {
  const [d, setD] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const environments = useEnvironments((s) => s.environments);
  const rules = useAlerts((s) => s.rules);
  const base = useId();
  const title = isNew ? 'New alert rule' : `Edit rule ${initial.name}`;

  const set = <K extends keyof RuleDraft>(k: K, v: RuleDraft[K]) => {
    setD((prev) => ({ ...prev, [k]: v }));
    if (errors[k as DraftField]) setErrors((e) => ({ ...e, [k]: undefined }));
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const id = d.id || newRuleId(d.name);
    const checked = ruleOf(d, id);
    if ('errors' in checked) return setErrors(checked.errors);
    if (isNew && rules?.some((r) => r.id === id)) return setErrors({ form: 'A rule with that id exists already; try again.' });
    setSaving(true);
    const refused = await saveRule(checked.rule);
    setSaving(false);
    if (refused) setErrors(errorsOfRefusal(refused.hint ? `${refused.message} ${refused.hint}` : refused.message));
    else onDone();
  };

  const field = (f: DraftField, input: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => React.ReactNode) => {
    const id = `${base}-${f}`;
    const described = [errors[f] ? `${id}-error` : '', HINTS[f] ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
    return (
      <div className="alert-field" key={f}>
        <label htmlFor={id}>{f === 'name' ? 'Name' : f === 'kind' ? 'When' : f === 'envId' ? 'Environment' : f === 'serviceId' ? 'Service' : LABELS[f]}</label>
        {input({ id, 'aria-invalid': Boolean(errors[f]), 'aria-describedby': described })}
        {HINTS[f] ? (
          <span id={`${id}-hint`} className="muted alert-hint">
            {HINTS[f]}
          </span>
        ) : null}
        {errors[f] ? (
          <span id={`${id}-error`} className="error-inline alert-field-error">
            {errors[f]}
          </span>
        ) : null}
      </div>
    );
  };

  return (
    <form className="alert-rule-form" aria-label={title} onSubmit={(e) => void submit(e)} noValidate>
      <h3>{title}</h3>
      {field('name', (p) => (
        <input type="text" {...p} value={d.name} onChange={(e) => set('name', e.target.value)} />
      ))}
      {field('kind', (p) => (
        <select {...p} value={d.kind} onChange={(e) => set('kind', e.target.value as AlertRuleKind)}>
          {ALERT_RULE_KINDS.map((k) => (
            <option key={k} value={k}>
              {ALERT_KIND_LABELS[k]}
            </option>
          ))}
        </select>
      ))}
      {KIND_FIELDS[d.kind].map((f) =>
        field(f, (p) =>
          f === 'query' ? (
            <input type="text" className="mono" {...p} value={d.query} onChange={(e) => set('query', e.target.value)} />
          ) : (
            <input type="text" inputMode="decimal" className="mono" {...p} value={d[f] as string} onChange={(e) => set(f, e.target.value)} />
          ),
        ),
      )}
      {field('envId', (p) => (
        <select {...p} value={d.envId} onChange={(e) => set('envId', e.target.value)}>
          <option value="">Every environment</option>
          {environments.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
          {d.envId && !environments.some((e) => e.id === d.envId) ? <option value={d.envId}>{d.envId}</option> : null}
        </select>
      ))}
      {field('serviceId', (p) => (
        <input type="text" {...p} value={d.serviceId} onChange={(e) => set('serviceId', e.target.value)} />
      ))}
      <label className="check">
        <input type="checkbox" checked={d.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Enabled
      </label>
      {errors.form ? (
        <p className="error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <div className="alert-form-actions">
        <button type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save rule'}
        </button>
        <button type="button" className="secondary" onClick={onDone} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
