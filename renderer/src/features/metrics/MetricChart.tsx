import { memo, useMemo, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricMarker } from '../../../../main/common/metrics-model';
import type { MetricPoint } from '../../../../main/common/model';
import { fmt, formatMoment, formatTick, niceCeil, RowCache, summaryText, TABLE_ROWS, timeTicks, type LineDef, type Row } from './series';
import { useLive, type LiveFigures, type Span } from './useMetricsHistory';

const COLOURS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#65a30d'];
export const MARKER_COLOURS: Record<MetricMarker['kind'], string> = {
  scale: '#2563eb',
  restart: '#7c3aed',
  deploy: '#059669',
  crash: '#dc2626',
  breaker: '#d97706',
};
const MARKER_GLYPH: Record<MetricMarker['kind'], string> = { scale: '⇅', restart: '↻', deploy: '⬆', crash: '✕', breaker: '⚡' };
/** Markers drawn on a chart at most (the newest); the list below the charts has them all. */
const MAX_DRAWN_MARKERS = 60;
const HEIGHT = 150;

export interface ChartSpec {
  title: string;
  unit: string;
  lines: LineDef[];
  /** The figure beside the title: the service's, now. */
  current(p: MetricPoint): number | undefined;
  /** Axes that never jump: at least this high, rounded up to a step. */
  floor: number;
  /** A line under the title: what the figure leaves out. */
  note?: string;
  /** Controls of this chart only (Show probes). */
  tools?: ReactNode;
}

interface Props {
  spec: ChartSpec;
  points: MetricPoint[];
  /** The live figures (none while zoomed: the value is then the span's last). */
  live: LiveFigures | undefined;
  domain: [number, number];
  stepMs: number;
  markers: MetricMarker[];
  rangeWords: string;
  /** Replaces the spec's note (it changes every second where the spec does not). */
  note?: ReactNode;
  onZoom(span: Span): void;
}

/** One chart: caption with the current value, legend buttons, the plot, its summary and table for screen readers. */
export function MetricChart({ spec, points, live, domain, stepMs, markers, rangeWords, note, onZoom }: Props) {
  const cache = useRef<RowCache>(null);
  cache.current ??= new RowCache();
  const rows = useMemo(() => cache.current!.rows(points, spec.lines), [points, spec.lines]);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  const [table, setTable] = useState(false);
  // The words follow the figure beside the title (the service's), whatever lines are drawn.
  const series = useMemo(() => points.map((p) => spec.current(p)), [points, spec]);
  const hiddenKey = [...hidden].sort().join('\0');
  const visible = useMemo(() => spec.lines.map((l, i) => ({ l, i })).filter((x) => !hidden.has(x.l.key)), [spec.lines, hidden]);
  const top = useMemo(() => {
    let m = 0;
    for (const r of rows) for (const { i } of visible) m = Math.max(m, r[`s${i}`] ?? 0);
    return niceCeil(m, spec.floor);
  }, [rows, visible, spec.floor]);

  const toggle = (key: string, e: MouseEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return isolate(key);
    setHidden((h) => {
      const n = new Set(h);
      if (!n.delete(key)) n.add(key);
      return n;
    });
  };
  const isolate = (key: string) => setHidden(new Set(spec.lines.map((l) => l.key).filter((k) => k !== key)));
  const legendId = `legend-${spec.title.replace(/\W+/g, '-')}`;

  return (
    <LiveFigure spec={spec} live={live} last={points.at(-1)} series={series} rangeWords={rangeWords} note={note}>
      <Plot
        rows={rows}
        lines={spec.lines}
        hiddenKey={hiddenKey}
        domain={domain}
        top={top}
        unit={spec.unit}
        markers={markers}
        stepMs={stepMs}
        onZoom={onZoom}
        describedBy={legendId}
      />
      <div className="chart-legend" role="group" aria-label={`${spec.title} lines`} id={legendId}>
        {spec.lines.map((l, i) => (
          <span key={l.key} className="legend-entry">
            <button
              type="button"
              className="legend-toggle"
              aria-pressed={!hidden.has(l.key)}
              data-series={`s${i}`}
              title="Click to hide or show this line; Alt- or Ctrl-click to show only it"
              onClick={(e) => toggle(l.key, e)}
            >
              <span className={`swatch${l.dashed ? ' dashed' : ''}`} style={{ borderColor: COLOURS[i % COLOURS.length] }} aria-hidden="true" />
              {l.label}
            </button>
            {spec.lines.length > 1 ? (
              <button type="button" className="legend-only" aria-label={`Show only ${l.label}`} onClick={() => isolate(l.key)}>
                only
              </button>
            ) : null}
          </span>
        ))}
        {hidden.size ? (
          <button type="button" className="legend-only" onClick={() => setHidden(new Set())}>
            Show all lines
          </button>
        ) : null}
      </div>
      <div className="chart-tools">
        {spec.tools}
        <button type="button" className="ghost small" aria-pressed={table} onClick={() => setTable((t) => !t)}>
          Show as table
        </button>
      </div>
      {table ? <FigureTable title={spec.title} unit={spec.unit} rows={rows} lines={visible} /> : null}
    </LiveFigure>
  );
}

