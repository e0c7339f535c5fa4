// What a bench piece returns, the goals the figures are held to, and the table both the terminal
// and the README show. One place, so the README's table is always what bench-results.json says.
import { median } from './stats';

/** A measured figure: its median as `value`, every sample, and ratios against the plain way. */
export interface Figure {
  value: number;
  unit: string;
  samples?: number[];
  [k: string]: number | string | number[] | undefined;
}
export type Figures = Record<string, Figure>;

export interface BenchResults {
  /** ISO time the run ended, and the commit measured. */
  at: string;
  commit: string;
  figures: Figures;
  /** Pieces that failed in the run that wrote this file, with their error. */
  failed: Record<string, string>;
}

/** A figure from its samples: the median is the value (a single outlier does not move it). */
export function fromSamples(samples: number[], unit: string, extra: Omit<Figure, 'value' | 'unit' | 'samples'> = {}): Figure {
  if (!samples.length) throw new Error('a figure needs at least one sample');
  return { value: median(samples), unit, samples: samples.map((s) => Math.round(s * 1000) / 1000), ...extra };
}

/** The goals from the performance issue: a figure (or one of its ratios) at most `max`. */
export const GOALS: { figure: string; ratio?: string; max: number; what: string }[] = [
  { figure: 'console.echo_ms', ratio: 'vs_ssh', max: 1.2, what: 'console echo vs ssh -tt' },
  { figure: 'create.wizard_ms', ratio: 'vs_xl_by_hand', max: 1.1, what: 'create vs xl by hand' },
  { figure: 'inventory.cached_list_ms', max: 11, what: 'list of 1,000 guests from the live cache (ms)' },
  { figure: 'monitoring.idle_dom0_cpu_pct', max: 0.5, what: 'idle monitoring, % of a dom0 core' },
  { figure: 'renderer.first_render_1000_ms', max: 300, what: 'first render of 1,000 guests (ms)' },
];

export function goalValue(figures: Figures, g: (typeof GOALS)[number]): number | null {
  const f = figures[g.figure];
  if (!f) return null;
  const v = g.ratio ? f[g.ratio] : f.value;
  return typeof v === 'number' ? v : null;
}

const fmt = (v: number, unit = ''): string =>
  unit === '%' ? v.toFixed(2) : unit === 'MB/s' ? v.toFixed(3) : Math.abs(v) < 10 ? v.toFixed(2) : Math.abs(v) < 100 ? v.toFixed(1) : v.toFixed(0);

function spread(f: Figure): string {
  const s = f.samples;
  if (!s || s.length < 2) return '';
  return `${fmt(Math.min(...s), f.unit)}–${fmt(Math.max(...s), f.unit)} (n=${s.length})`;
}

function extras(f: Figure): string {
  return Object.entries(f)
    .filter(([k, v]) => !['value', 'unit', 'samples'].includes(k) && v !== undefined && !Array.isArray(v))
    .map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`)
    .join(', ');
}

/** A Markdown table of every figure, then one line per goal. */
export function markdownTable(r: BenchResults): string {
  const rows = Object.entries(r.figures).map(([name, f]) => `| \`${name}\` | ${fmt(f.value, f.unit)} ${f.unit} | ${spread(f)} | ${extras(f)} |`);
  const goals = GOALS.map((g) => {
    const v = goalValue(r.figures, g);
    const verdict = v === null ? 'not measured' : v <= g.max ? 'met' : 'MISSED';
    return `| ${g.what} | ≤ ${g.max} | ${v === null ? '—' : fmt(v)} | ${verdict} |`;
  });
  const failed = Object.entries(r.failed).map(([p, e]) => `- piece \`${p}\` failed: ${e.split('\n')[0]}`);
  return [
    `Measured ${r.at.slice(0, 16).replace('T', ' ')} UTC at commit ${r.commit.slice(0, 10)} (value = median of the samples).`,
    '',
    '| figure | value | samples (min–max) | beside it |',
    '|---|---|---|---|',
    ...rows,
    '',
    '| goal | at most | measured | |',
    '|---|---|---|---|',
    ...goals,
    ...(failed.length ? ['', ...failed] : []),
  ].join('\n');
}
