/**
 * The JSON request lines bench:logs writes, as the samples' pino loggers write them: one
 * deterministic line per index (its request id, url, status and level follow from the index),
 * so a line's request id can be searched for without keeping the lines.
 */
import type { LogLevel } from '../../main/common/model';
import type { StoredLine } from '../../main/common/log-store-model';

/** murmur3's finaliser: a bijection on 32 bits, so distinct indices give distinct ids. */
export function mix32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x = (x ^ (x >>> 13)) >>> 0;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}
const hex = (n: number, w: number) => n.toString(16).padStart(8, '0').slice(-w);

/** A v4-looking UUID, unique per index (its first group is mix32 of the index). */
export function uuidOf(i: number): string {
  const a = mix32(i ^ 0x5bd1e995);
  const b = mix32(a + 1);
  const c = mix32(b + 2);
  const d = mix32(c + 3);
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 16, 3)}-${hex(0x8000 | (c & 0x3fff), 4)}-${hex(c >>> 16, 4)}${hex(d, 8)}`;
}

/** One line in 100,003 is an error carrying a rare word. */
export const RARE_WORD = 'deadlock';
export const RARE_EVERY = 100_003;
export const COMMON_WORD = 'completed';
export const PHRASE = 'request failed';

export interface Shape {
  level: LogLevel;
  text: string;
}

/** Line `i` of a host, at `t` (ms). 93% info "request completed", 5% warn "slow request", 2% error "request failed". */
export function lineOf(i: number, t: number, service: string, hostname: string): Shape {
  const h = mix32(i * 2654435761);
  const r = h % 100;
  const id = uuidOf(i);
  const n = (h >>> 8) % 100_000;
  const ms = ((h >>> 4) % 50_000) / 100;
  const base = `{"level":"LEVEL","time":"${new Date(t).toISOString()}","pid":1,"hostname":"${hostname}","service":"${service}","requestId":"${id}","method":"${r % 10 === 3 ? 'POST' : 'GET'}","url":"/orders/${n}","route":"/orders/:id"`;
  if (i % RARE_EVERY === RARE_EVERY - 1)
    return {
      level: 'error',
      text: `${base.replace('LEVEL', 'error')},"status":500,"durationMs":${ms},"msg":"${RARE_WORD} detected, transaction rolled back"}`,
    };
  if (r < 2)
    return {
      level: 'error',
      text: `${base.replace('LEVEL', 'error')},"status":${[500, 502, 503][h % 3]},"durationMs":${ms},"err":"ECONNRESET","msg":"${PHRASE}"}`,
    };
  if (r < 7) return { level: 'warn', text: `${base.replace('LEVEL', 'warn')},"status":200,"durationMs":${(1000 + ms).toFixed(2)},"msg":"slow request"}` };
  return {
    level: 'info',
    text: `${base.replace('LEVEL', 'info')},"status":${[200, 200, 200, 201, 204, 304, 404][h % 7]},"durationMs":${ms},"msg":"request ${COMMON_WORD}"}`,
  };
}

export const SOURCES = [
  { service: 'order-service', instance: 'order-service-1' },
  { service: 'order-service', instance: 'order-service-2' },
  { service: 'user-service', instance: 'user-service-1' },
  { service: 'user-service', instance: 'user-service-2' },
  { service: 'user-service', instance: 'user-service-3' },
].map((s, k) => ({
  ...s,
  env: 'docker:local',
  instanceId: mix32(k + 77)
    .toString(16)
    .padStart(8, '0')
    .repeat(8),
  hostname: mix32(k + 99)
    .toString(16)
    .padStart(12, '0'),
}));

/** Lines [from, from + n) of a store of `total` lines spread evenly over [t0, t0 + spanMs), in time order; line i from SOURCES[i % 5]. */
export function storedLines(from: number, n: number, total: number, t0: number, spanMs: number): StoredLine[] {
  const out: StoredLine[] = new Array<StoredLine>(n);
  const step = spanMs / total;
  for (let k = 0; k < n; k++) {
    const i = from + k;
    const s = SOURCES[i % SOURCES.length]!;
    const t = Math.floor(t0 + i * step);
    const l = lineOf(i, t, s.service, s.hostname);
    out[k] = { env: s.env, service: s.service, instance: s.instance, instanceId: s.instanceId, stream: 'stdout', t, level: l.level, text: l.text };
  }
  return out;
}

/**
 * The writer run in the container (plain JS: it runs in fleetdeck/node-base, not through tsx).
 * Prints one "ready" line, waits for the file GO to appear (polled every 5 ms), then writes N
 * lines of the same kind as lineOf as fast as stdout takes them, in 64 KB writes, then exits
 * (after KEEP seconds, when set).
 */
export const WRITER_JS = String.raw`
const fs = require('fs');
const N = Number(process.env.N), RUN = process.env.RUN, GO = process.env.GO, host = require('os').hostname();
const mix32 = (x) => { x = (x ^ (x >>> 16)) >>> 0; x = Math.imul(x, 0x85ebca6b) >>> 0; x = (x ^ (x >>> 13)) >>> 0; x = Math.imul(x, 0xc2b2ae35) >>> 0; return (x ^ (x >>> 16)) >>> 0; };
const hex = (n, w) => n.toString(16).padStart(8, '0').slice(-w);
const uuid = (i) => { const a = mix32(i ^ 0x5bd1e995), b = mix32(a + 1), c = mix32(b + 2), d = mix32(c + 3); return hex(a, 8) + '-' + hex(b, 4) + '-4' + hex(b >>> 16, 3) + '-' + hex(0x8000 | (c & 0x3fff), 4) + '-' + hex(c >>> 16, 4) + hex(d, 8); };
const put = (s) => { const b = Buffer.from(s); for (let o = 0; o < b.length; ) { try { o += fs.writeSync(1, b, o); } catch (e) { if (e.code !== 'EAGAIN') throw e; } } };
put('fleetdeck bench ready ' + RUN + '\n');
const go = () => {
  let out = '', ms = 0, iso = '';
  for (let i = 0; i < N; i++) {
    const now = Date.now();
    if (now !== ms) { ms = now; iso = new Date(now).toISOString(); }
    const h = mix32(i * 2654435761), r = h % 100, n = (h >>> 8) % 100000, d = ((h >>> 4) % 50000) / 100;
    const lv = r < 2 ? 'error' : r < 7 ? 'warn' : 'info';
    const tail = r < 2 ? ',"status":' + [500, 502, 503][h % 3] + ',"durationMs":' + d + ',"err":"ECONNRESET","msg":"request failed"}'
      : r < 7 ? ',"status":200,"durationMs":' + (1000 + d).toFixed(2) + ',"msg":"slow request"}'
      : ',"status":' + [200, 200, 200, 201, 204, 304, 404][h % 7] + ',"durationMs":' + d + ',"msg":"request completed"}';
    out += '{"level":"' + lv + '","time":"' + iso + '","pid":1,"hostname":"' + host + '","service":"order-service","requestId":"' + uuid(i) + '","method":"' + (r % 10 === 3 ? 'POST' : 'GET') + '","url":"/orders/' + n + '","route":"/orders/:id"' + tail + '\n';
    if (out.length > 65536) { put(out); out = ''; }
  }
  if (out) put(out);
};
// Then stays up (KEEP seconds) unless KEEP is 0: an instance that exits is no longer followed.
const keep = Number(process.env.KEEP || 0);
const wait = () => (fs.existsSync(GO) ? (go(), keep > 0 && setTimeout(() => {}, keep * 1000)) : setTimeout(wait, 5));
wait();
`;
