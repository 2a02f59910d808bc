import { useCallback, useMemo, useState, type KeyboardEvent } from 'react';
import { formatError } from '../../../../main/common/errors';
import { METRIC_RANGES, type MetricMarker, type MetricRangeName } from '../../../../main/common/metrics-model';
import type { MetricPoint, Service } from '../../../../main/common/model';
import { plainText } from '../../../../main/common/output-policy';
import { useEnvironment } from '../../store/environments';
import { MARKER_COLOURS, MetricChart, type ChartSpec } from './MetricChart';
import { instanceNames, MANY_INSTANCES } from '../../../../main/common/metric-points';
import { fmt, formatMoment, instanceLines, LIVE_RANGES, RANGE_BUTTON, RANGE_WORDS } from './series';
import { useLive, useLiveFigures, useMetricsHistory, type LiveFigures, type Span } from './useMetricsHistory';
import './metrics.css';

const RANGES = Object.keys(METRIC_RANGES) as MetricRangeName[];
/** Events listed below the charts at most (the newest). */
const MAX_LISTED = 100;
const KIND_WORDS: Record<MetricMarker['kind'], string> = { scale: 'Scale', restart: 'Restart', deploy: 'Deploy', crash: 'Crash', breaker: 'Breaker' };

/**
 * CPU, memory, network, requests and latency of a service over a chosen range (15 min to 7 days,
 * or a span dragged on a chart), from the recorder's store; the short ranges follow the present.
 */
export function MetricsPanel({ service }: { service: Service }) {
  const env = useEnvironment(service.envId);
  const [range, setRange] = useState<MetricRangeName>('1h');
  const [zoom, setZoom] = useState<Span | undefined>();
  const [attempt, setAttempt] = useState(0);
  const [everyInstance, setEveryInstance] = useState(false);
  const [showProbes, setShowProbes] = useState(false);
  const history = useMetricsHistory(service.envId, service.id, range, zoom, attempt, everyInstance);
  const live = useLiveFigures(service.envId, service.id, attempt, history.feed);
  const { points, domain, stepMs, status } = history;
  const hasLatest = useLive(live, (l) => l?.latest !== undefined);
  const rangeWords = zoom ? `the span ${formatMoment(zoom.from)} to ${formatMoment(zoom.to)}` : RANGE_WORDS[range];

  const choose = (r: MetricRangeName) => {
    setRange(r);
    setZoom(undefined);
  };
  const onZoom = useCallback((s: Span) => setZoom(s), []);
  const retry = () => setAttempt((a) => a + 1);

  const rangeNames = useMemo(() => [...new Set([...history.names, ...instanceNames(points)])], [history.names, points]);
  // An instance that just started is named before its first bucket closes.
  const latestKey = useLive(live, (l) => (l?.latest ? Object.keys(l.latest.instances).sort().join('\0') : ''));
  const names = useMemo(() => [...new Set([...rangeNames, ...(latestKey ? latestKey.split('\0') : [])])].sort(), [rangeNames, latestKey]);
  const many = names.length > MANY_INSTANCES;
  const namesKey = names.join('\0');
  const hasNetwork =
    (env?.capabilities.metrics.includes('network') ?? true) &&
    (useLive(live, (l) => l?.latest?.rxKBps !== undefined) || points.some((p) => p.rxKBps !== undefined));
  const hasRequests = useLive(live, (l) => l?.latest?.rps !== undefined) || points.some((p) => p.rps !== undefined);
  const probesNote = <ProbesNote live={zoom ? undefined : live} />;

  const charts = useMemo((): ChartSpec[] => {
    const label = (n: string) => plainText(n);
    const ns = namesKey ? namesKey.split('\0') : [];
    return [
      { title: 'CPU', unit: '%', floor: 10, lines: instanceLines(points, ns, 'cpuPercent', everyInstance, label), current: (p) => p.cpuPercent },
      { title: 'Memory', unit: 'MiB', floor: 64, lines: instanceLines(points, ns, 'memMiB', everyInstance, label), current: (p) => p.memMiB },
      ...(hasNetwork
        ? [
            {
              title: 'Network',
              unit: 'KB/s',
              floor: 10,
              current: (p: MetricPoint) => (p.rxKBps === undefined ? undefined : p.rxKBps + (p.txKBps ?? 0)),
              lines: [
                { key: 'rx', label: 'in', pick: (p: MetricPoint) => p.rxKBps, main: true },
                { key: 'tx', label: 'out', pick: (p: MetricPoint) => p.txKBps },
              ],
            },
          ]
        : []),
      ...(hasRequests
        ? [
            {
              title: 'Requests',
              unit: 'req/s',
              floor: 5,
              current: (p: MetricPoint) => p.rps,
              lines: [
                { key: 'rps', label: 'requests', pick: (p: MetricPoint) => p.rps, main: true },
                { key: 'err', label: '5xx', pick: (p: MetricPoint) => p.errorsPerSecond },
                ...(showProbes ? [{ key: 'probes', label: 'probes', pick: (p: MetricPoint) => p.probeRps, dashed: true }] : []),
              ],
              tools: (
                <button type="button" className="ghost small" aria-pressed={showProbes} onClick={() => setShowProbes((v) => !v)}>
                  Show probes
                </button>
              ),
            },
            {
              title: 'Latency p95',
              unit: 'ms',
              floor: 50,
              current: (p: MetricPoint) => p.p95Ms,
              note: 'probes left out',
              lines: [{ key: 'p95', label: 'p95', pick: (p: MetricPoint) => p.p95Ms, main: true }],
            },
          ]
        : []),
    ];
    // Lines are rebuilt when the points or the instances change, not on every second's current value.
  }, [points, namesKey, everyInstance, hasNetwork, hasRequests, showProbes]);

  const markers = useMemo(() => history.markers.filter((m) => m.t >= domain[0] && m.t <= domain[1]), [history.markers, domain]);
  const ended = useLive(live, (l) => l?.ended);
  const streamError = useLive(live, (l) => (l?.ended ? formatError(l.ended) : l?.problem));
  const nothing = status === 'ready' && points.length === 0 && !hasLatest;

  return (
    <section className="metrics" aria-label="Metrics">
      <div className="metrics-toolbar">
        <RangePicker value={zoom ? undefined : range} onChange={choose} />
        {zoom ? (
          <>
            <span className="muted">
              Zoomed: {formatMoment(zoom.from)} – {formatMoment(zoom.to)}
            </span>
            <button type="button" className="secondary small" onClick={() => setZoom(undefined)}>
              Reset zoom
            </button>
          </>
        ) : (
          <span className="muted">{LIVE_RANGES.has(range) ? 'live' : 'read again every 30 s'} · drag across a chart to zoom</span>
        )}
        {many ? (
          <button type="button" className="ghost small" aria-pressed={everyInstance} onClick={() => setEveryInstance((v) => !v)}>
            Every instance ({names.length})
          </button>
        ) : null}
      </div>
      {status === 'loading' ? (
        <p role="status" className="progress">
          <span className="spinner" aria-hidden="true" /> Loading {zoom ? 'the chosen span' : RANGE_WORDS[range]}…
        </p>
      ) : null}
      {status === 'error' && history.error ? (
        <div role="alert" className="error metrics-error">
          <span>Could not read the figures: {formatError(history.error)}</span>
          <button type="button" className="secondary small" onClick={retry}>
            Retry
          </button>
        </div>
      ) : null}
      {streamError ? (
        <div role="alert" className="error metrics-error">
          <span>{streamError}</span>
          {ended ? (
            <button type="button" className="secondary small" onClick={retry}>
              Retry
            </button>
          ) : null}
        </div>
      ) : null}
      {nothing ? <p className="muted pad">No figures recorded yet for this range.</p> : null}
      {status !== 'loading' && !nothing && (points.length > 0 || hasLatest) ? (
        <>
          <div className="charts">
            {charts.map((c) => (
              <MetricChart
                key={c.title}
                spec={c}
                note={c.title === 'Requests' ? probesNote : c.note}
                points={points}
                live={zoom ? undefined : live}
                domain={domain}
                stepMs={stepMs}
                markers={markers}
                rangeWords={rangeWords}
                onZoom={onZoom}
              />
            ))}
          </div>
          {!hasRequests ? (
            <p className="muted note">
              {env && !env.capabilities.metrics.includes('requests')
                ? 'CPU and memory come from the cluster’s metrics API. Request figures need the pods’ own /metrics, which Fleetdeck does not reach on pod addresses.'
                : 'No request figures: none of this service’s instances publishes Prometheus /metrics (with http_requests_total) on a port of 127.0.0.1.'}
            </p>
          ) : null}
        </>
      ) : null}
      {status !== 'loading' ? <EventsList markers={markers} /> : null}
    </section>
  );
}

