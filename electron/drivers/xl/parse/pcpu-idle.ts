// The per-physical-CPU idle stream (electron/drivers/xl/pcpuIdle.ts): one line a second,
// "idle <monotonic ns> <idle ns of CPU 0> <idle ns of CPU 1> …", or "error <why>" before it ends.

export type PcpuIdleLine = { kind: 'sample'; timeNs: number; idleNs: number[] } | { kind: 'error'; message: string };

export function parsePcpuIdleLine(line: string): PcpuIdleLine | null {
  const words = line.trim().split(/\s+/);
  if (words[0] === 'error') return { kind: 'error', message: line.trim().slice(6) };
  if (words[0] !== 'idle' || words.length < 3) return null;
  const nums = words.slice(1).map(Number);
  if (nums.some((n) => !Number.isFinite(n) || n < 0)) return null;
  return { kind: 'sample', timeNs: nums[0], idleNs: nums.slice(1) };
}

/** Busy % per physical CPU between consecutive samples (100 % = that CPU never idle). */
export class PcpuUsage {
  private last: { timeNs: number; idleNs: number[] } | null = null;

  /** The busy % of each CPU since the previous sample; null for the first sample, or when the
   *  number of CPUs changed (a CPU brought on- or offline) or the clock did not advance. */
  push(sample: { timeNs: number; idleNs: number[] }): number[] | null {
    const prev = this.last;
    this.last = sample;
    if (!prev || prev.idleNs.length !== sample.idleNs.length) return null;
    const dt = sample.timeNs - prev.timeNs;
    if (dt <= 0) return null;
    return sample.idleNs.map((idle, i) => {
      const busy = 100 * (1 - (idle - prev.idleNs[i]) / dt);
      // The idle counter and the clock are read a few µs apart: keep rounding inside 0…100.
      return Math.min(100, Math.max(0, busy));
    });
  }
}
