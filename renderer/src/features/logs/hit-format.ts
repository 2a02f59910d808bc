import { noColours, plainText } from '../../../../main/common/output-policy';

/** A stored line as a page shows it: colours dropped, every control character visible, never acted on. */
export function displayText(text: string): string {
  return plainText(noColours(text));
}

const REQUEST_ID_KEYS = ['requestId', 'reqId', 'request_id', 'requestID', 'x-request-id'];

/** The request id of a JSON line, where it has one (the samples pass X-Request-Id along). */
export function requestIdOf(text: string): string | undefined {
  const t = text.trimStart();
  if (!t.startsWith('{') || !/req/i.test(t)) return undefined;
  try {
    const j = JSON.parse(t) as Record<string, unknown>;
    for (const k of REQUEST_ID_KEYS) {
      const v = j[k];
      // Decoded from what a container wrote: shown (and put in a query) only as plain text.
      if (typeof v === 'string' && v.length > 0 && v.length <= 200) return plainText(v);
    }
  } catch {
    /* not JSON after all */
  }
  return undefined;
}

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

/** 12:03:04.567, with the date when it is not today. */
export function timeLabel(t: number): string {
  const d = new Date(t);
  const time = `${d.toLocaleTimeString(undefined, { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
  return sameDay(d, new Date()) ? time : `${d.toLocaleDateString()} ${time}`;
}
