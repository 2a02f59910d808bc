import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import { highlightRanges, parseLogQuerySafe } from '../../../../main/common/log-query';
import type { LogHit, LogHistogram } from '../../../../main/common/log-store-model';
import type { Service } from '../../../../main/common/model';
import { api } from '../../api/instance';
import { useEnvironment } from '../../store/environments';
import { KeepScope } from './KeepScope';
import { LogHistogramChart } from './LogHistogramChart';
import { displayText, requestIdOf, timeLabel } from './hit-format';

const RANGES = [
  { label: 'Last 15 minutes', ms: 15 * 60_000 },
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 86_400_000 },
  { label: 'Last 7 days', ms: 7 * 86_400_000 },
] as const;
const PAGE = 500;
const BUCKETS = 60;

interface Search {
  query: string;
  /** A range picked on the histogram, or the last `rangeMs` up to now. */
  from: number;
  to: number;
  allServices: boolean;
  order: 'newest' | 'oldest';
}

type Result =
  | { kind: 'idle' | 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'done'; hits: LogHit[]; more: boolean; tookMs: number; histogram?: LogHistogram; loadingMore?: boolean };

/**
 * The stored lines of a service (or of every service), searched: a histogram over time, then the hits, highlighted.
 * `onShowInLive`: a hit of this service opens the live tail at that moment.
 */
