// One uPlot chart of a few series over time. The data comes from the backend's ring buffers.
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

// uPlot touches matchMedia when it loads: load it when the first chart mounts, not with the app.
let uplotModule: Promise<typeof uPlot> | null = null;
const loadUplot = () => (uplotModule ??= import('uplot').then((m) => m.default));

// The axes' font, set rather than uPlot's default so that the y axis can be sized to its labels.
const AXIS_FONT = '12px system-ui, sans-serif';
let measure: CanvasRenderingContext2D | null = null;

/**
 * The y axis as wide as its widest label (plus uPlot's tick and gap): a fixed width cut labels such
 * as "600000 MiB" or "3200 % / 6400" at the chart's left edge.
 */
function yAxisSize(_u: uPlot, values: string[] | null): number {
  if (!values?.length) return 40;
  measure ??= document.createElement('canvas').getContext('2d');
  if (!measure) return 80;
  measure.font = AXIS_FONT;
  const widest = Math.max(...values.map((v) => measure!.measureText(v).width));
  // tick (10) + gap (5) + a few pixels of air at the edge, rounded up.
  return Math.ceil(widest + 10 + 5 + 6);
}

export interface ChartSeries {
  label: string;
  color: string;
  values: (number | null)[];
}

/** range: a fixed y range (grown when a value lies outside), e.g. [0, 100] for a CPU's busy %. */
export function TimeChart({ title, t, series, unit, ariaLabel, range }: { title: string; t: number[]; series: ChartSeries[]; unit: string; ariaLabel: string; range?: [number, number] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => s.label).join('|');

  const data = useRef<uPlot.AlignedData>([t, ...series.map((s) => s.values)] as uPlot.AlignedData);
  data.current = [t, ...series.map((s) => s.values)] as uPlot.AlignedData;

  useEffect(() => {
    if (!box.current) return;
    let gone = false;
    let ro: ResizeObserver | null = null;
    void loadUplot().then((UPlot) => {
      if (gone || !box.current) return;
      const opts: uPlot.Options = {
      title,
      width: Math.max(300, box.current.clientWidth || 600),
      height: 180,
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, value: (_u: uPlot, v: number | null) => (v == null ? '–' : `${v.toFixed(1)} ${unit}`) }))],
      axes: [{ font: AXIS_FONT }, { font: AXIS_FONT, size: yAxisSize, values: (_u, vals) => vals.map((v) => `${v} ${unit}`) }],
      scales: { y: { range: (_u, min, max) => (range ? [Math.min(range[0], min), Math.max(range[1], max)] : [Math.min(0, min), Math.max(1, max)]) } },
    };
      plot.current = new UPlot(opts, data.current, box.current);
      ro = new ResizeObserver(() => box.current && plot.current?.setSize({ width: Math.max(300, box.current.clientWidth), height: 180 }));
      ro.observe(box.current);
    });
    return () => {
      gone = true;
      ro?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt only when the set of series changes; data updates go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, title, unit, range?.[0], range?.[1]]);

  useEffect(() => {
    plot.current?.setData(data.current);
  }, [t, series]);

  return <div ref={box} role="img" aria-label={ariaLabel} className="domus-chart" />;
}
