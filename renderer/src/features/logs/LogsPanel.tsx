import { useState } from 'react';
import type { LogHit } from '../../../../main/common/log-store-model';
import type { Service } from '../../../../main/common/model';
import { LiveLogs, type LiveSeed } from './LiveLogs';
import { LogSearch } from './LogSearch';

/** The Logs tab: Live (every instance merged, or one) and Search stored; a hit can be shown in the live tail at its moment. */
export function LogsPanel({ service }: { service: Service }) {
  const [mode, setMode] = useState<'live' | 'search'>('live');
  /** A jump from a search hit: the live view starts again from that moment (one view per jump). */
  const [jump, setJump] = useState<{ n: number; seed: LiveSeed } | undefined>();

  const showInLive = (hit: LogHit) => {
    setJump((j) => ({ n: (j?.n ?? 0) + 1, seed: { hit } }));
    setMode('live');
  };

  return (
    <section className="logs" aria-label="Logs">
      <div className="segmented" role="group" aria-label="Logs view">
        <button type="button" aria-pressed={mode === 'live'} onClick={() => setMode('live')}>
          Live
        </button>
        <button type="button" aria-pressed={mode === 'search'} onClick={() => setMode('search')}>
          Search stored
        </button>
      </div>
      {mode === 'search' ? <LogSearch service={service} onShowInLive={showInLive} /> : null}
      <LiveLogs key={jump?.n ?? 0} service={service} seed={jump?.seed} hidden={mode !== 'live'} onSearchStored={() => setMode('search')} />
    </section>
  );
}
