import { SearchAddon } from '@xterm/addon-search';
import type { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'react';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import type { LogEntry, LogLevel, Service } from '../../../../main/common/model';
import { isProbeLine } from '../../../../main/common/probes';
import { api } from '../../api/instance';
import { mountXterm } from '../terminal/mount-xterm';
import { LogSearch } from './LogSearch';
import { droppedLine, formatEntry, instanceColours, noticeLine } from '../../../../main/common/log-format';

const ALL = '';
/** Lines held while paused, and lines remembered for Download (the view's scrollback holds 5,000). */
const HELD_MAX = 20_000;
const SHOWN_MAX = 5000;
const LEVEL_RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };
/** The view drops (and says so) rather than queue more than this much unparsed output. */
const VIEW_HIGH = 1 << 20;

/** Live logs of the service (all instances merged, each prefixed and coloured) or of one instance. */
export function LogsPanel({ service }: { service: Service }) {
  const [instance, setInstance] = useState(ALL);
  const [status, setStatus] = useState<{ kind: 'loading' | 'live' } | { kind: 'ended'; message: string }>({ kind: 'loading' });
  const [query, setQuery] = useState('');
  const [raw, setRaw] = useState(false);
  const [mode, setMode] = useState<'live' | 'search'>('live');
  const [minLevel, setMinLevel] = useState<LogLevel | ''>('');
  const [hideProbes, setHideProbes] = useState(true);
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState(0);
  const [hidden, setHidden] = useState(0);
  const pausedRef = useRef(false);
  const resume = useRef<() => void>(() => {});
  /** What the view shows (as many lines as its scrollback), for Download. */
  const shown = useRef<LogEntry[]>([]);
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
    setHeld(0);
    setHidden(0);
    shown.current = [];
    const colourFor = instanceColours();
    const merged = instance === ALL;
    let pending = 0;
    let viewDropped = 0;
    let probes = 0;
    // While paused, lines wait here (bounded: past it the oldest go, and are counted as dropped by the view).
    let waiting: LogEntry[] = [];
    const keep = (x: LogEntry) => {
      if (minLevel && (!x.level || LEVEL_RANK[x.level] < LEVEL_RANK[minLevel])) return false;
      if (hideProbes && isProbeLine(x.text)) {
        probes++;
        return false;
      }
      return true;
    };
    /** `lines`: how many log lines `text` holds, so what is dropped is counted in lines, not writes. */
    const write = (text: string, lines = 0) => {
      if (pending > VIEW_HIGH) {
        viewDropped += lines;
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
    const show = (lines: LogEntry[]) => {
      if (!lines.length) return;
      shown.current.push(...lines);
      if (shown.current.length > SHOWN_MAX) shown.current = shown.current.slice(-SHOWN_MAX);
      write(lines.map((x) => formatEntry(x, colourFor, merged, raw)).join(''), lines.length);
    };
    resume.current = () => {
      const lines = waiting;
      waiting = [];
      setHeld(0);
      show(lines);
      t.scrollToBottom();
    };
    return api.subscribe(
      'logs.follow',
      merged ? { envId: service.envId, serviceId: service.id, tail: 200 } : { envId: service.envId, instance, tail: 500 },
      (e) => {
        setStatus((s) => (s.kind === 'live' ? s : { kind: 'live' }));
        if (e.kind === 'lines') {
          const before = probes;
          const lines = e.entries.filter(keep);
          if (probes !== before) setHidden(probes);
          if (pausedRef.current) {
            waiting.push(...lines);
            if (waiting.length > HELD_MAX) {
              viewDropped += waiting.length - HELD_MAX;
              waiting = waiting.slice(-HELD_MAX);
            }
            setHeld(waiting.length);
            return;
          }
          show(lines);
        } else if (e.kind === 'dropped') write(droppedLine(e.count, 'engine'), e.count);
        else if (merged && e.event === 'ended') write(noticeLine(`${e.name} left`));
      },
      (err?: ApiErrorBody) => setStatus({ kind: 'ended', message: err ? formatError(err) : 'The logs stream ended.' }),
    );
  }, [service.envId, service.id, instance, raw, minLevel, hideProbes]);

  const togglePause = () => {
    const next = !pausedRef.current;
    pausedRef.current = next;
    setPaused(next);
    if (!next) resume.current();
  };

  const download = (format: 'text' | 'ndjson') => {
    const lines = shown.current;
    const body =
      format === 'ndjson'
        ? lines
            .map((x) => JSON.stringify({ time: new Date(x.t).toISOString(), instance: x.instance, stream: x.stream, level: x.level, text: x.text }))
            .join('\n')
        : lines.map((x) => `${new Date(x.t).toISOString()} ${x.instance} ${x.text}`).join('\n');
    const url = URL.createObjectURL(new Blob([`${body}\n`], { type: format === 'ndjson' ? 'application/x-ndjson' : 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${service.name}-logs.${format === 'ndjson' ? 'ndjson' : 'log'}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

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
        <label>
          <span className="sr-only">Level</span>
          <select aria-label="Level" value={minLevel} onChange={(e) => setMinLevel(e.target.value as LogLevel | '')}>
            <option value="">All levels</option>
            <option value="debug">Debug and above</option>
            <option value="info">Info and above</option>
            <option value="warn">Warn and above</option>
            <option value="error">Error and above</option>
          </select>
        </label>
        <label className="check" title="Requests to /health, /ready, /metrics and the like">
          <input type="checkbox" checked={hideProbes} onChange={(e) => setHideProbes(e.target.checked)} /> Hide probes
          {hideProbes && hidden ? ` (${hidden})` : ''}
        </label>
        <button type="button" className="ghost" onClick={togglePause} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        {paused && held ? (
          <button type="button" className="ghost" onClick={togglePause}>
            {held} new {held === 1 ? 'line' : 'lines'} — show
          </button>
        ) : null}
        <button type="button" className="ghost" onClick={() => term.current?.scrollToBottom()} aria-label="Jump to the latest line">
          Latest ↓
        </button>
        <button type="button" className="ghost" onClick={() => download('text')} aria-label="Download the lines shown as text">
          Download
        </button>
        <button type="button" className="ghost" onClick={() => download('ndjson')} aria-label="Download the lines shown as NDJSON">
          NDJSON
        </button>
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
