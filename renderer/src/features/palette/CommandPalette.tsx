import { useEffect, useMemo, useRef, useState } from 'react';
import type { Service } from '../../../../main/common/model';
import { api } from '../../api/instance';
import { useEnvironments } from '../../store/environments';
import { runServiceAction, useServices } from '../../store/services';
import { useTheme } from '../settings/theme';
import { buildCommands, filterCommands } from './commands';

/** Ctrl/Cmd+K: go to a service, scale it, restart it, switch environment — by typing. */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Inside a terminal, Ctrl+K is the shell's (kill-line).
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k' && !(e.target as HTMLElement | null)?.closest?.('.terminal')) {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return open ? <Palette close={() => setOpen(false)} /> : null;
}

function Palette({ close }: { close(): void }) {
  const environments = useEnvironments((s) => s.environments);
  const selectEnvironment = useEnvironments((s) => s.select);
  const services = useServices((s) => s.services);
  const openService = useServices((s) => s.select);
  const cycleTheme = useTheme((s) => s.cycle);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const dialog = useRef<HTMLDialogElement>(null);

  const all = useMemo(
    () =>
      buildCommands({
        environments,
        services,
        selectEnvironment,
        openService,
        cycleTheme,
        scale: (s: Service, replicas: number) =>
          void runServiceAction(s.id, `Scaling to ${replicas}…`, () => api.call('services.scale', { serviceId: s.id, replicas })),
        rollingRestart: (s: Service) => void runServiceAction(s.id, 'Rolling restart…', () => api.call('services.restart', { serviceId: s.id })),
      }),
    [environments, services, selectEnvironment, openService, cycleTheme],
  );
  const shown = filterCommands(all, query).slice(0, 50);
  const current = Math.min(active, Math.max(0, shown.length - 1));

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const run = (i: number) => {
    const cmd = shown[i];
    if (!cmd) return;
    close();
    cmd.run();
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive(Math.min(current + 1, shown.length - 1));
    else if (e.key === 'ArrowUp') setActive(Math.max(current - 1, 0));
    else if (e.key === 'Enter') run(current);
    else return;
    e.preventDefault();
  };

  return (
    <dialog ref={dialog} className="palette" aria-label="Command palette" onClose={close} onCancel={close}>
      <input
        autoFocus
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={shown[current] ? `cmd-${current}` : undefined}
        aria-label="Type a command"
        placeholder="Type a command or a service…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id="palette-list" role="listbox" aria-label="Commands">
        {shown.map((c, i) => (
          <li key={c.id} id={`cmd-${i}`} role="option" aria-selected={i === current} onMouseEnter={() => setActive(i)} onClick={() => run(i)}>
            <span>{c.title}</span>
            {c.hint ? <span className="muted mono">{c.hint}</span> : null}
          </li>
        ))}
        {shown.length === 0 ? <li className="muted">No command matches “{query}”.</li> : null}
      </ul>
    </dialog>
  );
}
