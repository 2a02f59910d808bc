import { useEffect, useRef, useState } from 'react';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import type { Instance } from '../../../../main/common/model';
import { api } from '../../api/instance';
import { mountXterm } from './mount-xterm';

type Phase = { kind: 'opening' } | { kind: 'open' } | { kind: 'closed'; message: string };

/** An exec shell in one instance. Keys go to the container; its output is written straight to xterm. */
export function TerminalPanel({ envId, instance }: { envId: string; instance: Instance }) {
  const host = useRef<HTMLDivElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'opening' });

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const { term, dispose } = mountXterm(el, { fontSize: 13, cursorBlink: true });
    let terminalId: string | undefined;
    // xterm's flow-control pattern: pause the shell while xterm has too much unparsed output.
    const HIGH = 256 * 1024;
    const LOW = 32 * 1024;
    let pending = 0;
    let paused = false;
    const flow = (p: boolean) => {
      paused = p;
      if (terminalId) void api.call('terminal.flow', { terminalId, paused: p }).catch(() => {});
    };
    const unsubscribe = api.subscribe(
      'terminal.open',
      { envId, instance: instance.id, cols: term.cols, rows: term.rows },
      (e) => {
        if (e.kind === 'ready') {
          terminalId = e.terminalId;
          setPhase({ kind: 'open' });
          // The panel may have been resized while the shell was starting.
          void api.call('terminal.resize', { terminalId, cols: term.cols, rows: term.rows }).catch(() => {});
          term.focus();
        } else if (e.kind === 'data') {
          pending += e.data.length;
          term.write(e.data, () => {
            pending -= e.data.length;
            if (paused && pending < LOW) flow(false);
          });
          if (!paused && pending > HIGH) flow(true);
        } else {
          setPhase({ kind: 'closed', message: e.message ?? `The shell exited${e.code === null ? '' : ` with code ${e.code}`}.` });
        }
      },
      (err?: ApiErrorBody) => {
        if (err) setPhase({ kind: 'closed', message: formatError(err) });
      },
    );
    const input = term.onData((data) => {
      if (terminalId) void api.call('terminal.input', { terminalId, data }).catch(() => {});
    });
    const resize = term.onResize(({ cols, rows }) => {
      if (terminalId) void api.call('terminal.resize', { terminalId, cols, rows }).catch(() => {});
    });
    return () => {
      input.dispose();
      resize.dispose();
      unsubscribe();
      dispose();
    };
  }, [envId, instance.id]);

  return (
    <section className="terminal" aria-label={`Terminal in ${instance.name}`}>
      <div className="terminal-bar">
        <span className="mono">{instance.name}</span>
        {phase.kind === 'opening' ? (
          <span role="status">
            <span className="spinner" aria-hidden="true" /> Opening a shell…
          </span>
        ) : phase.kind === 'closed' ? (
          <span role="alert" className="error-inline">
            {phase.message}
          </span>
        ) : (
          <span className="muted">Connected · copy with selection, paste with Ctrl+Shift+V</span>
        )}
      </div>
      <div className="terminal-host" ref={host} />
    </section>
  );
}
