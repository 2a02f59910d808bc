import { create } from 'zustand';
import type { Environment, AppInfo } from '../../../main/common/model';
import type { PipeState } from '../api/pipe';

interface EnvironmentsState {
  connection: PipeState;
  /** True once the first environment list arrived: before it, we show progress, not "empty". */
  loaded: boolean;
  environments: Environment[];
  selectedId: string;
  /** What the main area shows: the selected environment, every service across environments, or the alerts. */
  view: MainView;
  info: AppInfo | undefined;
  /** Selects an environment and shows it. */
  select(id: string): void;
  show(view: MainView): void;
}

export type MainView = 'environment' | 'overview' | 'alerts';

export const useEnvironments = create<EnvironmentsState>()((set) => ({
  connection: 'connecting',
  loaded: false,
  environments: [],
  selectedId: 'docker:local',
  view: 'environment',
  info: undefined,
  select: (id) => set({ selectedId: id, view: 'environment' }),
  show: (view) => set({ view }),
}));

/** What the environment a service or view belongs to can do; undefined until the list arrived. */
export function useEnvironment(envId: string): Environment | undefined {
  return useEnvironments((s) => s.environments.find((e) => e.id === envId));
}

export function bindEnvironments(api: import('../api/client').ApiClient): () => void {
  const onConnection = (connection: PipeState) => {
    useEnvironments.setState({ connection });
    if (connection === 'open') {
      api.call('app.info', {}).then(
        (info) => useEnvironments.setState({ info }),
        () => {},
      );
    }
  };
  const offConn = api.onConnection(onConnection);
  onConnection(api.connection);
  const unsub = api.subscribe('environments.watch', {}, (environments) => useEnvironments.setState({ environments, loaded: true }));
  return () => {
    offConn();
    unsub();
  };
}
