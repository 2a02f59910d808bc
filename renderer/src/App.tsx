import { useEffect } from 'react';
import { api } from './api/instance';
import { AlertsView } from './features/alerts/AlertsView';
import { EnvironmentView } from './features/overview/EnvironmentView';
import { OverviewView } from './features/overview/OverviewView';
import { CommandPalette } from './features/palette/CommandPalette';
import { Sidebar } from './features/environments/Sidebar';
import { ReconnectBanner } from './features/shell/ReconnectBanner';
import { StatusBar } from './features/shell/StatusBar';
import { useTitleBadge } from './features/shell/useTitleBadge';
import { bindEnvironments, useEnvironments } from './store/environments';

export function App() {
  useEffect(() => bindEnvironments(api), []);
  useTitleBadge(api);
  const stale = useEnvironments((s) => s.connection !== 'open' && s.loaded);
  const view = useEnvironments((s) => s.view);
  return (
    <div className="app">
      <Sidebar />
      <div className={stale ? 'content stale' : 'content'}>
        <ReconnectBanner />
        <main>{view === 'overview' ? <OverviewView /> : view === 'alerts' ? <AlertsView /> : <EnvironmentView />}</main>
        <StatusBar />
      </div>
      <CommandPalette />
    </div>
  );
}
