/**
 * Live logs of a service (all instances merged, each named and coloured) or of one instance: the
 * stream goes into a bounded buffer outside React, and the list is redrawn at most once a frame.
 * Optionally seeded from the store (a jump from Search stored): the stored lines from that
 * moment, then the live ones, the seam deduplicated.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import { instanceColours } from '../../../../main/common/log-format';
import type { LogHit } from '../../../../main/common/log-store-model';
import type { LogLevel, Service } from '../../../../main/common/model';
import { plainText, terminalText } from '../../../../main/common/output-policy';
import { api } from '../../api/instance';
import { serviceLabel } from '../services/format';
import { LiveBuffer, LiveFind, seamKey, type LiveLine } from './live-buffer';
import { rowText, type RowOptions } from './live-row';
import { LiveLogList, type FindState, type LiveListHandle } from './LiveLogList';

const ALL = '';
/** Lines the view holds; older ones are in the store (Search stored). */
export const LIVE_CAPACITY = 50_000;
/** A flood: more new lines between two redraws than a list of 460 px shows; then redraws come FLOOD_MS apart. */
const FLOOD_ROWS = 30;
const FLOOD_MS = 100;
/** Stored lines a jump loads at most (pages of 10,000), before the live ones. */
const SEED_MAX = 20_000;

export interface LiveSeed {
  hit: LogHit;
}

interface Props {
  service: Service;
  /** Where a jump from Search stored starts (the view is new for each jump). */
  seed?: LiveSeed;
  /** Switch to Search stored (where the lines that fell out are). */
  onSearchStored(): void;
  hidden: boolean;
}

type Status = { kind: 'loading' | 'live' } | { kind: 'ended'; message: string };

const seamOf = (x: { instance: string; t: number; text: string }) => seamKey(x.instance, x.t, terminalText(x.text));

