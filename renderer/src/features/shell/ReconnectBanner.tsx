import { useEnvironments } from '../../store/environments';

/** When the pipe drops, the view greys out but keeps its last state, and says so. */
export function ReconnectBanner() {
  const connection = useEnvironments((s) => s.connection);
  const loaded = useEnvironments((s) => s.loaded);
  if (connection === 'open' || !loaded) return null;
  return (
    <div className="banner" role="status">
      <span className="spinner" aria-hidden="true" /> Reconnecting to the Fleetdeck engine… What you see is the last known state. If the engine was restarted in
      serve mode, open the new URL it printed.
    </div>
  );
}