export function LogSearch({ service, onShowInLive }: { service: Service; onShowInLive?: (hit: LogHit) => void }) {
  const envName = useEnvironment(service.envId)?.name ?? service.envId;
  const [text, setText] = useState('');
  const [rangeMs, setRangeMs] = useState<number>(RANGES[1].ms);
  const [search, setSearch] = useState<Search>(() => ({ query: '', from: Date.now() - RANGES[1].ms, to: Date.now(), allServices: false, order: 'newest' }));
  const [result, setResult] = useState<Result>({ kind: 'idle' });
  const [open, setOpen] = useState<{ id: number; lines: LogHit[] } | undefined>();
  const parsed = useMemo(() => parseLogQuerySafe(text), [text]);
  const ast = useMemo(() => {
    const p = parseLogQuerySafe(search.query);
    return 'ast' in p ? p.ast : { terms: [] };
  }, [search.query]);

  const scope = useCallback(
    (s: Search) => ({
      query: s.query,
      from: s.from,
      to: s.to,
      envIds: s.allServices ? undefined : [service.envId],
      serviceIds: s.allServices ? undefined : [service.id],
    }),
    [service.envId, service.id],
  );

  useEffect(() => {
    let live = true;
    setResult({ kind: 'loading' });
    setOpen(undefined);
    const params = scope(search);
    Promise.all([api.call('logs.search', { ...params, order: search.order, limit: PAGE }), api.call('logs.histogram', { ...params, buckets: BUCKETS })]).then(
      ([r, histogram]) => live && setResult({ kind: 'done', hits: r.hits, more: r.more, tookMs: r.tookMs, histogram }),
      (e: ApiErrorBody) => live && setResult({ kind: 'error', message: formatError(e) }),
    );
    return () => {
      live = false;
    };
  }, [search, scope]);

  const run = (patch: Partial<Search> = {}) => {
    if ('problem' in parsed && patch.query === undefined) return;
    const now = Date.now();
    setSearch((s) => ({ ...s, query: text, from: now - rangeMs, to: now, ...patch }));
  };

  const loadMore = () => {
    if (result.kind !== 'done' || !result.more || result.loadingMore) return;
    const last = result.hits.at(-1);
    setResult({ ...result, loadingMore: true });
    api.call('logs.search', { ...scope(search), order: search.order, limit: PAGE, ...(last ? { after: last.id } : {}) }).then(
      (r) => setResult((cur) => (cur.kind === 'done' ? { ...cur, hits: [...cur.hits, ...r.hits], more: r.more, loadingMore: false } : cur)),
      (e: ApiErrorBody) => setResult({ kind: 'error', message: formatError(e) }),
    );
  };

  const follow = (id: string) => {
    const q = `requestId:"${id.replace(/["\\]/g, (m) => `\\${m}`)}"`;
    setText(q);
    const now = Date.now();
    setSearch({ query: q, from: now - RANGES[3].ms, to: now, allServices: true, order: 'oldest' });
  };

  const toggleContext = (hit: LogHit) => {
    if (open?.id === hit.id) return setOpen(undefined);
    api.call('logs.around', { id: hit.id, before: 5, after: 5 }).then(
      (lines) => setOpen({ id: hit.id, lines }),
      () => setOpen(undefined),
    );
  };

  const hits = result.kind === 'done' ? result.hits : [];
  const listRef = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: hits.length, getScrollElement: () => listRef.current, estimateSize: () => 22, overscan: 12 });

  return (
    <section className="log-search" aria-label="Search stored logs">
      <form
        className="terminal-bar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <input
          type="search"
          className="log-query"
          placeholder='Search: words, "phrases", level:warn, requestId:…, -word, /regex/'
          aria-label="Search query"
          aria-invalid={'problem' in parsed}
          aria-describedby={'problem' in parsed ? 'log-query-problem' : undefined}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <label>
          <span className="sr-only">Time range</span>
          <select aria-label="Time range" value={rangeMs} onChange={(e) => setRangeMs(Number(e.target.value))}>
            {RANGES.map((r) => (
              <option key={r.ms} value={r.ms}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="sr-only">Order</span>
          <select aria-label="Order" value={search.order} onChange={(e) => setSearch((s) => ({ ...s, order: e.target.value as Search['order'] }))}>
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={search.allServices} onChange={(e) => setSearch((s) => ({ ...s, allServices: e.target.checked }))} /> All services
        </label>
        <button type="submit" disabled={'problem' in parsed}>
          Search
        </button>
      </form>
      <KeepScope envId={service.envId} envName={envName} />
      {'problem' in parsed ? (
        <p id="log-query-problem" role="alert" className="error-inline pad">
          {parsed.problem.message}
        </p>
      ) : null}
      {result.kind === 'done' && result.histogram ? (
        <LogHistogramChart histogram={result.histogram} onSelect={(from, to) => setSearch((s) => ({ ...s, query: text || s.query, from, to }))} />
      ) : null}
      <div className="log-search-status" role="status">
        {result.kind === 'loading' ? (
          <>
            <span className="spinner" aria-hidden="true" /> Searching…
          </>
        ) : result.kind === 'error' ? (
          <span className="error-inline">{result.message}</span>
        ) : result.kind === 'done' ? (
          <span className="muted">
            {result.hits.length === 0
              ? 'No stored line matches in this range.'
              : `${result.hits.length}${result.more ? '+' : ''} ${result.hits.length === 1 && !result.more ? 'line' : 'lines'} · ${timeLabel(search.from)} – ${timeLabel(search.to)} · ${Math.round(result.tookMs)} ms`}
          </span>
        ) : null}
      </div>
      <div className="log-hits" ref={listRef} role="list" aria-label="Matching lines">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((v) => {
            const hit = hits[v.index]!;
            const shown = displayText(hit.text);
            const rid = requestIdOf(hit.text);
            return (
              <div
                key={hit.id}
                role="listitem"
                data-index={v.index}
                ref={virtual.measureElement}
                className="log-hit"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}
              >
                <button
                  type="button"
                  className="ghost hit-time"
                  onClick={() => toggleContext(hit)}
                  aria-expanded={open?.id === hit.id}
                  aria-label={`Lines around ${timeLabel(hit.t)}`}
                >
                  {timeLabel(hit.t)}
                </button>
                <span className="hit-instance" title={hit.instance}>
                  {displayText(hit.instance)}
                </span>
                {hit.level ? <span className={`hit-level level-${hit.level}`}>{hit.level}</span> : null}
                <span className="hit-text">
                  <Highlighted text={shown} ranges={highlightRanges(ast, shown)} />
                </span>
                {rid ? (
                  <button type="button" className="ghost hit-request" onClick={() => follow(rid)} aria-label={`Every line of request ${rid}`}>
                    request
                  </button>
                ) : null}
                {onShowInLive && hit.service === service.id && hit.env === service.envId ? (
                  <button type="button" className="ghost hit-live" onClick={() => onShowInLive(hit)} aria-label={`Show in live tail, from ${timeLabel(hit.t)}`}>
                    Show in live tail
                  </button>
                ) : null}
                {open?.id === hit.id ? (
                  <ol className="hit-context" aria-label="Lines around it">
                    {open.lines.map((l) => (
                      <li key={l.id} className={l.id === hit.id ? 'current' : undefined}>
                        <span className="muted">{timeLabel(l.t)}</span> {displayText(l.text)}
                      </li>
                    ))}
                  </ol>
                ) : null}
              </div>
            );
          })}
        </div>
      </div>
      {result.kind === 'done' && result.more ? (
        <button type="button" className="ghost" onClick={loadMore} disabled={result.loadingMore}>
          {result.loadingMore ? 'Loading…' : `Load ${PAGE} more`}
        </button>
      ) : null}
    </section>
  );
}

function Highlighted({ text, ranges }: { text: string; ranges: [number, number][] }) {
  if (!ranges.length) return <>{text}</>;
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (s > at) parts.push(text.slice(at, s));
    parts.push(<mark key={s}>{text.slice(s, e)}</mark>);
    at = e;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
