import { memo } from 'react';
import { sparklinePath, sparkText, trend } from './sparkline';
import './glance.css';

const WIDTH = 48;
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
        {/* The floor across the whole span, so a line that starts late reads as "measured since", not as a broken cell. */}
        <line className="spark-base" x1={0} y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} />
        {d ? <path d={d} /> : null}
      </svg>
      <span className="spark-value" aria-hidden="true">
        {shown ?? '–'}
      </span>
      <span className="sr-only">{sparkText(label, current, values ? trend(values) : undefined)}</span>
    </span>
  );
});
