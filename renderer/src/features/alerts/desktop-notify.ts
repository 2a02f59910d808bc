/**
 * Desktop notifications in serve mode: the browser's Notification API, asked only when the user
 * presses "Enable desktop notifications", never on load. The desktop app notifies from its main
 * process (main/electron/notifications.ts), so the page stays quiet there.
 */
import { useSyncExternalStore } from 'react';
import { alertNotification, NOTIFY_AT_ONCE, type Alert } from '../../../../main/common/alerts-model';
import { useAlerts } from '../../store/alerts';

export type NotifyState = 'unsupported' | 'desktop-app' | NotificationPermission;

function currentState(): NotifyState {
  if ((window as { fleetdeckPipe?: unknown }).fleetdeckPipe) return 'desktop-app';
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.permission;
}

const listeners = new Set<() => void>();
let state: NotifyState | undefined;
function read(): NotifyState {
  return (state ??= currentState());
}

export function useNotifyState(): NotifyState {
  return useSyncExternalStore((cb) => {
    listeners.add(cb);
    return () => listeners.delete(cb);
  }, read);
}

export async function askPermission(): Promise<void> {
  if (typeof Notification === 'undefined') return;
  await Notification.requestPermission();
  state = currentState();
  for (const l of listeners) l();
}

/** Notifies of each alert that fires from now on (not those already there when the window opened). */
export function startDesktopNotifications(): () => void {
  let seen: Set<string> | undefined;
  const onEvent = (alerts: Alert[] | undefined) => {
    if (!alerts) return;
    const firing = alerts.filter((a) => a.resolvedAt === undefined);
    if (!seen) {
      seen = new Set(alerts.map((a) => a.id));
      return;
    }
    const fresh = firing.filter((a) => !seen!.has(a.id));
    seen = new Set(alerts.map((a) => a.id));
    if (!fresh.length || read() !== 'granted') return;
    for (const a of fresh.slice(0, NOTIFY_AT_ONCE)) {
      const n = alertNotification(a);
      new Notification(n.title, { body: n.body, tag: a.id });
    }
    if (fresh.length > NOTIFY_AT_ONCE) new Notification('Fleetdeck', { body: `${fresh.length - NOTIFY_AT_ONCE} more alerts fired. Open Alerts to see them.` });
  };
  onEvent(useAlerts.getState().event?.alerts);
  return useAlerts.subscribe((s, prev) => {
    if (s.event !== prev.event) onEvent(s.event?.alerts);
  });
}
