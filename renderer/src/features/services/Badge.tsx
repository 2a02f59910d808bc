import type { Tone } from './format';

/** A status word with its colour: the word carries the meaning, the colour only helps. `reason` goes into its text for screen readers and its tooltip. */
export function Badge({ tone, children, reason }: { tone: Tone; children: React.ReactNode; reason?: string }) {
  return (
    <span className={`badge tone-${tone}`} title={reason}>
      <span className="dot" aria-hidden="true" />
      {children}
      {reason ? <span className="sr-only">: {reason}</span> : null}
    </span>
  );
}
