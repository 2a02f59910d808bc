import { useState } from 'react';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import { api } from '../../api/instance';
import { useEnvironments } from '../../store/environments';

/** Adds another Docker engine (a remote one over TCP/TLS or SSH, Podman, Colima) as an environment. */
export function AddEngine() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [host, setHost] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiErrorBody | undefined>();
  const select = useEnvironments((s) => s.select);

  if (!open) {
    return (
      <button type="button" className="ghost add-engine" onClick={() => setOpen(true)}>
        Add Docker engine
      </button>
    );
  }
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    api
      .call('environments.addDocker', { name, host })
      .then((env) => {
        setOpen(false);
        setName('');
        setHost('');
        select(env.id);
      })
      .catch((err: ApiErrorBody) => setError(err))
      .finally(() => setBusy(false));
  };
  return (
    <form className="add-engine-form" onSubmit={submit} aria-label="Add Docker engine">
      <label>
        Name
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="Build box" required />
      </label>
      <label>
        Address
        <input type="text" value={host} onChange={(e) => setHost(e.target.value)} placeholder="ssh://me@build-box" required />
      </label>
      <p className="side-note">unix:///path/docker.sock, tcp://host:2376 (TLS from DOCKER_CERT_PATH) or ssh://user@host.</p>
      {error ? (
        <p role="alert" className="error">
          {formatError(error)}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add'}
        </button>
        <button type="button" className="ghost" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
