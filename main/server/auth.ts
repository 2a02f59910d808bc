/** The serve mode's guards: a random token, and for browsers a same-origin check. */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Cookies ignore ports: each serve instance names its cookie by its port so two do not log each other out. */
export function tokenCookie(port: number): string {
  return `fleetdeck_token_${port}`;
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenMatches(given: string | undefined | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token from `?token=` or the cookie the first authenticated page load set. */
export function presentedToken(req: IncomingMessage, url: URL, cookieName: string): string | undefined {
  const q = url.searchParams.get('token');
  if (q) return q;
  const cookie = req.headers.cookie ?? '';
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== cookieName) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined; // a malformed cookie is no token, never a crash
    }
  }
  return undefined;
}

/**
 * A browser always sends Origin on a WebSocket: it must be this server's own.
 * Non-browser clients (the CLI, tests) send none and rely on the token alone.
 */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!host) return false;
  try {
    const o = new URL(origin);
    return (o.protocol === 'http:' || o.protocol === 'https:') && o.host === host;
  } catch {
    return false;
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
