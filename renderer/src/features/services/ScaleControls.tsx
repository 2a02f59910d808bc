import { useEffect, useState } from 'react';
import { replicaCount } from '../../../../main/common/api';
import { formatError } from '../../../../main/common/errors';
import type { Service } from '../../../../main/common/model';
import { plainText } from '../../../../main/common/output-policy';
import { api } from '../../api/instance';
import { runServiceAction, useServices } from '../../store/services';
import { ConfirmDialog } from '../shell/ConfirmDialog';

/** Scale down, Replicas + Apply, Scale up, and the running/desired count: the service's main control. */
export function ScaleControls({ service }: { service: Service }) {
  const pending = useServices((s) => s.pending[service.id]);
  const error = useServices((s) => s.errors[service.id]);
  const [value, setValue] = useState(String(service.desired));
  const [inputError, setInputError] = useState<string | undefined>();
  const [confirmZero, setConfirmZero] = useState(false);
  const busy = Boolean(pending || service.operation);

  // Follow the engine's count unless the user is typing a new one.
  useEffect(() => {
    if (document.activeElement?.id !== `replicas-${service.id}`) setValue(String(service.desired));
  }, [service.desired, service.id]);

  const scale = (replicas: number) => {
    if (replicas === 0 && service.desired > 0 && !confirmZero) {
      setConfirmZero(true);
      return;
    }
    setConfirmZero(false);
    setValue(String(replicas));
    void runServiceAction(service.id, `Scaling to ${replicas}…`, () => api.call('services.scale', { serviceId: service.id, replicas }));
  };

  const apply = () => {
    const text = value.trim();
    const n = text === '' ? NaN : Number(text);
    const parsed = replicaCount.safeParse(n);
    if (!/^-?\d+(\.\d+)?$/.test(text) || !parsed.success) {
      setInputError(!/^-?\d+(\.\d+)?$/.test(text) ? `“${text}” is not a number of replicas.` : (parsed.error?.issues[0]?.message ?? 'Invalid replica count.'));
      return;
    }
    setInputError(undefined);
    scale(parsed.data);
  };

  const status = service.operation?.message ?? pending;
  return (
    <div className="scale" role="group" aria-label="Scale">
      <button type="button" className="secondary" onClick={() => scale(service.desired - 1)} disabled={busy || !service.scalable || service.desired === 0}>
        Scale down
      </button>
      <label className="replicas">
        <span>Replicas</span>
        <input
          id={`replicas-${service.id}`}
          type="text"
          inputMode="numeric"
          value={value}
          aria-invalid={inputError ? true : undefined}
          aria-describedby={inputError ? `replicas-error-${service.id}` : undefined}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && apply()}
          disabled={!service.scalable}
        />
      </label>
      <button type="button" className="secondary" onClick={apply} disabled={busy || !service.scalable}>
        Apply
      </button>
      <button type="button" className="secondary" onClick={() => scale(service.desired + 1)} disabled={busy || !service.scalable}>
        Scale up
      </button>
      <span className="mono count" aria-label={`${service.running} running of ${service.desired} desired`} data-testid="replica-count">
        {service.running}/{service.desired}
      </span>
      {status ? (
        <span className="progress" role="status">
          <span className="spinner" aria-hidden="true" /> {status}
        </span>
      ) : null}
      {inputError ? (
        <p className="error" role="alert" id={`replicas-error-${service.id}`}>
          {inputError} Enter a whole number from 0 up.
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {formatError(error)}
        </p>
      ) : null}
      {!service.scalable && service.group === 'standalone' ? (
        <p className="muted note">A standalone container cannot be scaled: give it a dev.fleetdeck.service label, or run it with Compose.</p>
      ) : null}
      {confirmZero ? (
        <ConfirmDialog
          title={`Scale ${plainText(service.name)} to 0?`}
          confirmLabel="Scale to 0"
          onConfirm={() => scale(0)}
          onCancel={() => setConfirmZero(false)}
        >
          All {service.instances.length} instances will be stopped and removed. Fleetdeck keeps the spec, so you can scale it up again.
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
