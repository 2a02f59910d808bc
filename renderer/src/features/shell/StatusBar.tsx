import { useEffect, useState } from 'react';
import { api } from '../../api/instance';
import { useEnvironments } from '../../store/environments';
import { stateWord } from '../environments/StatusDot';

export function StatusBar() {
  const env = useEnvironments((s) => s.environments.find((e) => e.id === s.selectedId));
  const info = useEnvironments((s) => s.info);
  const connection = useEnvironments((s) => s.connection);
  const [eps, setEps] = useState<number | undefined>();
  const envId = env?.capabilities.activity ? env.id : undefined;
  useEffect(() => {
    setEps(undefined);
    if (!envId) return;
    return api.subscribe('environments.activity', { id: envId }, (a) => setEps(a.eventsPerSecond));
  }, [envId]);
  return (
    <footer className="statusbar" aria-label="Status">
      {env ? (
        <span>
          {env.name}: {stateWord(env.state)}
          {env.version ? (
            <>
              {' · '}
              {env.kind === 'docker' ? 'Engine' : 'Cluster'} <span className="mono">{env.version}</span>
            </>
          ) : null}
          {env.apiVersion && env.kind === 'docker' ? (
            <>
              {' · API '}
              <span className="mono">{env.apiVersion}</span>
            </>
          ) : null}
          {eps !== undefined && env.state === 'connected' ? (
            <>
              {' · '}
              <span className="mono">{eps}</span> events/s
            </>
          ) : null}
        </span>
      ) : (
        <span />
      )}
      <span className="muted">
        {connection === 'open' ? '' : 'Engine link: reconnecting · '}
        <span className="kbd">Ctrl+K</span> commands · {info ? `Fleetdeck ${info.version} (${info.mode})` : ''}
      </span>
    </footer>
  );
}