interface LiveFigureProps {
  spec: ChartSpec;
  live: LiveFigures | undefined;
  last: MetricPoint | undefined;
  series: (number | undefined)[];
  rangeWords: string;
  note: ReactNode;
  children: ReactNode;
}

/**
 * The figure with what changes every second: its name and caption carry the current value, the
 * summary its words. Its children (plot, legend) are the same elements from one second to the
 * next, so React leaves them alone.
 */
function LiveFigure({ spec, live, last, series, rangeWords, note, children }: LiveFigureProps) {
  const current = useLive(live, (l) => {
    const p = l?.latest ?? last;
    return p ? spec.current(p) : undefined;
  });
  const summary = useMemo(() => summaryText(spec.title, spec.unit, rangeWords, series, current), [spec.title, spec.unit, rangeWords, series, current]);
  return (
    <figure className="chart" aria-label={`${spec.title}, ${current === undefined ? 'no value yet' : `${fmt(current)} ${spec.unit}`}`}>
      <figcaption>
        <span>{spec.title}</span>
        <span className="mono current">
          {current === undefined ? '–' : fmt(current)} <span className="muted">{spec.unit}</span>
        </span>
      </figcaption>
      {note ? <p className="muted chart-note">{note}</p> : null}
      <p className="sr-only" data-testid="chart-summary">
        {summary}
      </p>
      {children}
    </figure>
  );
}

interface PlotProps {
  rows: Row[];
  lines: LineDef[];
  /** The hidden lines' keys joined: a string, so an unchanged set does not redraw. */
  hiddenKey: string;
  domain: [number, number];
  top: number;
  unit: string;
  markers: MetricMarker[];
  stepMs: number;
  onZoom(span: Span): void;
  describedBy: string;
}

