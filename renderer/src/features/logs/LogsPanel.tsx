import { SearchAddon } from '@xterm/addon-search';
import type { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import type { Service } from '../../../../main/common/model';
import { api } from '../../api/instance';
import { mountXterm } from '../terminal/mount-xterm';
import { LogSearch } from './LogSearch';
import { droppedLine, formatEntry, instanceColours, noticeLine } from '../../../../main/common/log-format';

const ALL = '';
/** The view drops (and says so) rather than queue more than this much unparsed output. */
const VIEW_HIGH = 1 << 20;

/** Live logs of the service (all instances merged, each prefixed and coloured) or of one instance. */
export function LogsPanel({ service }: { service: Service }) {
  const [instance, setInstance] = useState(ALL);
  const [status, setStatus] = useState<{ kind: 'loading' | 'live' } | { kind: 'ended'; message: string }>({ kind: 'loading' });
  const [query, setQuery] = useState('');
  const [raw, setRaw] = useState(false);
  const [mode, setMode] = useState<'live' | 'search'>('live');
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | undefined>(undefined);
  const search = useRef<SearchAddon | undefined>(undefined);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const { term: t, dispose } = mountXterm(el, {
      disableStdin: true,
      convertEol: true,
      fontSize: 12,
      allowProposedApi: true, // search decorations
      linkHandler: { activate: () => {} }, // OSC 8 links from logs are never followed
      cursorInactiveStyle: 'none',
    });
    // Defence in depth: the engine already removed these, but a log pane never acts on them.
    for (const osc of [0, 1, 2, 4, 8, 10, 11, 12, 52]) t.parser.registerOscHandler(osc, () => true);
    const finder = new SearchAddon({ highlightLimit: 1000 });
    t.loadAddon(finder);
    term.current = t;
    search.current = finder;
    return () => {
      dispose();
      term.current = undefined;
    };
  }, []);

  useEffect(() => {
    const t = term.current;
    if (!t) return;
    t.reset();
    setStatus({ kind: 'loading' });
    const colourFor = instanceColours();
    const merged = instance === ALL;
    let pending = 0;
    let viewDropped = 0;
    const write = (text: string) => {
      if (pending > VIEW_HIGH) {
        viewDropped++;
        return;
      }
      if (viewDropped) {
        const n = viewDropped;
        viewDropped = 0;
        write(droppedLine(n, 'view'));
      }
      pending += text.length;
      t.write(text, () => {
        pending -= text.length;
      });
    };
    return api.subscribe(
      'logs.follow',
      merged ? { envId: service.envId, serviceId: service.id, tail: 200 } : { envId: service.envId, instance, tail: 500 },
      (e) => {
        setStatus((s) => (s.kind === 'live' ? s : { kind: 'live' }));
        if (e.kind === 'lines') write(e.entries.map((x) => formatEntry(x, colourFor, merged, raw)).join(''));
        else if (e.kind === 'dropped') write(droppedLine(e.count, 'engine'));
        else if (merged && e.event === 'ended') write(noticeLine(`${e.name} left`));
      },
      (err?: ApiErrorBody) => setStatus({ kind: 'ended', message: err ? formatError(err) : 'The logs stream ended.' }),
    );
  }, [service.envId, service.id, instance, raw]);

  const find = (backwards: boolean) => {
    if (!query) return;
    const opts = {
      decorations: { matchOverviewRuler: '#d4a017', activeMatchColorOverviewRuler: '#e8590c', matchBackground: '#fde68a', activeMatchBackground: '#fb923c' },
    };
    if (backwards) search.current?.findPrevious(query, opts);
    else search.current?.findNext(query, opts);
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
      {mode === 'search' ? <LogSearch service={service} /> : null}
      <div className="terminal-bar" hidden={mode !== 'live'}>
        <label>
          <span className="sr-only">Logs of</span>
          <select value={instance} onChange={(e) => setInstance(e.target.value)} aria-label="Logs of">
            <option value={ALL}>All instances ({service.instances.length})</option>
            {service.instances.map((i) => (
              <option key={i.id} value={i.name}>
                {i.name}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          placeholder="Find in logs"
          aria-label="Find in logs"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && find(e.shiftKey)}
        />
        <button type="button" className="ghost" onClick={() => find(true)} aria-label="Previous match">
          ↑
        </button>
        <button type="button" className="ghost" onClick={() => find(false)} aria-label="Next match">
          ↓
        </button>
        <button type="button" className="ghost" onClick={() => term.current?.clear()}>
          Clear
        </button>
        <label className="check">
          <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} /> Raw JSON
        </label>
        {status.kind === 'loading' ? (
          <span role="status">
            <span className="spinner" aria-hidden="true" /> Loading logs…
          </span>
        ) : status.kind === 'ended' ? (
          <span role="alert" className="error-inline">
            {status.message}
          </span>
        ) : (
          <span className="muted">Live</span>
        )}
      </div>
      <div className="terminal-host logs-host" ref={host} hidden={mode !== 'live'} />
    </section>
  );
}
