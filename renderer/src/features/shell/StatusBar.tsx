import { useEnvironments } from '../../store/environments';
import { stateWord } from '../environments/StatusDot';

export function StatusBar() {
  const env = useEnvironments((s) => s.environments.find((e) => e.id === s.selectedId));
  const info = useEnvironments((s) => s.info);
  const connection = useEnvironments((s) => s.connection);
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
