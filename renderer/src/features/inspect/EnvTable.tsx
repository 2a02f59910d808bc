import { useState } from 'react';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import type { InspectEnvVar } from '../../../../main/common/model';
import { api } from '../../api/instance';

const MASK = '••••••';

type Shown = { kind: 'asking' } | { kind: 'shown'; value: string } | { kind: 'failed'; message: string };

/** Environment variables; a kept-back value is asked for (instances.revealEnv) only when the user presses Show. */
export function EnvTable({ envId, instance, env }: { envId: string; instance: string; env: InspectEnvVar[] }) {
  const [shown, setShown] = useState<Record<string, Shown | undefined>>({});
  const reveal = async (name: string) => {
    setShown((s) => ({ ...s, [name]: { kind: 'asking' } }));
    try {
      const { value } = await api.call('instances.revealEnv', { envId, instance, name });
      setShown((s) => ({ ...s, [name]: { kind: 'shown', value } }));
    } catch (e) {
      setShown((s) => ({ ...s, [name]: { kind: 'failed', message: formatError(e as ApiErrorBody) } }));
    }
  };
  const hide = (name: string) => setShown((s) => ({ ...s, [name]: undefined }));
  if (env.length === 0) return <p className="muted">No environment variables.</p>;
  return (
    <table className="grid inspect-kv" aria-label="Environment variables">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {env.map((e) => {
          const s = shown[e.name];
          return (
            <tr key={e.name} data-env={e.name}>
              <th scope="row" className="mono">
                {e.name}
              </th>
              <td className="mono inspect-value">
                {e.from ? <span className="muted">from {e.from} </span> : null}
                {e.secret ? (
                  s?.kind === 'shown' ? (
                    <>
                      <span className="revealed">{s.value}</span>{' '}
                      <button type="button" className="ghost" onClick={() => hide(e.name)} aria-label={`Hide value of ${e.name}`}>
                        Hide
                      </button>
                    </>
                  ) : (
                    <>
                      <span aria-label="hidden value">{MASK}</span>{' '}
                      <button
                        type="button"
                        className="ghost"
                        disabled={s?.kind === 'asking'}
                        onClick={() => void reveal(e.name)}
                        aria-label={`Show value of ${e.name}`}
                      >
                        {s?.kind === 'asking' ? 'Showing…' : 'Show'}
                      </button>
                      {s?.kind === 'failed' ? (
                        <span className="error-inline" role="alert">
                          {' '}
                          {s.message}
                        </span>
                      ) : null}
                    </>
                  )
                ) : e.from ? null : (
                  e.value
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