export function LiveLogs({ service, seed, onSearchStored, hidden }: Props) {
  const [instance, setInstance] = useState(ALL);
  const [status, setStatus] = useState<Status>({ kind: 'loading' });
  const [query, setQuery] = useState('');
  const [raw, setRaw] = useState(false);
  const [wrap, setWrap] = useState(false);
  const [minLevel, setMinLevel] = useState<LogLevel | ''>('');
  const [hideProbes, setHideProbes] = useState(true);
  const [paused, setPaused] = useState(false);
  const [following, setFollowing] = useState(true);
  const [announce, setAnnounce] = useState('');
  const [targetSeq, setTargetSeq] = useState<number | undefined>();
  const [active, setActive] = useState<{ seq: number; k: number } | undefined>();
  /** Redraws: once per frame in which something changed. */
  const [version, setVersion] = useState(0);
  const buffer = useMemo(() => new LiveBuffer(LIVE_CAPACITY), []);
  /** While paused: the first line not shown. */
  const pauseSeq = useRef<number | undefined>(undefined);
  const list = useRef<LiveListHandle>(null);
  const frame = useRef(0);
  const pendingJump = useRef<number | undefined>(undefined);
  const finder = useRef<LiveFind | undefined>(undefined);
  const [findTick, setFindTick] = useState(0);
  const [, setFound] = useState(0);

  const merged = instance === ALL;
  // Each instance keeps its colour for the life of the view.
  const colourFor = useMemo(() => instanceColours(), []);
  const row: RowOptions = useMemo(() => ({ merged, raw, colourFor }), [merged, raw, colourFor]);
  const shown = paused && pauseSeq.current !== undefined ? buffer.viewIndexAtOrAfter(pauseSeq.current) : buffer.viewLength;

  // One redraw per animation frame at most. In a flood (more new lines between two redraws than
  // the list has rows: every row is new each time) at most every FLOOD_MS, since nobody reads
  // rows that stay a frame, and each redraw lays out a screenful of new rows.
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const drawn = useRef({ at: 0, seq: 0, flood: false });
  const redraw = useCallback(() => {
    if (frame.current || timer.current) return;
    const draw = () => {
      timer.current = undefined;
      frame.current = requestAnimationFrame(() => {
        frame.current = 0;
        const d = drawn.current;
        d.flood = buffer.nextSeq - d.seq > FLOOD_ROWS;
        d.seq = buffer.nextSeq;
        d.at = performance.now();
        setVersion((v) => v + 1);
      });
    };
    const wait = drawn.current.flood ? FLOOD_MS - (performance.now() - drawn.current.at) : 0;
    if (wait > 4) timer.current = setTimeout(draw, wait);
    else draw();
  }, [buffer]);
  useEffect(
    () => () => {
      cancelAnimationFrame(frame.current);
      clearTimeout(timer.current);
    },
    [],
  );

  useEffect(() => {
    buffer.setFilter({ minLevel, hideProbes });
    redraw();
  }, [buffer, minLevel, hideProbes, redraw]);

  useEffect(() => {
    buffer.clear();
    let isLive = false;
    setStatus({ kind: 'loading' });
    setTargetSeq(undefined);
    redraw();
    let live = true;
    // Until the stored lines of a jump are in, live lines wait; then those already stored are skipped once each.
    let waiting: LiveLine[][] | undefined = seed ? [] : undefined;
    let seam: Map<string, number> | undefined;
    let seamUntil = -Infinity;
    const accept = (lines: LiveLine[]) => {
      if (seam) {
        lines = lines.filter((x) => {
          if (x.t > seamUntil) return true;
          const k = seamOf(x);
          const n = seam!.get(k);
          if (!n) return true;
          if (n === 1) seam!.delete(k);
          else seam!.set(k, n - 1);
          return false;
        });
      }
      buffer.push(lines);
      redraw();
    };
    const unsubscribe = api.subscribe(
      'logs.follow',
      merged ? { envId: service.envId, serviceId: service.id, tail: 200 } : { envId: service.envId, instance, tail: 500 },
      (e) => {
        if (!isLive) {
          isLive = true;
          setStatus({ kind: 'live' });
        }
        let lines: LiveLine[];
        if (e.kind === 'lines') lines = e.entries;
        else if (e.kind === 'dropped') lines = [note(`${e.count} lines not shown: the connection could not keep up (Search stored has them)`)];
        else if (merged && e.event === 'ended') lines = [note(`${e.name} left`)];
        else return;
        if (waiting) waiting.push(lines);
        else accept(lines);
      },
      (err?: ApiErrorBody) => setStatus({ kind: 'ended', message: err ? formatError(err) : 'The logs stream ended.' }),
    );
    if (seed) {
      void loadSeed(service, seed.hit).then(
        ({ lines, more }) => {
          if (!live) return;
          const first = buffer.nextSeq;
          const at = lines.findIndex((x) => x.id === seed.hit.id);
          if (at >= 0) lines[at] = { ...lines[at]!, target: true };
          buffer.push(lines);
          if (more) buffer.push([note('Later stored lines are not loaded here: Search stored has them. Live lines follow.')]);
          seam = new Map();
          for (const x of lines) {
            const k = seamOf(x);
            seam.set(k, (seam.get(k) ?? 0) + 1);
            seamUntil = Math.max(seamUntil, x.t);
          }
          const held = waiting ?? [];
          waiting = undefined;
          for (const batch of held) accept(batch);
          if (at >= 0) {
            setTargetSeq(first + at);
            pendingJump.current = first + at;
          }
          redraw();
        },
        (e: ApiErrorBody) => {
          if (!live) return;
          const held = waiting ?? [];
          waiting = undefined;
          buffer.push([note(`The stored lines could not be loaded: ${formatError(e)}`)]);
          for (const batch of held) accept(batch);
        },
      );
    }
    return () => {
      live = false;
      unsubscribe();
    };
  }, [buffer, service, instance, seed, merged, redraw]);

  // A jump lands once its line is drawn.
  useEffect(() => {
    const seq = pendingJump.current;
    if (seq === undefined || !list.current) return;
    pendingJump.current = undefined;
    list.current.scrollToSeq(seq);
  }, [version]);

  // Find: the buffer searched a slice per frame, kept up as lines come.
  useEffect(() => {
    finder.current = query ? new LiveFind(query, (line) => rowText(line, row)) : undefined;
    setActive(undefined);
    setFindTick((n) => n + 1);
  }, [query, row, minLevel, hideProbes, buffer]);
  useEffect(() => {
    const f = finder.current;
    if (!f) return;
    const limit = paused && pauseSeq.current !== undefined ? pauseSeq.current : buffer.nextSeq;
    const done = f.update(buffer, limit);
    setFound(f.total); // drawn again when the count moved
    if (!done) {
      const id = requestAnimationFrame(() => setFindTick((n) => n + 1));
      return () => cancelAnimationFrame(id);
    }
  }, [version, findTick, buffer, paused]);
  const f = finder.current;
  const activeIndex = f && active ? f.indexAtOrAfter(active.seq, active.k) : -1;
  const activeValid = f && active && activeIndex < f.total && f.seqs[activeIndex] === active.seq && f.ks[activeIndex] === active.k;

  const findMove = (backwards: boolean) => {
    if (!f || !f.total) return;
    let i = activeValid ? activeIndex + (backwards ? -1 : 1) : backwards ? f.total - 1 : 0;
    if (i < 0) i = f.total - 1;
    if (i >= f.total) i = 0;
    const next = { seq: f.seqs[i]!, k: f.ks[i]! };
    setActive(next);
    list.current?.scrollToSeq(next.seq);
  };

  const togglePause = () => {
    const next = !paused;
    if (next) {
      pauseSeq.current = buffer.nextSeq;
      buffer.hold();
      setAnnounce('Paused: new lines wait.');
    } else {
      const notKept = buffer.release();
      if (notKept) buffer.push([note(`${notKept} lines came while paused and were not kept here: Search stored has them`)]);
      pauseSeq.current = undefined;
      setAnnounce('Resumed: showing new lines.');
      requestAnimationFrame(() => list.current?.scrollToLatest());
    }
    setPaused(next);
    redraw();
  };

  const clear = () => {
    buffer.clear();
    if (paused) pauseSeq.current = buffer.nextSeq;
    setTargetSeq(undefined);
    setFindTick((n) => n + 1);
    finder.current = query ? new LiveFind(query, (line) => rowText(line, row)) : undefined;
    redraw();
  };

  const download = (format: 'text' | 'ndjson') => {
    const out: string[] = [];
    for (let i = 0; i < shown; i++) {
      const x = buffer.line(buffer.viewSeq(i));
      if (!x || x.note) continue;
      out.push(
        format === 'ndjson'
          ? JSON.stringify({ time: new Date(x.t).toISOString(), instance: x.instance, stream: x.stream, level: x.level, text: x.text })
          : `${new Date(x.t).toISOString()} ${x.instance} ${x.text}`,
      );
    }
    const url = URL.createObjectURL(new Blob([`${out.join('\n')}\n`], { type: format === 'ndjson' ? 'application/x-ndjson' : 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${service.name}-logs.${format === 'ndjson' ? 'ndjson' : 'log'}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const onFollowChange = useCallback((f: boolean) => {
    setFollowing(f);
    setAnnounce(f ? 'Following the latest lines.' : 'Not following: an earlier line is in view.');
  }, []);

  const held = paused ? buffer.viewLength - shown + buffer.skipped : 0;
  const findLabel = !f
    ? ''
    : !f.total
      ? 'No matches'
      : `${activeValid ? `${activeIndex + 1} of ` : ''}${f.total}${f.capped ? '+' : ''} ${f.total === 1 ? 'match' : 'matches'}`;
  const name = merged ? serviceLabel(service) : plainText(instance);

  return (
    <div className="live-logs" hidden={hidden}>
      <div className="terminal-bar">
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
          onKeyDown={(e) => e.key === 'Enter' && findMove(e.shiftKey)}
        />
        <button type="button" className="ghost" onClick={() => findMove(true)} aria-label="Previous match" disabled={!f?.total}>
          ↑
        </button>
        <button type="button" className="ghost" onClick={() => findMove(false)} aria-label="Next match" disabled={!f?.total}>
          ↓
        </button>
        {f ? (
          <span className="find-count" role="status">
            {findLabel}
          </span>
        ) : null}
        <button type="button" className="ghost" onClick={clear}>
          Clear
        </button>
        <label className="check">
          <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} /> Raw JSON
        </label>
        <label className="check" title="Long lines wrap onto more rows instead of scrolling sideways">
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> Wrap
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
          {hideProbes && buffer.probes ? ` (${buffer.probes})` : ''}
        </label>
        <button type="button" className="ghost" onClick={togglePause} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        {paused && held ? (
          <button type="button" className="ghost" onClick={togglePause}>
            {held} new {held === 1 ? 'line' : 'lines'} — show
          </button>
        ) : null}
        {!following || paused ? (
          <button
            type="button"
            className="ghost"
            onClick={() => (paused ? togglePause() : list.current?.scrollToLatest())}
            aria-label="Jump to the latest line"
          >
            Latest ↓
          </button>
        ) : null}
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
      {buffer.evicted ? (
        <p className="live-log-older">
          {buffer.evicted.toLocaleString()} older {buffer.evicted === 1 ? 'line is' : 'lines are'} no longer held here (the view keeps the latest{' '}
          {LIVE_CAPACITY.toLocaleString()}):{' '}
          <button type="button" className="link" onClick={onSearchStored}>
            older lines: Search stored
          </button>
        </p>
      ) : null}
      <span className="sr-only" role="status" aria-live="polite">
        {announce}
      </span>
      <LiveLogList
        buffer={buffer}
        version={version}
        count={shown}
        label={`Live logs of ${name}`}
        wrap={wrap}
        row={row}
        find={{ query, ...(activeValid && active ? { active } : {}) } satisfies FindState}
        targetSeq={targetSeq}
        onFollowChange={onFollowChange}
        handle={list}
      />
    </div>
  );
}

function note(text: string): LiveLine {
  return { t: Date.now(), instance: '', stream: 'stdout', text: `── ${text} ──`, note: true };
}

/** The service's stored lines from a hit's moment to now, oldest first, at most SEED_MAX. */
async function loadSeed(service: Service, hit: LogHit): Promise<{ lines: LiveLine[]; more: boolean }> {
  const lines: LiveLine[] = [];
  const scope = { query: '', from: hit.t, to: Date.now(), envIds: [service.envId], serviceIds: [service.id], order: 'oldest' as const };
  let after: number | undefined;
  for (;;) {
    const r = await api.call('logs.search', { ...scope, limit: Math.min(10_000, SEED_MAX - lines.length), ...(after !== undefined ? { after } : {}) });
    for (const h of r.hits) lines.push({ t: h.t, instance: h.instance, stream: h.stream, ...(h.level ? { level: h.level } : {}), text: h.text, id: h.id });
    const last = r.hits.at(-1);
    if (!r.more || !last) return { lines, more: false };
    if (lines.length >= SEED_MAX) return { lines, more: true };
    after = last.id;
  }
}
