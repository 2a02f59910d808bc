import { useEffect, useRef, useState } from 'react';
import { Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatError, type ApiErrorBody } from '../../../../main/common/errors';
import type { MetricPoint, Service } from '../../../../main/common/model';
import { api } from '../../api/instance';
import { useEnvironment } from '../../store/environments';

const WINDOW = 120; // points on screen: two minutes at one a second
const COLOURS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#65a30d'];

interface ChartSpec {
  title: string;
  unit: string;
  /** One line per key; values come from `pick`. */
  lines: { key: string; label: string }[];
  pick(p: MetricPoint, key: string): number | undefined;
  /** Axes that never jump: at least this high, and rounded up to a step. */
  floor: number;
  /** A line under the title: what the figure leaves out. */
  note?: string;
}

/** CPU, memory, network, and the service's own requests, errors and latency: live, fixed axes, no animation. */
export function MetricsPanel({ service }: { service: Service }) {
  const env = useEnvironment(service.envId);
  const [points, setPoints] = useState<MetricPoint[]>([]);
  const [ended, setEnded] = useState<ApiErrorBody | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const buffer = useRef<MetricPoint[]>([]);

  useEffect(() => {
    buffer.current = [];
    setPoints([]);
    setEnded(undefined);
    setProblem(undefined);
    // Points arrive once a second; React re-renders with them, never more often.
    return api.subscribe(
      'metrics.watch',
      { envId: service.envId, serviceId: service.id },
      (e) => {
        if (e.kind === 'problem') return setProblem(e.message);
        setProblem(undefined);
        buffer.current = (e.kind === 'history' ? e.points : [...buffer.current, e.point]).slice(-WINDOW);
        setPoints(buffer.current);
      },
      (err) => err && setEnded(err),
    );
  }, [service.envId, service.id]);

  const names = [...new Set(points.flatMap((p) => Object.keys(p.instances)))].sort();
  const perInstance = (title: string, unit: string, field: 'cpuPercent' | 'memMiB', total: 'cpuPercent' | 'memMiB', floor: number): ChartSpec => ({
    title,
    unit,
    floor,
    lines: names.length > 1 ? [{ key: '__total', label: 'all' }, ...names.map((n) => ({ key: n, label: n }))] : [{ key: '__total', label: title }],
    pick: (p, key) => (key === '__total' ? p[total] : p.instances[key]?.[field]),
  });
  const hasRequests = points.some((p) => p.rps !== undefined);
  const hasNetwork = points.some((p) => p.rxKBps !== undefined);
  const probeRps = points.at(-1)?.probeRps;
  const probesNote = `probes (/health, /ready, /metrics) left out${probeRps === undefined ? '' : `: ${fmt(probeRps)} req/s of them`}`;
  const charts: ChartSpec[] = [
    perInstance('CPU', '%', 'cpuPercent', 'cpuPercent', 10),
    perInstance('Memory', 'MiB', 'memMiB', 'memMiB', 64),
    ...(hasNetwork
      ? [
          {
            title: 'Network',
            unit: 'KB/s',
            floor: 10,
            lines: [
              { key: 'rx', label: 'in' },
              { key: 'tx', label: 'out' },
            ],
            pick: (p: MetricPoint, k: string) => (k === 'rx' ? p.rxKBps : p.txKBps),
          },
        ]
      : []),
    ...(hasRequests
      ? [
          { title: 'Requests', unit: 'req/s', floor: 5, lines: [{ key: 'rps', label: 'requests' }], pick: (p: MetricPoint) => p.rps, note: probesNote },
          {
            title: 'Errors (5xx)',
            unit: 'err/s',
            floor: 1,
            lines: [{ key: 'err', label: '5xx' }],
            pick: (p: MetricPoint) => p.errorsPerSecond,
            note: 'probes left out',
          },
          { title: 'Latency p95', unit: 'ms', floor: 50, lines: [{ key: 'p95', label: 'p95' }], pick: (p: MetricPoint) => p.p95Ms, note: 'probes left out' },
        ]
      : []),
  ];

  return (
    <section className="metrics" aria-label="Metrics">
      {ended ? (
        <p role="alert" className="error">
          {formatError(ended)}
        </p>
      ) : problem ? (
        <p role="alert" className="error">
          {problem}
        </p>
      ) : points.length === 0 ? (
        <p role="status" className="progress">
          <span className="spinner" aria-hidden="true" /> Collecting the first samples…
        </p>
      ) : null}
      <div className="charts">
        {charts.map((c) => (
          <Chart key={c.title} spec={c} points={points} />
        ))}
      </div>
      {points.length > 0 && !hasRequests ? (
        <p className="muted note">
          {env && !env.capabilities.metrics.includes('requests')
            ? 'CPU and memory come from the cluster’s metrics API. Request figures need the pods’ own /metrics, which Fleetdeck does not reach on pod addresses.'
            : 'No request figures: none of this service’s instances publishes Prometheus /metrics (with http_requests_total) on a port of 127.0.0.1.'}
        </p>
      ) : null}
    </section>
  );
}

function Chart({ spec, points }: { spec: ChartSpec; points: MetricPoint[] }) {
  const data = points.map((p) => {
    const row: Record<string, number | undefined> = { t: p.t };
    for (const l of spec.lines) row[l.key] = spec.pick(p, l.key);
    return row;
  });
  const max = Math.max(spec.floor, ...data.flatMap((r) => spec.lines.map((l) => r[l.key] ?? 0)));
  const top = niceCeil(max);
  const current = points.at(-1) ? spec.pick(points.at(-1)!, spec.lines[0]!.key) : undefined;
  const now = points.at(-1)?.t ?? 0;
  return (
    <figure className="chart" aria-label={`${spec.title}, ${current === undefined ? 'no value yet' : `${fmt(current)} ${spec.unit}`}`}>
      <figcaption>
        <span>{spec.title}</span>
        <span className="mono current">
          {current === undefined ? '–' : fmt(current)} <span className="muted">{spec.unit}</span>
        </span>
      </figcaption>
      {spec.note ? (
        <p className="muted chart-note" style={{ margin: '0 0 4px', fontSize: 11 }}>
          {spec.note}
        </p>
      ) : null}
      <LineChart width={340} height={130} data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <XAxis dataKey="t" type="number" domain={[now - WINDOW * 1000, now]} tick={false} height={4} />
        <YAxis domain={[0, top]} allowDataOverflow width={58} tickCount={3} tick={{ fontSize: 10 }} tickFormatter={(v: number) => `${v} ${spec.unit}`} />
        <Tooltip
          isAnimationActive={false}
          labelFormatter={(t) => new Date(Number(t)).toLocaleTimeString()}
          formatter={(v) => [`${fmt(Number(v))} ${spec.unit}`]}
        />
        {spec.lines.map((l, i) => (
          <Line
            key={l.key}
            dataKey={l.key}
            name={l.label}
            stroke={COLOURS[i % COLOURS.length]}
            strokeWidth={i === 0 ? 1.8 : 1}
            dot={false}
            activeDot={false}
            isAnimationActive={false}
            connectNulls
          />
        ))}
      </LineChart>
    </figure>
  );
}

function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}
