import { useState } from 'react';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import type { Instance, Service } from '../../../../main/common/model';
import { api } from '../../api/instance';
import { useEnvironment } from '../../store/environments';
import { Badge } from '../services/Badge';
import { age, instanceStatus } from '../services/format';
import { ConfirmDialog } from '../shell/ConfirmDialog';
import { useNow } from '../shell/useNow';

type Action = 'start' | 'stop' | 'restart' | 'remove';

export function InstancesTable({ service, onTerminal, onInspect }: { service: Service; onTerminal(i: Instance): void; onInspect?(i: Instance): void }) {
  const [busy, setBusy] = useState<Record<string, Action | undefined>>({});
  const [error, setError] = useState<{ name: string; error: ApiErrorBody } | undefined>();
  const [confirmRemove, setConfirmRemove] = useState<Instance | undefined>();
  const now = useNow(5_000);

  const act = async (i: Instance, action: Action) => {
    setBusy((b) => ({ ...b, [i.id]: action }));
    setError(undefined);
    try {
      await api.call('instances.action', { envId: service.envId, instance: i.id, action });
    } catch (e) {
      setError({ name: i.name, error: e as ApiErrorBody });
    } finally {
      setBusy((b) => ({ ...b, [i.id]: undefined }));
    }
  };

  // The image column earns its width only while instances differ (a rollout, a hand-started one).
  const mixed = service.instances.some((i) => i.image !== service.image);
  // Pods are known by their node and age (kubectl get pods -o wide); containers by the id docker ps shows.
  const onNodes = service.instances.some((i) => i.node);
  // The driver says what it offers: pods are restarted or removed (their controller replaces
  // them), never stopped or started by hand, and have no terminal until the driver has one.
  const caps = useEnvironment(service.envId)?.capabilities;
  const can = (a: Action) => caps?.instanceActions.includes(a) ?? false;
  if (service.instances.length === 0) {
    return <p className="muted pad">No instances. Scale up to start one.</p>;
  }
  return (
    <>
      <table className="grid" aria-label="Instances">
        <thead>
          <tr>
            <th scope="col">Name</th>
            {onNodes ? <th scope="col">Node</th> : <th scope="col">ID</th>}
            {mixed ? <th scope="col">Image</th> : null}
            <th scope="col">Status</th>
            <th scope="col">Uptime</th>
            {onNodes ? <th scope="col">Age</th> : null}
            <th scope="col">Ports</th>
            <th scope="col">Restarts</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {service.instances.map((i) => {
            const st = instanceStatus(i);
            const doing = busy[i.id];
            const running = i.state === 'running';
            return (
              <tr key={i.id} data-instance={i.name}>
                <th scope="row" className="mono">
                  {i.name}
                </th>
                {onNodes ? (
                  <td className="mono ellipsis narrow" title={i.node}>
                    {i.node ?? '–'}
                  </td>
                ) : (
                  <td className="mono">{i.shortId}</td>
                )}
                {mixed ? (
                  <td className="mono ellipsis narrow" title={i.image}>
                    {i.image}
                  </td>
                ) : null}
                <td>
                  <Badge tone={st.tone}>{st.word}</Badge>
                </td>
                <td className="mono num">{i.startedAt ? age(i.startedAt, now) : '–'}</td>
                {onNodes ? <td className="mono num">{age(i.createdAt, now)}</td> : null}
                <td className="mono">
                  {i.ports.filter((p) => p.hostPort).length === 0
                    ? '–'
                    : i.ports
                        .filter((p) => p.hostPort)
                        .map((p) => {
                          const host = !p.hostIp || p.hostIp === '0.0.0.0' || p.hostIp === '::' ? '127.0.0.1' : p.hostIp;
                          const url = `http://${host.includes(':') ? `[${host}]` : host}:${p.hostPort}/`;
                          return (
                            <a key={`${p.hostPort}`} href={url} target="_blank" rel="noreferrer" aria-label={`Open ${url} in the browser`}>
                              {p.hostPort}→{p.containerPort}
                            </a>
                          );
                        })}
                </td>
                <td className="mono num">{i.restartCount}</td>
                <td>
                  <div className="row-actions">
                    {doing ? (
                      <span role="status" className="progress">
                        <span className="spinner" aria-hidden="true" /> {doing}…
                      </span>
                    ) : null}
                    {caps?.terminal ? (
                      <button
                        type="button"
                        className="ghost"
                        disabled={!!doing || !running}
                        onClick={() => onTerminal(i)}
                        aria-label={`Open terminal in ${i.name}`}
                      >
                        Terminal
                      </button>
                    ) : null}
                    {caps?.inspect && onInspect ? (
                      <button type="button" className="ghost" onClick={() => onInspect(i)} aria-label={`Inspect ${i.name}`}>
                        Inspect
                      </button>
                    ) : null}
                    {can('restart') ? (
                      <button type="button" className="ghost" disabled={!!doing} onClick={() => void act(i, 'restart')} aria-label={`Restart ${i.name}`}>
                        Restart
                      </button>
                    ) : null}
                    {running && can('stop') ? (
                      <button type="button" className="ghost" disabled={!!doing} onClick={() => void act(i, 'stop')} aria-label={`Stop ${i.name}`}>
                        Stop
                      </button>
                    ) : !running && can('start') ? (
                      <button type="button" className="ghost" disabled={!!doing} onClick={() => void act(i, 'start')} aria-label={`Start ${i.name}`}>
                        Start
                      </button>
                    ) : null}
                    {can('remove') ? (
                      <button
                        type="button"
                        className="ghost danger-text"
                        disabled={!!doing}
                        onClick={() => setConfirmRemove(i)}
                        aria-label={`Remove ${i.name}`}
                      >
                        Remove
                      </button>
                    ) : null}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {error ? (
        <p className="error" role="alert">
          {error.name}: {formatError(error.error)}
        </p>
      ) : null}
      {confirmRemove ? (
        <ConfirmDialog
          title={`Remove ${confirmRemove.name}?`}
          confirmLabel="Remove"
          onCancel={() => setConfirmRemove(undefined)}
          onConfirm={() => {
            const i = confirmRemove;
            setConfirmRemove(undefined);
            void act(i, 'remove');
          }}
        >
          {!can('stop')
            ? 'The pod is deleted; its controller starts a new one to keep the replica count.'
            : 'The container is stopped and removed. Its service keeps running with the other instances.'}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
