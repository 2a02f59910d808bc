// Lines as the sample services write them (pino JSON, ~250 bytes), with ids, urls and statuses that vary.
import type { StoredLine } from '../../../../main/core/logstore/types';

export const T0 = Date.UTC(2026, 11, 2, 12, 0, 0);

function uuid(i: number): string {
  // Deterministic but as incompressible as a random v4 uuid.
  let x = (i + 1) * 2654435761;
  const hex = (n: number): string => {
    let s = '';
    for (let k = 0; k < n; k++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      s += (x >>> 16).toString(16).slice(-1);
    }
    return s;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
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
