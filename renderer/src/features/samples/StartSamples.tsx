import { useEffect, useRef, useState } from 'react';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import { api } from '../../api/instance';

/** The empty engine's offer: start the sample system (building its images first if needed). */
export function StartSamples() {
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'busy'; message: string } | { kind: 'failed'; error: ApiErrorBody }>({ kind: 'idle' });
  const stop = useRef<() => void>(undefined);
  useEffect(() => () => stop.current?.(), []);
  const start = () => {
    setState({ kind: 'busy', message: 'Starting…' });
    stop.current = api.subscribe(
      'samples.start',
      {},
      (e) => setState(e.done ? { kind: 'idle' } : { kind: 'busy', message: e.message }),
      (error) => setState(error ? { kind: 'failed', error } : { kind: 'idle' }),
      { once: true },
    );
  };
  return (
    <div>
      <button type="button" onClick={start} disabled={state.kind === 'busy'}>
        Start sample services
      </button>
      {state.kind === 'busy' ? (
        <p role="status" className="progress">
          <span className="spinner" aria-hidden="true" /> {state.message}
        </p>
      ) : null}
      {state.kind === 'failed' ? (
        <p role="alert" className="error">
          {formatError(state.error)}
        </p>
      ) : null}
    </div>
  );
}
