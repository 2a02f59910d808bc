/** `--since`/`--until` values as docker and kubectl take them: a duration ago, or a point in time. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** ms since epoch, or undefined when `value` is neither a duration (`10m`, `1h30m`) nor a time (ISO 8601, RFC 3339). */
export function parseTime(value: string, now: number): number | undefined {
  const v = value.trim();
  if (/^(\d+(ms|s|m|h|d))+$/.test(v)) {
    let ms = 0;
    for (const [, n, unit] of v.matchAll(/(\d+)(ms|s|m|h|d)/g)) ms += Number(n) * UNIT_MS[unit!]!;
    return now - ms;
  }
  // A date and time only (a bare number is ambiguous: seconds or ms?); Date.parse reads the rest.
  if (!/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}
