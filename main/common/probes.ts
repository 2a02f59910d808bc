/**
 * Probe traffic: health checks, readiness checks and metrics scrapes (Kubernetes', Docker's, and
 * Fleetdeck's own scrape of /metrics). Their request log lines fill a log view and their requests
 * skew request figures, so views leave them out by default and say so.
 */
const PROBE_PATH = /^\/(?:health(?:check|z)?|livez|readyz?|metrics|ping)(?:[/?#]|$)/i;

/** Whether a request path (with or without a query) is a probe's. */
export function isProbePath(path: string): boolean {
  return PROBE_PATH.test(path);
}

const URL_FIELD = /"(?:url|route|path|uri|req\.url)"\s*:\s*"([^"]{1,300})"/;
const PLAIN_REQUEST = /\b(?:GET|HEAD)\s+(\/\S{0,300})/;

/** Whether a log line is a request log line of a probe (JSON `url`/`route`/`path`, or `GET /health` in plain text). */
export function isProbeLine(text: string): boolean {
  if (!/health|ready|metrics|livez|ping/i.test(text)) return false; // most lines: one cheap test
  const m = URL_FIELD.exec(text) ?? PLAIN_REQUEST.exec(text);
  return m ? isProbePath(m[1]!) : false;
}
