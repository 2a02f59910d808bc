import { useEffect, useState } from 'react';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import type { Environment } from '../../../../main/common/model';
import { api } from '../../api/instance';

const KEY = 'fleetdeck.namespaces';

/** The namespaces chosen per context, remembered in this window (Headlamp #4119). */
function remembered(): Record<string, string[] | 'all'> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, string[] | 'all'>;
  } catch {
    return {};
  }
}
function remember(id: string, ns: string[] | 'all'): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...remembered(), [id]: ns }));
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

const shown = (ns: Environment['namespaces'], fallback?: string) => (ns === 'all' ? '' : (ns ?? (fallback ? [fallback] : [])).join(', '));

/** Under a selected Kubernetes context: which namespaces are watched (only those are asked of the cluster). */
export function NamespacePicker({ env }: { env: Environment }) {
  const [text, setText] = useState(shown(env.namespaces, env.namespace));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody | undefined>();

  const apply = (namespaces: string[] | 'all') => {
    setBusy(true);
    setError(undefined);
    api
      .call('environments.setNamespaces', { id: env.id, namespaces })
      .then((e) => {
        remember(env.id, namespaces);
        setText(shown(e.namespaces, e.namespace));
      })
      .catch((err: ApiErrorBody) => setError(err))
      .finally(() => setBusy(false));
  };

  // A remembered choice is applied once the context is there.
  useEffect(() => {
    const saved = remembered()[env.id];
    if (saved && JSON.stringify(saved) !== JSON.stringify(env.namespaces)) apply(saved);
  }, [env.id]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const list = text
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean);
    apply(list.length ? list : 'all');
  };
  return (
    <form className="ns-picker" onSubmit={submit} aria-label={`Namespaces of ${env.name}`}>
      <label>
        Namespaces
        <input
          type="text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="all namespaces"
          aria-describedby={`ns-help-${env.id}`}
          spellCheck={false}
        />
      </label>
      <p className="side-note" id={`ns-help-${env.id}`}>
        {env.namespaces === 'all' ? 'Watching every namespace.' : 'Comma-separated; empty for all.'}
      </p>
      {error ? (
        <p role="alert" className="error">
          {formatError(error)}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Switching…' : 'Show'}
        </button>
        <button type="button" className="ghost" disabled={busy || env.namespaces === 'all'} onClick={() => apply('all')}>
          All namespaces
        </button>
      </div>
    </form>
  );
}
