import { memo } from 'react';
import { sparklinePath, sparkText, trend } from './sparkline';
import './glance.css';

const WIDTH = 60;
const HEIGHT = 16;

/**
 * A sparkline cell's content: a tiny inline SVG (hundreds of rows stay cheap, unlike a chart
 * each) beside the latest value; screen readers get one sentence instead ("CPU 12 %, rising").
 */
export const Sparkline = memo(function Sparkline({
  label,
  values,
  current,
  shown = current,
  floor,
}: {
  label: string;
  values: readonly (number | null)[] | undefined;
  /** The latest value in words, with its unit, for screen readers. */
  current: string | undefined;
  /** What the cell shows beside the line, where shorter than `current` ("3/s"). */
  shown?: string | undefined;
  /** The scale's top at least this. */
  floor: number;
}) {
  const d = values ? sparklinePath(values, { width: WIDTH, height: HEIGHT, floor }) : '';
  return (
    <span className="spark">
      <svg className="spark-line" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true" focusable="false">
        {d ? <path d={d} /> : null}
      </svg>
      <span className="spark-value" aria-hidden="true">
        {shown ?? '–'}
      </span>
      <span className="sr-only">{sparkText(label, current, values ? trend(values) : undefined)}</span>
    </span>
  );
});
