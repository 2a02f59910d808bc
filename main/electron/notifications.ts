/**
 * The desktop app's notifications: one per alert that fires while it runs (Electron's
 * Notification, from the main process, so they come whether or not the window is open). The
 * window itself stays quiet in the desktop app (renderer/src/features/alerts/desktop-notify.ts).
 */
import { Notification } from 'electron';
import { alertNotification, NOTIFY_AT_ONCE } from '../common/alerts-model';
import type { AlertEngine } from '../core/alerts/engine';

/** Starts notifying; `onClick` brings the window forward. Returns the stop. */
export function attachNotifications(alerts: Pick<AlertEngine, 'event' | 'on' | 'off'>, onClick: () => void): () => void {
  if (!Notification.isSupported()) return () => {};
  let seen = new Set(alerts.event().alerts.map((a) => a.id));
  const show = (title: string, body: string) => {
    const n = new Notification({ title, body });
    n.on('click', onClick);
    n.show();
  };
  const onChange = () => {
    const { alerts: list } = alerts.event();
    const fresh = list.filter((a) => a.resolvedAt === undefined && !seen.has(a.id));
    seen = new Set(list.map((a) => a.id));
    for (const a of fresh.slice(0, NOTIFY_AT_ONCE)) {
      const n = alertNotification(a);
      show(n.title, n.body);
    }
    if (fresh.length > NOTIFY_AT_ONCE) show('Fleetdeck', `${fresh.length - NOTIFY_AT_ONCE} more alerts fired. Open Alerts to see them.`);
  };
  alerts.on('change', onChange);
  return () => alerts.off('change', onChange);
}
