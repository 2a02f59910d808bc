/**
 * Prometheus's HTTP API answers (/api/v1/query, /api/v1/query_range), read defensively: what a
 * server sends is checked for shape, label values pass the output policy, and a value that is not
 * a finite number (NaN where a histogram had no requests) is left out.
 */
import { plainText } from '../../common/output-policy';

export interface Series {
  labels: Record<string, string>;
  /** [ms since epoch, value], time order. */
  samples: [number, number][];
}

export type QueryAnswer = { ok: true; series: Series[] } | { ok: false; errorType: string; error: string };

const MAX_SERIES = 20_000;
const MAX_LABEL = 300;

function num(v: unknown): number | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function sample(pair: unknown): [number, number] | undefined {
  if (!Array.isArray(pair) || pair.length !== 2) return undefined;
  const t = num(pair[0]);
  const v = num(pair[1]);
  return t === undefined || v === undefined ? undefined : [Math.round(t * 1000), v];
}

function labelsOf(metric: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!metric || typeof metric !== 'object') return out;
  for (const [k, v] of Object.entries(metric as Record<string, unknown>)) {
    if (typeof v === 'string' && /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)) out[k] = plainText(v).slice(0, MAX_LABEL);
  }
  return out;
}

/** A parsed body; throws a TypeError when it is not Prometheus's envelope at all. */
export function parseQueryAnswer(body: unknown): QueryAnswer {
  if (!body || typeof body !== 'object') throw new TypeError('the answer is not a JSON object');
  const b = body as { status?: unknown; data?: unknown; errorType?: unknown; error?: unknown };
  if (b.status === 'error') {
    return { ok: false, errorType: plainText(String(b.errorType ?? 'error')).slice(0, 60), error: plainText(String(b.error ?? '')).slice(0, 500) };
  }
  if (b.status !== 'success' || !b.data || typeof b.data !== 'object') throw new TypeError('the answer has no "status": "success" and "data"');
  const data = b.data as { resultType?: unknown; result?: unknown };
  if (!Array.isArray(data.result)) throw new TypeError('the answer has no result list');
  const series: Series[] = [];
  if (data.resultType === 'scalar') {
    const s = sample(data.result);
    return { ok: true, series: s ? [{ labels: {}, samples: [s] }] : [] };
  }
  if (data.resultType !== 'matrix' && data.resultType !== 'vector')
    throw new TypeError(`unexpected result type ${plainText(String(data.resultType)).slice(0, 30)}`);
  for (const r of data.result.slice(0, MAX_SERIES)) {
    if (!r || typeof r !== 'object') continue;
    const row = r as { metric?: unknown; value?: unknown; values?: unknown };
    const samples: [number, number][] = [];
    if (data.resultType === 'vector') {
      const s = sample(row.value);
      if (s) samples.push(s);
    } else if (Array.isArray(row.values)) {
      for (const p of row.values) {
        const s = sample(p);
        if (s) samples.push(s);
      }
    }
    series.push({ labels: labelsOf(row.metric), samples });
  }
  return { ok: true, series };
}

/** One value of an instant answer without grouping (the first series' value), if any. */
export function scalarOf(series: Series[]): number | undefined {
  return series[0]?.samples[0]?.[1];
}

/** Per value of `label`, the instant value (per-pod figures). */
export function byLabel(series: Series[], label: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of series) {
    const k = s.labels[label];
    const v = s.samples[0]?.[1];
    if (k !== undefined && v !== undefined) out.set(k, v);
  }
  return out;
}
