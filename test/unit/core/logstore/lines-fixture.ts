// Lines as the sample services write them (pino JSON, ~250 bytes), with ids, urls and statuses that vary.
import type { StoredLine } from '../../../../main/core/logstore/types';

export const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);

function uuid(i: number): string {
  // Deterministic, distinct for every i, and as incompressible as a random v4 uuid.
  let h = Math.imul(i + 1, 0x9e3779b9);
  const hex = (): string => {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    return (h >>> 0).toString(16).padStart(8, '0');
  };
  const a = hex() + hex() + hex() + hex();
  return `${a.slice(0, 8)}-${a.slice(8, 12)}-4${a.slice(13, 16)}-a${a.slice(17, 20)}-${a.slice(20, 32)}`;
}

export function requestId(i: number): string {
  return uuid(i);
}

/** Line i of a stream of lines 10 ms apart over 3 services of 2 instances each. */
export function jsonLine(i: number, env = 'local', t = T0 + i * 10): StoredLine {
  const service = ['order-service', 'payment-service', 'catalog-service'][i % 3]!;
  const replica = (i >> 2) % 2;
  const status = i % 97 === 0 ? 500 : i % 13 === 0 ? 404 : 200;
  const level = status === 500 ? 'error' : status === 404 ? 'warn' : 'info';
  const text = JSON.stringify({
    level,
    time: new Date(t).toISOString(),
    pid: 1,
    hostname: '3f2a9c1b7d4e',
    service,
    requestId: uuid(i),
    method: i % 5 === 0 ? 'POST' : 'GET',
    url: `/orders/${(i * 7919) % 100_000}`,
    route: '/orders/:id',
    status,
    durationMs: ((i * 37) % 10_000) / 100,
    msg: status === 500 ? 'request failed: connection refused' : 'request completed',
  });
  return {
    env,
    service,
    instance: `${service}-${replica + 1}`,
    instanceId: `${service}-${replica}-id`,
    stream: status === 500 ? 'stderr' : 'stdout',
    t,
    level,
    text,
  };
}
