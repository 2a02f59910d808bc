import { useEffect, useState } from 'react';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import type { LogStoreStats } from '../../../../main/common/log-store-model';
import { api } from '../../api/instance';

type Scope = 'all' | 'opened' | 'none';

/** Which services of this environment keep their logs, what the store holds, and why it is not storing if it is not. */
export function KeepScope({ envId, envName }: { envId: string; envName: string }) {
  const [stats, setStats] = useState<(LogStoreStats & { scope?: Scope }) | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    const load = () =>
      api.call('logs.stats', {}).then(
        (s) => live && setStats({ ...s, scope: s.scopes.find((x) => x.envId === envId)?.scope }),
        (e: ApiErrorBody) => live && setError(formatError(e)),
      );
    void load();
    const t = setInterval(load, 10_000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [envId]);
  const change = (scope: Scope) => {
    setStats((s) => (s ? { ...s, scope } : s));
    api.call('logs.setScope', { envId, scope }).catch((e: ApiErrorBody) => setError(formatError(e)));
  };
  return (
    <div className="keep-scope">
      <label>
        Keep the logs of{' '}
        <select aria-label={`Keep the logs of ${envName}`} value={stats?.scope ?? ''} onChange={(e) => change(e.target.value as Scope)} disabled={!stats}>
          <option value="all">every service</option>
          <option value="opened">the services opened</option>
          <option value="none">no service</option>
        </select>{' '}
        of {envName}
      </label>
      {stats ? (
        <span className="muted">
          {' '}
          · {stats.lines.toLocaleString()} lines stored, {(stats.bytes / 1e6).toFixed(1)} MB
        </span>
      ) : null}
      {stats?.problem ? (
        <p role="alert" className="error-inline">
          {stats.problem}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="error-inline">
          {error}
        </p>
      ) : null}
    </div>
  );
}
