/**
 * Route ids, the way Flask's `<int:id>` converter reads them: one or more ASCII
 * digits, any size. Ids are kept as decimal strings (BigInt-checked), never as
 * JS numbers, so an id beyond 2^53 is answered exactly instead of rounded.
 */

/** Longest id answered; longer ids get a 400 rather than a huge echo. */
export const MAX_ID_DIGITS = 100;

export type ParsedId = { kind: 'ok'; id: bigint; text: string } | { kind: 'not-an-int' } | { kind: 'too-long' };

export function parseId(raw: string): ParsedId {
  if (!/^[0-9]+$/.test(raw)) return { kind: 'not-an-int' };
  if (raw.length > MAX_ID_DIGITS) return { kind: 'too-long' };
  const id = BigInt(raw);
  return { kind: 'ok', id, text: id.toString() };
}

/**
 * JSON.stringify that writes bigint values as exact JSON numbers.
 * (JSON.rawJSON would do, but Node 20 — the default base image — lacks it.)
 */
export function toJson(value: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    marks.push(v.toString());
    return `\u0000big${marks.length - 1}\u0000`;
  });
  return text.replace(/"\\u0000big(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)] ?? 'null');
}
