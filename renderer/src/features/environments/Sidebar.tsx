import { useEnvironments } from '../../store/environments';
import { AlertsBadge } from '../alerts/AlertsBadge';
import { useTheme } from '../settings/theme';
import { AddEngine } from './AddEngine';
import { NamespacePicker } from './NamespacePicker';
import { StatusDot } from './StatusDot';

export function Sidebar() {
  const envs = useEnvironments((s) => s.environments);
  const loaded = useEnvironments((s) => s.loaded);
  const selectedId = useEnvironments((s) => s.selectedId);
  const select = useEnvironments((s) => s.select);
  const info = useEnvironments((s) => s.info);
  const view = useEnvironments((s) => s.view);
  const show = useEnvironments((s) => s.show);
  const docker = envs.filter((e) => e.kind === 'docker');
  const kube = envs.filter((e) => e.kind === 'kubernetes');

  const item = (e: (typeof envs)[number]) => (
    <li key={e.id}>
      <button
        type="button"
        className="env-item"
        aria-current={view === 'environment' && e.id === selectedId ? 'page' : undefined}
        aria-label={`${e.name}, ${e.state}${e.version ? `, version ${e.version}` : ''}`}
        onClick={() => select(e.id)}
      >
        <span className="env-name">{e.name}</span>
        {e.namespaces === 'all' ? (
          <span className="env-ns mono">all namespaces</span>
        ) : e.namespaces?.length || e.namespace ? (
          <span className="env-ns mono">ns {(e.namespaces ?? [e.namespace]).join(', ')}</span>
        ) : null}
        <span className="env-meta">
          <StatusDot state={e.state} />
          {e.version ? <span className="mono env-version">{e.version}</span> : null}
        </span>
      </button>
      {e.id === selectedId && e.capabilities.namespaces ? <NamespacePicker key={e.id} env={e} /> : null}
    </li>
  );

  return (
    <nav className="sidebar" aria-label="Environments">
      <div className="brand">
        <img src="./icon.svg" alt="" width={20} height={20} />
        <span>Fleetdeck</span>
      </div>
      <ul className="env-list side-views">
        <li>
          <button type="button" className="env-item" aria-current={view === 'overview' ? 'page' : undefined} onClick={() => show('overview')}>
            <span className="env-name">Overview</span>
          </button>
        </li>
        <li>
          <button type="button" className="env-item" aria-current={view === 'alerts' ? 'page' : undefined} onClick={() => show('alerts')}>
            <span className="env-name">Alerts</span>
            <AlertsBadge />
          </button>
        </li>
      </ul>
      <h2 className="side-heading">Docker</h2>
      {loaded ? (
        <ul className="env-list">{docker.map(item)}</ul>
      ) : (
        <p className="side-note" role="status">
          Loading…
        </p>
      )}
      {loaded ? <AddEngine /> : null}
      <h2 className="side-heading">Kubernetes</h2>
      {kube.length ? (
        <ul className="env-list">{kube.map(item)}</ul>
      ) : loaded ? (
        <p className="side-note">
          No kubeconfig contexts. Looked in <span className="mono">{info?.kubeconfigPaths.join(', ') ?? '~/.kube/config'}</span>; set KUBECONFIG to use another
          file.
        </p>
      ) : null}
      <div className="side-footer">
        <ThemeButton />
      </div>
    </nav>
  );
}

function ThemeButton() {
  const theme = useTheme((s) => s.theme);
  const cycle = useTheme((s) => s.cycle);
  const label = theme === 'system' ? 'System' : theme === 'light' ? 'Light' : 'Dark';
  return (
    <button type="button" className="ghost" onClick={cycle} aria-label={`Theme: ${label}. Switch theme`}>
      Theme: {label}
    </button>
  );
}
