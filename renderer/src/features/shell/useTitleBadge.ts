import { useEffect } from 'react';
import type { ApiClient } from '../../api/client';
import { bindFleet, selectNeedingAttention, useFleet } from '../../store/glance';
import { windowTitle } from '../glance/attention';

/**
 * Follows every environment's services (the Overview reads the same store) and puts what needs a
 * look in the window title: "Fleetdeck (2 unhealthy)", seen in the taskbar and the browser's tab.
 * Listens to the store outside React, so the App around it never renders again for a count.
 */
export function useTitleBadge(api: ApiClient): void {
  useEffect(() => {
    const stop = bindFleet(api);
    const show = (n: number) => (document.title = windowTitle(n));
    show(selectNeedingAttention(useFleet.getState()));
    const off = useFleet.subscribe((s, prev) => {
      const n = selectNeedingAttention(s);
      if (n !== selectNeedingAttention(prev)) show(n);
    });
    return () => {
      off();
      stop();
      document.title = windowTitle(0);
    };
  }, [api]);
}
