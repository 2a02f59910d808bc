/**
 * A rule as the form holds it (every field as typed, so nothing is lost on an error) and back:
 * validated with the engine's own schema, its problems keyed by field so each shows at its input.
 */
import { alertRuleSchema, type AlertRule, type AlertRuleKind } from '../../../../main/common/alerts-model';

export interface RuleDraft {
  /** Empty for a new rule: one is made from the name on saving. */
  id: string;
  name: string;
  kind: AlertRuleKind;
  enabled: boolean;
  count: string;
  minutes: string;
  seconds: string;
  perSecond: string;
  p95Ms: string;
  query: string;
  envId: string;
  serviceId: string;
}

export type DraftField = Exclude<keyof RuleDraft, 'id'>;
export type FieldErrors = Partial<Record<DraftField | 'form', string>>;

/** The fields each kind has, in the order the form shows them. */
export const KIND_FIELDS: Record<AlertRuleKind, DraftField[]> = {
  restarts: ['count', 'minutes'],
  unhealthy: ['seconds'],
  errorRate: ['perSecond'],
  latency: ['p95Ms'],
  breakerOpen: [],
  logMatch: ['query', 'count', 'minutes'],
};

export const EMPTY_DRAFT: RuleDraft = {
  id: '',
  name: '',
  kind: 'restarts',
  enabled: true,
  count: '3',
  minutes: '5',
  seconds: '60',
  perSecond: '1',
  p95Ms: '1000',
  query: '',
  envId: '',
  serviceId: '',
};

export function draftOf(r: AlertRule): RuleDraft {
  const d: RuleDraft = {
    ...EMPTY_DRAFT,
    id: r.id,
    name: r.name,
    kind: r.kind,
    enabled: r.enabled,
    envId: r.scope?.envId ?? '',
    serviceId: r.scope?.serviceId ?? '',
  };
  if ('count' in r) d.count = String(r.count);
  if ('minutes' in r) d.minutes = String(r.minutes);
  if ('seconds' in r) d.seconds = String(r.seconds);
  if ('perSecond' in r) d.perSecond = String(r.perSecond);
  if ('p95Ms' in r) d.p95Ms = String(r.p95Ms);
  if ('query' in r) d.query = r.query;
  return d;
}

/** An id for a new rule: its name in lower case and dashes, and a few random letters so two never clash. */
export function newRuleId(name: string, random = Math.random): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `${slug || 'rule'}-${random().toString(36).slice(2, 7)}`;
}

/** A typed number: "" and words stay NaN, so the schema says the field must be a number. */
const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s.trim()));

/** The rule the draft describes, or what is wrong with it, per field. */
export function ruleOf(d: RuleDraft, id: string): { rule: AlertRule } | { errors: FieldErrors } {
  const candidate: Record<string, unknown> = { id, name: d.name, kind: d.kind, enabled: d.enabled };
  for (const f of KIND_FIELDS[d.kind]) candidate[f] = f === 'query' ? d.query : num(d[f] as string);
  const scope = { ...(d.envId.trim() ? { envId: d.envId.trim() } : {}), ...(d.serviceId.trim() ? { serviceId: d.serviceId.trim() } : {}) };
  if (Object.keys(scope).length) candidate.scope = scope;
  const p = alertRuleSchema.safeParse(candidate);
  if (p.success) return { rule: p.data };
  const errors: FieldErrors = {};
  for (const issue of p.error.issues) {
    const [first, second] = issue.path;
    const field = (first === 'scope' ? second : first) as DraftField | undefined;
    const key = field && field in EMPTY_DRAFT ? field : 'form';
    errors[key] ??= issue.message;
  }
  return { errors };
}

/**
 * The engine's refusal, put at its field where it names one ("Invalid parameters for
 * alerts.setRule: rule.count: …", "name: another rule is already called …"), else for the form.
 */
export function errorsOfRefusal(message: string): FieldErrors {
  const m = /(?:^|: )(?:rule\.)?(?:scope\.)?([A-Za-z0-9]+): (.*)$/.exec(message);
  if (m && m[1]! in EMPTY_DRAFT && m[1] !== 'id') return { [m[1] as DraftField]: m[2]!.replace(/\.$/, '') + '.' };
  return { form: message };
}
