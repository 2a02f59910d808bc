import { useEffect, useId, useRef, useState } from 'react';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import type { Environment } from '../../../../main/common/model';
import { api } from '../../api/instance';

/**
 * Names the Prometheus an environment reads history and request figures from (docs/prometheus.md):
 * a URL, or for Kubernetes a service reached through the API server. The engine asks it once before
 * saving, so what is wrong shows at the field and nothing changes.
 */
export function PrometheusSettings({ env }: { env: Environment }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const current = env.prometheus;
  return (
    <>
      <button type="button" className="ghost" onClick={() => setOpen(true)} aria-describedby={current ? `${id}-where` : undefined}>
        Prometheus…
      </button>
      {current ? (
        <span id={`${id}-where`} className="mono muted">
          {current.url ?? `service ${current.service?.namespace}/${current.service?.name}:${current.service?.port}`}
        </span>
      ) : null}
      {open ? <PrometheusDialog env={env} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function PrometheusDialog({ env, onClose }: { env: Environment; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const kube = env.kind === 'kubernetes';
  const current = env.prometheus;
  const [via, setVia] = useState<'url' | 'service'>(current?.service ? 'service' : 'url');
  const [url, setUrl] = useState(current?.url ?? '');
  const [ns, setNs] = useState(current?.service?.namespace ?? 'monitoring');
  const [name, setName] = useState(current?.service?.name ?? 'prometheus');
  const [port, setPort] = useState(String(current?.service?.port ?? '9090'));
  const [busy, setBusy] = useState<'save' | 'clear' | undefined>();
  const [error, setError] = useState<ApiErrorBody | undefined>();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const send = (which: 'save' | 'clear') => {
    setBusy(which);
    setError(undefined);
    const params =
      which === 'clear'
        ? { id: env.id }
        : via === 'service'
          ? { id: env.id, service: { namespace: ns.trim(), name: name.trim(), port: /^\d+$/.test(port.trim()) ? Number(port.trim()) : port.trim() } }
          : { id: env.id, url: url.trim() };
    api
      .call('environments.setPrometheus', params)
      .then(onClose)
      .catch((e: ApiErrorBody) => setError(e))
      .finally(() => setBusy(undefined));
  };
  const errorId = `${id}-error`;
  const invalid = error ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {};
  return (
    <dialog ref={ref} className="confirm" aria-labelledby={`${id}-title`} onCancel={onClose} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send('save');
        }}
        aria-busy={busy !== undefined}
      >
        <h2 id={`${id}-title`}>Prometheus for {env.name}</h2>
        <p className="side-note">
          Charts read history beyond what Fleetdeck keeps, and request rate, errors and p95 {kube ? 'of pods ' : ''}from it. Fleetdeck asks it once before
          saving.
        </p>
        {kube ? (
          <fieldset>
            <legend>Reach it</legend>
            <label>
              <input type="radio" name={`${id}-via`} checked={via === 'url'} onChange={() => setVia('url')} /> at a URL
            </label>
            <label>
              <input type="radio" name={`${id}-via`} checked={via === 'service'} onChange={() => setVia('service')} /> as a service, through the API server
            </label>
          </fieldset>
        ) : null}
        {via === 'url' ? (
          <label>
            URL
            <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://127.0.0.1:9090" required autoFocus {...invalid} />
          </label>
        ) : (
          <>
            <label>
              Namespace
              <input type="text" value={ns} onChange={(e) => setNs(e.target.value)} required {...invalid} />
            </label>
            <label>
              Service
              <input type="text" value={name} onChange={(e) => setName(e.target.value)} required {...invalid} />
            </label>
            <label>
              Port (number or name)
              <input type="text" value={port} onChange={(e) => setPort(e.target.value)} required {...invalid} />
            </label>
          </>
        )}
        {error ? (
          <p role="alert" id={errorId} className="error">
            {formatError(error)}
          </p>
        ) : null}
        {busy ? (
          <p role="status">
            <span className="spinner" aria-hidden="true" /> {busy === 'save' ? 'Asking Prometheus…' : 'Clearing…'}
          </p>
        ) : null}
        <div className="actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          {current ? (
            <button type="button" className="secondary" disabled={busy !== undefined} onClick={() => send('clear')}>
              Clear
            </button>
          ) : null}
          <button type="submit" disabled={busy !== undefined}>
            Save
          </button>
        </div>
      </form>
    </dialog>
  );
}