/** What the Requests chart leaves out, with the probes' rate now. */
function ProbesNote({ live }: { live: LiveFigures | undefined }) {
  const probeRps = useLive(live, (l) => l?.latest?.probeRps);
  return <>probes (/health, /ready, /metrics) left out{probeRps === undefined ? '' : `: ${fmt(probeRps)} req/s of them`}</>;
}

/** 15 min · 1 h · 24 h · 7 d, as a radio group (arrow keys move the choice). */
function RangePicker({ value, onChange }: { value: MetricRangeName | undefined; onChange(r: MetricRangeName): void }) {
  const onKey = (e: KeyboardEvent) => {
    const d = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    const i = value ? RANGES.indexOf(value) : 0;
    const next = RANGES[(i + d + RANGES.length) % RANGES.length]!;
    onChange(next);
    (e.currentTarget.querySelector(`[data-range="${next}"]`) as HTMLElement | null)?.focus();
  };
  return (
    <div role="radiogroup" aria-label="Time range" className="segmented range-picker" onKeyDown={onKey}>
      {RANGES.map((r) => (
        <button
          key={r}
          type="button"
          role="radio"
          data-range={r}
          aria-checked={value === r}
          aria-pressed={value === r}
          tabIndex={value === r || (!value && r === RANGES[0]) ? 0 : -1}
          onClick={() => onChange(r)}
        >
          {RANGE_BUTTON[r]}
        </button>
      ))}
    </div>
  );
}

function EventsList({ markers }: { markers: MetricMarker[] }) {
  const shown = markers.slice(-MAX_LISTED).reverse();
  return (
    <section className="metric-events" aria-label="Events in this range">
      <h3>Events in this range</h3>
      {shown.length === 0 ? (
        <p className="muted">Nothing happened to this service in this range (scales, restarts, new images, crashes and breaker changes show here).</p>
      ) : (
        <ul>
          {shown.map((m, i) => (
            <li key={`${m.t}-${i}`}>
              <time className="mono muted" dateTime={new Date(m.t).toISOString()}>
                {formatMoment(m.t)}
              </time>{' '}
              <span className="marker-kind" style={{ borderColor: MARKER_COLOURS[m.kind] }}>
                {KIND_WORDS[m.kind]}
              </span>{' '}
              {plainText(m.text)}
            </li>
          ))}
          {markers.length > shown.length ? <li className="muted">and {markers.length - shown.length} earlier</li> : null}
        </ul>
      )}
    </section>
  );
}
