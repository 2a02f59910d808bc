import { useEffect } from 'react';
import { api } from '../../api/instance';
import { bindAlerts, useAlerts } from '../../store/alerts';
import { startDesktopNotifications } from './desktop-notify';
import './alerts.css';

/**
 * The sidebar's count of firing alerts nobody acknowledged. It is always on screen, so it also
 * keeps the alerts watched and the desktop notifications going while other views are shown.
 */
export function AlertsBadge() {
  useEffect(() => {
    const release = bindAlerts(api);
    const stop = startDesktopNotifications();
    return () => {
      stop();
      release();
    };
  }, []);
  const count = useAlerts((s) => s.event?.unacknowledged ?? 0);
  if (!count) return null;
  return (
    <span className="alerts-count" data-testid="alerts-count">
      {count}
      <span className="sr-only"> firing {count === 1 ? 'alert' : 'alerts'} not acknowledged</span>
    </span>
  );
}
