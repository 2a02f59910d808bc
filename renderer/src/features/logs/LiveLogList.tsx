/**
 * The live logs as a virtualised list: only the rows in view (and a few around) exist in the
 * DOM, each formatted when it is drawn. Follows the newest line until the user scrolls up, and
 * again once they scroll back to the bottom. Text reaches the page as React text nodes only.
 */
import { useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import { memo, useImperativeHandle, useLayoutEffect, useRef, type Ref } from 'react';
import type { LiveBuffer, LiveLine } from './live-buffer';
import { occurrences } from './live-buffer';
import { rowSpans, type RowOptions } from './live-row';
import type { Span } from './ansi-spans';

/** A row's height when lines do not wrap (styles.css: .live-log-row line-height). */
export const ROW_HEIGHT = 18;

export interface LiveListHandle {
  /** Follow the newest line again, from the bottom. */
  scrollToLatest(): void;
  /** Show a line in the middle of the list, and stop following. */
  scrollToSeq(seq: number): void;
}

export interface FindState {
  query: string;
  /** The current match: its line and which occurrence in it. */
  active?: { seq: number; k: number };
}

interface Props {
  buffer: LiveBuffer;
  /** Changes once per frame in which lines came or the view changed. */
  version: number;
  /** Rows shown: the view's rows, or while paused those before the pause. */
  count: number;
  label: string;
  wrap: boolean;
  row: RowOptions;
  find: FindState;
  /** The line a jump from Search stored landed on. */
  targetSeq?: number;
  onFollowChange(following: boolean): void;
  handle: Ref<LiveListHandle>;
}

export function LiveLogList({ buffer, version, count, label, wrap, row, find, targetSeq, onFollowChange, handle }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  /** The scrollTop the list itself last set: the scroll event it causes is not the user's. */
  const expectedTop = useRef<number | undefined>(undefined);
  const seenEvicted = useRef(buffer.viewEvicted);
  const virtual = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => buffer.viewSeq(i),
    overscan: 6,
    // Scroll events redraw with the next frame, not at once: a flood already redraws every frame.
    useFlushSync: false,
  });

  const setFollowing = (f: boolean) => {
    if (following.current === f) return;
    following.current = f;
    onFollowChange(f);
  };
  const setTop = (el: HTMLElement, top: number) => {
    el.scrollTop = top;
    expectedTop.current = el.scrollTop;
  };

  useImperativeHandle(handle, () => ({
    scrollToLatest: () => {
      const el = scroller.current;
      setFollowing(true);
      if (el) setTop(el, el.scrollHeight);
    },
    scrollToSeq: (seq: number) => {
      const el = scroller.current;
      const i = buffer.viewIndexOf(seq);
      if (!el || i < 0 || i >= count) return;
      setFollowing(false);
      const [offset] = virtual.getOffsetForIndex(i, 'center') ?? [0];
      setTop(el, offset);
    },
  }));

  const total = virtual.getTotalSize();
  const height = virtual.scrollRect?.height ?? 0;
  // While following, the rows drawn are the last ones, whatever the scroll position the list last
  // saw: drawing the old range and then the bottom one (after the scroll it causes) would lay out
  // every frame twice in a flood.
  const items = following.current && height > 0 ? tailItems(virtual.measurementsCache, count, height) : virtual.getVirtualItems();
  // After each render: keep to the bottom while following (a write only: reading the layout back
  // would force it early); otherwise keep the rows in view still while older ones fall out above them.
  useLayoutEffect(() => {
    const el = scroller.current;
    const removed = buffer.viewEvicted - seenEvicted.current;
    seenEvicted.current = buffer.viewEvicted;
    if (!el) return;
    if (following.current) {
      const bottom = Math.max(0, total - height);
      if (expectedTop.current === undefined || Math.abs(expectedTop.current - bottom) >= 1) {
        el.scrollTop = bottom;
        expectedTop.current = bottom;
      }
    } else if (removed > 0) {
      const per = wrap && count ? total / count : ROW_HEIGHT;
      setTop(el, Math.max(0, el.scrollTop - removed * per));
    }
  }, [version, count, total, height, wrap, buffer]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    if (expectedTop.current !== undefined && Math.abs(el.scrollTop - expectedTop.current) < 2) {
      expectedTop.current = undefined;
      return;
    }
    expectedTop.current = undefined;
    setFollowing(el.scrollHeight - el.scrollTop - el.clientHeight < 4);
  };

  return (
    <div
      ref={scroller}
      className={`live-log${wrap ? ' wrap' : ''}`}
      role="log"
      aria-label={label}
      aria-live="off"
      tabIndex={0}
      data-lines={buffer.nextSeq}
      onScroll={onScroll}
    >
      <div className="live-log-rows" style={{ height: total }}>
        {items.map((v) => {
          const seq = buffer.viewSeq(v.index);
          const line = buffer.line(seq);
          if (!line) return null;
          return (
            <Row
              key={seq}
              seq={seq}
              line={line}
              start={v.start}
              index={v.index}
              measure={wrap ? virtual.measureElement : undefined}
              row={row}
              query={find.query}
              activeK={find.active?.seq === seq ? find.active.k : -1}
              target={seq === targetSeq}
            />
          );
        })}
      </div>
    </div>
  );
}

