import type { ConnectionState } from '../../../../main/common/model';

const WORD: Record<ConnectionState, string> = {
  connected: 'Connected',
  connecting: 'Connecting',
  unreachable: 'Unreachable',
};

/** A coloured dot never stands alone: the state's word goes with it. */
export function StatusDot({ state, showWord = true }: { state: ConnectionState; showWord?: boolean }) {
  return (
    <span className={`status status-${state}`}>
      <span className="dot" aria-hidden="true" />
      {showWord ? <span className="status-word">{WORD[state]}</span> : <span className="sr-only">{WORD[state]}</span>}
    </span>
  );
}

export function stateWord(s: ConnectionState): string {
  return WORD[s];
}
