import { useMemo, useState } from 'react';
import { Bar, BarChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LogHistogram } from '../../../../main/common/log-store-model';
import { timeLabel } from './hit-format';

interface Point {
  t: number;
  lines: number;
}

/** Matching lines over time; dragging across it picks that range (as Kibana's Discover does). */
export function LogHistogramChart({ histogram, onSelect }: { histogram: LogHistogram; onSelect(from: number, to: number): void }) {
  const data = useMemo<Point[]>(() => histogram.counts.map((lines, i) => ({ t: histogram.from + i * histogram.step, lines })), [histogram]);
  const [drag, setDrag] = useState<{ a: number; b: number } | undefined>();
  const total = histogram.counts.reduce((a, b) => a + b, 0);
  const at = (e: unknown) => (e as { activeLabel?: number } | null)?.activeLabel;
  return (
    <figure className="log-histogram" aria-label={`${total} matching lines over time; drag across the chart to search a narrower range`}>
      <ResponsiveContainer width="100%" height={90}>
        <BarChart
          data={data}
          margin={{ top: 4, right: 8, bottom: 0, left: 0 }}
          onMouseDown={(e) => {
            const t = at(e);
            if (t !== undefined) setDrag({ a: t, b: t });
          }}
          onMouseMove={(e) => {
            const t = at(e);
            if (drag && t !== undefined) setDrag({ ...drag, b: t });
          }}
          onMouseUp={() => {
            if (drag) {
              const from = Math.min(drag.a, drag.b);
              const to = Math.max(drag.a, drag.b) + histogram.step;
              setDrag(undefined);
              onSelect(from, to);
            }
          }}
        >
          <XAxis dataKey="t" type="category" tickFormatter={(t: number) => timeLabel(t).replace(/\.\d+$/, '')} minTickGap={40} fontSize={11} />
          <YAxis allowDecimals={false} width={40} fontSize={11} />
          <Tooltip labelFormatter={(t) => timeLabel(Number(t))} formatter={(v) => [`${String(v)} lines`, 'Matching']} />
          <Bar dataKey="lines" fill="var(--accent)" isAnimationActive={false} />
          {drag ? <ReferenceArea x1={drag.a} x2={drag.b} strokeOpacity={0.3} /> : null}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
