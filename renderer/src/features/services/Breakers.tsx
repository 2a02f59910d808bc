import type { Service } from '../../../../main/common/model';
import { breakerStateWord } from '../../../../main/common/degraded';
import { Badge } from './Badge';
import type { Tone } from './format';

const TONE = { closed: 'ok', open: 'warn', half_open: 'info' } as const satisfies Record<string, Tone>;

/** Why the service is Degraded, and each circuit breaker's state on each instance (from `circuit_breaker_state`). */
export function ServiceHealthDetail({ service }: { service: Service }) {
  const breakers = service.breakers ?? [];
  if (!service.degraded && breakers.length === 0) return null;
  return (
    <div className="service-health" style={{ display: 'grid', gap: 6 }}>
      {service.degraded ? (
        <p className="service-degraded" role="status" style={{ margin: 0 }}>
          <Badge tone="warn">Degraded</Badge> <span>{service.degraded.reason}</span>
        </p>
      ) : null}
      {breakers.length ? (
        <table className="grid breakers" aria-label="Circuit breakers" style={{ width: 'auto' }}>
          <thead>
            <tr>
              <th scope="col">Breaker</th>
              <th scope="col">Instance</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {breakers.map((b) => (
              <tr key={`${b.breaker}\u0000${b.instance}`}>
                <th scope="row" className="mono">
                  {b.breaker}
                </th>
                <td className="mono">{b.instance}</td>
                <td>
                  <Badge tone={TONE[b.state]}>{breakerStateWord(b.state)}</Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
