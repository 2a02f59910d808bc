import { useState } from 'react';
import { api } from '../../api/instance';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import { useEnvironments } from '../../store/environments';
import { useServices } from '../../store/services';
import { StatusDot } from '../environments/StatusDot';
import { PrometheusSettings } from '../environments/PrometheusSettings';
import { ServicesView } from '../services/ServicesView';
import { ConfirmDialog } from '../shell/ConfirmDialog';

/** The main area for the selected environment. */
export function EnvironmentView() {
  const env = useEnvironments((s) => s.environments.find((e) => e.id === s.selectedId) ?? s.environments[0]);
  const loaded = useEnvironments((s) => s.loaded);
  // What we last knew of an engine stays on screen, greyed, while it is away.
  const known = useServices((s) => s.envId === env?.id && s.services.length > 0);
  if (!loaded) {
    return (
      <section className="main-view" aria-busy="true">
        <p role="status" className="empty-lead">
          <span className="spinner" aria-hidden="true" /> Connecting to the Fleetdeck engine…
        </p>
      </section>
    );
  }
  if (!env) return null;
  return (
    <section className="main-view" aria-labelledby="env-title">
      <header className="view-header">
        <h1 id="env-title">{env.name}</h1>
        <StatusDot state={env.state} />
        <span className="mono muted">{env.endpoint}</span>
        {env.capabilities.removable ? <RemoveEngine id={env.id} name={env.name} /> : null}
        <PrometheusSettings env={env} />
      </header>
      {known || env.state === 'connected' ? (
        <>
          {env.state === 'unreachable' ? <Unreachable id={env.id} kind={env.kind} problem={env.problem} compact /> : null}
          <div className={env.state === 'connected' ? undefined : 'stale'} aria-label={env.state === 'connected' ? undefined : 'Last known state'}>
            <ServicesView env={env} />
          </div>
        </>
      ) : env.state === 'unreachable' ? (
        <Unreachable id={env.id} kind={env.kind} problem={env.problem} />
      ) : (
        <div className="empty" role="status">
          <span className="spinner" aria-hidden="true" /> Connecting to {env.name}…
        </div>
      )}
    </section>
  );
}

function Unreachable({ id, kind, problem, compact }: { id: string; kind: 'docker' | 'kubernetes'; problem: string | undefined; compact?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody | undefined>();
  const retry = () => {
    setBusy(true);
    setError(undefined);
    api
      .call('environments.reconnect', { id })
      .catch((e: ApiErrorBody) => setError(e))
      .finally(() => setBusy(false));
  };
  return (
    <div className={compact ? 'empty compact' : 'empty'} role="alert">
      <h2>{kind === 'docker' ? 'Docker is not reachable' : 'The cluster is not reachable'}</h2>
      <p>
        {problem}
        {compact ? ' Below is the last known state.' : ''}
      </p>
      {kind === 'docker' && !compact ? (
        <ul className="howto">
          <li>Docker Desktop or Podman Desktop: start the app.</li>
          <li>
            Linux: <code>sudo systemctl start docker</code> (or run <code>dockerd</code>).
          </li>
          <li>
            Another engine: set <code>DOCKER_HOST</code> (for example <code>unix:///run/user/1000/podman/podman.sock</code>) and restart Fleetdeck.
          </li>
        </ul>
      ) : null}
      <button type="button" onClick={retry} disabled={busy}>
        {busy ? 'Retrying…' : 'Retry now'}
      </button>
      {error ? <p className="error">{formatError(error)}</p> : null}
    </div>
  );
}

function RemoveEngine({ id, name }: { id: string; name: string }) {
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<ApiErrorBody | undefined>();
  const select = useEnvironments((s) => s.select);
  return (
    <>
      <button type="button" className="ghost" onClick={() => setConfirm(true)}>
        Remove engine
      </button>
      {error ? <span className="error">{formatError(error)}</span> : null}
      {confirm ? (
        <ConfirmDialog
          title={`Remove ${name} from Fleetdeck?`}
          confirmLabel="Remove engine"
          onCancel={() => setConfirm(false)}
          onConfirm={() => {
            setConfirm(false);
            api.call('environments.remove', { id }).then(
              () => select('docker:local'),
              (e: ApiErrorBody) => setError(e),
            );
          }}
        >
          Fleetdeck forgets this engine. Nothing on the engine itself changes.
        </ConfirmDialog>
      ) : null}
    </>
  );
}