/** The SVG, redrawn only when its rows, lines, axes or markers change (not when the current value does). */
const Plot = memo(function Plot({ rows, lines, hiddenKey, domain, top, unit, markers, stepMs, onZoom, describedBy }: PlotProps) {
  const [drag, setDrag] = useState<{ a: number; b: number } | undefined>();
  const hidden = useMemo(() => new Set(hiddenKey ? hiddenKey.split('\0') : []), [hiddenKey]);
  const span = domain[1] - domain[0];
  const ticks = useMemo(() => timeTicks(domain[0], domain[1], 5), [domain]);
  const drawn = useMemo(() => markers.filter((m) => m.t >= domain[0] && m.t <= domain[1]).slice(-MAX_DRAWN_MARKERS), [markers, domain]);
  const at = (s: { activeLabel?: string | number | undefined }) => (s.activeLabel === undefined ? undefined : Number(s.activeLabel));
  return (
    <div className="plot" aria-describedby={describedBy} title="Drag across the chart to zoom into that span">
      <LineChart
        responsive
        style={{ width: '100%', height: HEIGHT }}
        data={rows}
        margin={{ top: 10, right: 10, bottom: 0, left: 0 }}
        onMouseDown={(s) => {
          const t = at(s);
          if (t !== undefined) setDrag({ a: t, b: t });
        }}
        onMouseMove={(s) => {
          const t = at(s);
          if (drag && t !== undefined && t !== drag.b) setDrag({ a: drag.a, b: t });
        }}
        onMouseUp={() => {
          if (!drag) return;
          setDrag(undefined);
          const from = Math.min(drag.a, drag.b);
          const to = Math.max(drag.a, drag.b);
          if (to - from >= Math.max(2 * stepMs, 5_000)) onZoom({ from, to: to + stepMs });
        }}
        onMouseLeave={() => setDrag(undefined)}
      >
        <XAxis
          dataKey="t"
          type="number"
          domain={domain}
          allowDataOverflow
          ticks={ticks}
          tickFormatter={(t: number) => formatTick(t, span)}
          tick={{ fontSize: 10 }}
          height={20}
        />
        <YAxis
          domain={[0, top]}
          ticks={[0, top / 2, top]}
          allowDataOverflow
          width={64}
          tick={{ fontSize: 10 }}
          tickFormatter={(v: number) => `${Number(v.toPrecision(3))} ${unit}`}
        />
        <Tooltip
          isAnimationActive={false}
          labelFormatter={(t) => formatMoment(Number(t))}
          formatter={(v, name) => [v === undefined || v === null ? '–' : `${fmt(Number(v))} ${unit}`, name]}
        />
        {drawn.map((m, i) => (
          <ReferenceLine
            key={`${m.t}-${i}`}
            x={m.t}
            stroke={MARKER_COLOURS[m.kind]}
            strokeDasharray="3 3"
            ifOverflow="hidden"
            label={(p: { viewBox?: { x?: number; y?: number } }) => (
              <g className="marker-label">
                <title>{`${formatMoment(m.t)}: ${m.text}`}</title>
                <text x={(p.viewBox?.x ?? 0) + 2} y={(p.viewBox?.y ?? 0) + 9} fontSize={10} fill={MARKER_COLOURS[m.kind]}>
                  {MARKER_GLYPH[m.kind]}
                </text>
              </g>
            )}
          />
        ))}
        {lines.map((l, i) => (
          <Line
            key={l.key}
            className={`s${i}`}
            dataKey={`s${i}`}
            name={l.label}
            hide={hidden.has(l.key)}
            stroke={COLOURS[i % COLOURS.length]}
            strokeWidth={l.main ? 1.8 : 1}
            strokeDasharray={l.dashed ? '4 3' : undefined}
            dot={false}
            activeDot={false}
            isAnimationActive={false}
            connectNulls
          />
        ))}
        {drag && drag.a !== drag.b ? <ReferenceArea x1={Math.min(drag.a, drag.b)} x2={Math.max(drag.a, drag.b)} fill="#2563eb" fillOpacity={0.15} /> : null}
      </LineChart>
    </div>
  );
});

/** The chart's newest points as a table, for those who read figures rather than lines. */
const FigureTable = memo(function FigureTable({ title, unit, rows, lines }: { title: string; unit: string; rows: Row[]; lines: { l: LineDef; i: number }[] }) {
  const last = rows.slice(-TABLE_ROWS).reverse();
  return (
    <div className="figure-table">
      <table>
        <caption>
          {title} ({unit}), the newest {last.length} of {rows.length} points
        </caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {lines.map(({ l }) => (
              <th key={l.key} scope="col">
                {l.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {last.map((r) => (
            <tr key={r.t}>
              <th scope="row" className="mono">
                {formatMoment(r.t)}
              </th>
              {lines.map(({ l, i }) => {
                const v = r[`s${i}`];
                return (
                  <td key={l.key} className="mono num">
                    {v === undefined ? '–' : fmt(v)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