const TAIL_OVERSCAN = 4;

/** The last rows, enough to fill `height` and a few more. */
function tailItems(measurements: readonly VirtualItem[], count: number, height: number): VirtualItem[] {
  const out: VirtualItem[] = [];
  let filled = 0;
  let extra = 0;
  for (let i = Math.min(count, measurements.length) - 1; i >= 0 && extra <= TAIL_OVERSCAN; i--) {
    const m = measurements[i]!;
    out.push(m);
    filled += m.size;
    if (filled > height) extra++;
  }
  return out.reverse();
}

interface RowProps {
  seq: number;
  line: LiveLine;
  start: number;
  index: number;
  measure: ((el: HTMLElement | null) => void) | undefined;
  row: RowOptions;
  query: string;
  activeK: number;
  target: boolean;
}

const Row = memo(function Row({ line, start, index, measure, row, query, activeK, target }: RowProps) {
  const spans = rowSpans(line, row);
  return (
    <div
      ref={measure}
      data-index={index}
      className={`live-log-row${line.stream === 'stderr' ? ' stderr' : ''}${line.note ? ' note' : ''}${target ? ' target' : ''}`}
      aria-current={target ? 'true' : undefined}
      style={{ transform: `translateY(${start}px)` }}
    >
      {query ? <Highlighted spans={spans} ranges={occurrences(spans.map((s) => s.text).join(''), query)} activeK={activeK} /> : spans.map(spanNode)}
    </div>
  );
});

function spanNode(s: Span, i: number) {
  return s.className || s.color || s.background ? (
    <span key={i} className={s.className} style={s.color || s.background ? { color: s.color, background: s.background } : undefined}>
      {s.text}
    </span>
  ) : (
    s.text
  );
}

/** The spans with each match marked (the current one `active`), cutting spans where a match starts or ends. */
function Highlighted({ spans, ranges, activeK }: { spans: Span[]; ranges: [number, number][]; activeK: number }) {
  if (!ranges.length) return <>{spans.map(spanNode)}</>;
  const out: React.ReactNode[] = [];
  let at = 0;
  let r = 0;
  let key = 0;
  for (const s of spans) {
    const end = at + s.text.length;
    let from = at;
    while (from < end) {
      while (r < ranges.length && ranges[r]![1] <= from) r++;
      const range = ranges[r];
      if (!range || range[0] >= end) {
        out.push(spanNode({ ...s, text: s.text.slice(from - at) }, key++));
        break;
      }
      if (range[0] > from) {
        out.push(spanNode({ ...s, text: s.text.slice(from - at, range[0] - at) }, key++));
        from = range[0];
      }
      const stop = Math.min(range[1], end);
      out.push(
        <mark key={key++} className={r === activeK ? 'active' : undefined}>
          {spanNode({ ...s, text: s.text.slice(from - at, stop - at) }, 0)}
        </mark>,
      );
      from = stop;
    }
    at = end;
  }
  return <>{out}</>;
}
