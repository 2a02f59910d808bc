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
 * The names a page of this server may be reached by. A DNS-rebinding page (`evil.example`
 * resolving to 127.0.0.1) sends its own name in Host and Origin, so both are compared with
 * this list, never with each other. With `--allow-remote` the server is meant to be reached
 * by names it cannot know, and the token is the guard.
 */
export interface HostPolicy {
  port: number;
  /** The address serve was bound to (`127.0.0.1`, `::1`, `0.0.0.0`…). */
  boundHost: string;
  allowRemote: boolean;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** `host:port` as a Host header or URL host may spell it, lower-cased, IPv6 in brackets. */
function allowedHostsOf(p: HostPolicy): Set<string> {
  const bound = p.boundHost.includes(':') && !p.boundHost.startsWith('[') ? `[${p.boundHost}]` : p.boundHost;
  const names = [...LOOPBACK_NAMES, bound.toLowerCase()];
  const out = new Set<string>();
  for (const n of names) {
    out.add(`${n}:${p.port}`);
    if (p.port === 80) out.add(n);
  }
  return out;
}

function isLoopbackHostPort(hostPort: string, port: number): boolean {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!m) return false;
  return isLoopback(m[1]!) && Number(m[2] ?? 80) === port;
}

/** Whether a request's Host header names this server. */
export function hostAllowed(host: string | undefined, p: HostPolicy): boolean {
  if (p.allowRemote) return true;
  if (!host) return false;
  const h = host.trim().toLowerCase();
  return allowedHostsOf(p).has(h) || isLoopbackHostPort(h, p.port);
}

/**
 * A browser always sends Origin on a WebSocket: it must be a page of this server, by a name
 * this server answers to. Non-browser clients (the CLI, tests) send none and rely on the token.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, p: HostPolicy): boolean {
  if (origin === undefined) return true;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (o.protocol !== 'http:' && o.protocol !== 'https:') return false;
  if (p.allowRemote) return !!host && o.host === host.trim().toLowerCase();
  return hostAllowed(o.host, p);
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
