// The fuzz loop: mutated recordings through each target, timed one by one. Shared by the CLI
// (`npm run fuzz`) and the short fixed-seed run in the unit tests.
import { performance } from 'node:perf_hooks';
import { mutate, rng } from './mutate';
import type { FuzzTarget } from './targets';

/** An input slower than this is a finding: a host must not be able to make Domus spin. */
export const SLOW_MS = 100;

export interface Finding {
  kind: 'crash' | 'slow' | 'non-finite';
  iteration: number;
  mutations: string[];
  what: string;
  inputLength: number;
  input: string;
}

export interface TargetReport {
  target: string;
  inputs: number;
  /** Typed parse errors: the parser said, in its own words, that the text is not its output. */
  refused: number;
  crashes: number;
  slow: number;
  /** Outputs holding NaN or ±Infinity, which the contract cannot carry to the UI. */
  nonFinite: number;
  maxMs: number;
  findings: Finding[];
}

/** Per target its own stream of random numbers, so a target's run repeats on its own. */
function targetSeed(seed: number, name: string): number {
  let h = seed >>> 0;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** The path to the first NaN / Infinity in a value, or null. `config` is xl's raw JSON, kept as printed. */
export function nonFinitePath(value: unknown, seen = new Set<unknown>(), path = '$'): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (!value || typeof value !== 'object' || seen.has(value)) return null;
  seen.add(value);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  for (const [k, v] of entries) {
    if (k === 'config') continue;
    const found = nonFinitePath(v, seen, `${path}.${String(k)}`);
    if (found) return found;
  }
  return null;
}

function time(run: () => unknown): { ms: number; value?: unknown; error?: unknown } {
  const start = performance.now();
  try {
    const value = run();
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

export function fuzzTarget(
  t: FuzzTarget,
  opts: { seed: number; iterations: number; keepFindings?: number; slowMs?: number },
): TargetReport {
  const slowMs = opts.slowMs ?? SLOW_MS;
  const r = rng(targetSeed(opts.seed, t.name));
  const report: TargetReport = { target: t.name, inputs: 0, refused: 0, crashes: 0, slow: 0, nonFinite: 0, maxMs: 0, findings: [] };
  const keep = opts.keepFindings ?? 5;
  const note = (f: Finding) => report.findings.length < keep && report.findings.push(f);
  for (let i = 0; i < opts.iterations; i++) {
    const { input, applied } = mutate(r, t.seeds[i % t.seeds.length]);
    let res = time(() => t.run(input));
    // A pause of the machine (a GC, another process) is not the parser's: slow means slow twice.
    if (res.ms > slowMs) {
      const again = time(() => t.run(input));
      if (again.ms < res.ms) res = again;
    }
    report.inputs++;
    report.maxMs = Math.max(report.maxMs, res.ms);
    const base = { iteration: i, mutations: applied, inputLength: input.length, input };
    if (res.ms > slowMs) {
      report.slow++;
      note({ kind: 'slow', what: `${res.ms.toFixed(0)} ms`, ...base });
    }
    if (res.error !== undefined) {
      if (t.typed(res.error)) report.refused++;
      else {
        report.crashes++;
        const e = res.error as Error;
        note({ kind: 'crash', what: `${e?.name}: ${String(e?.message).slice(0, 200)}`, ...base });
      }
      continue;
    }
    const bad = nonFinitePath(res.value);
    if (bad) {
      report.nonFinite++;
      note({ kind: 'non-finite', what: bad, ...base });
    }
  }
  return report;
}
