import type { GlanceRow } from '../../../../main/common/metrics-model';
import { cpuText, errorRateText, latestCpu, latestRps, p95Text, rpsShort, rpsText } from './figures';
import { Sparkline } from './Sparkline';

/** The four figure cells of a service's row: CPU and request-rate sparklines, error rate, p95. */
export function FigureCells({ glance: g }: { glance: GlanceRow | undefined }) {
  const cpu = latestCpu(g);
  const rps = latestRps(g);
  const errors = errorRateText(g?.errorRate);
  const p95 = p95Text(g?.p95Ms);
  return (
    <>
      <td role="cell" className="spark-cell">
        <Sparkline label="CPU" values={g?.cpu} current={cpuText(cpu)} floor={5} />
      </td>
      <td role="cell" className="spark-cell">
        <Sparkline label="Requests" values={g?.rps} current={rpsText(rps)} shown={rpsShort(rps)} floor={1} />
      </td>
      <td role="cell" className="mono num" aria-label={errors ? `Error rate ${errors}` : 'Error rate not measured'}>
        {errors ?? '–'}
      </td>
      <td role="cell" className="mono num" aria-label={p95 ? `p95 ${p95}` : 'p95 not measured'}>
        {p95 ?? '–'}
      </td>
    </>
  );
}

/** Their headers, as [label, sort key, numeric]. */
export const FIGURE_COLUMNS = [
  ['CPU', 'cpu', false],
  ['Requests', 'rps', false],
  ['Error rate', 'errors', true],
  ['p95', 'p95', true],
] as const;
