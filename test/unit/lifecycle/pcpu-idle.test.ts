// The per-physical-CPU idle stream, on its real output recorded from the lab (2 pCPUs).
import { describe, expect, it } from 'vitest';
import { PcpuUsage, parsePcpuIdleLine } from '../../../electron/drivers/xl/parse';
import { pcpuIdleArgv } from '../../../electron/drivers/xl/pcpuIdle';
import { labFixture } from '../../fixtures/lab';

const fx = labFixture('pcpu-idle');
const lines = fx.stdout.trim().split('\n');

describe('pcpu idle stream', () => {
  it('is recorded from the script Domus runs', () => {
    expect(fx.argv).toEqual(pcpuIdleArgv(4));
    expect(fx.exitCode).toBe(0);
    expect(lines).toHaveLength(4);
  });

  it('parses each line into the clock and one idle counter per CPU', () => {
    const samples = lines.map(parsePcpuIdleLine);
    for (const s of samples) {
      expect(s?.kind).toBe('sample');
      if (s?.kind === 'sample') expect(s.idleNs).toHaveLength(2);
    }
    const [a, b] = samples as { kind: 'sample'; timeNs: number; idleNs: number[] }[];
    // About a second apart on the host's monotonic clock; idle counters never go back.
    expect(b.timeNs - a.timeNs).toBeGreaterThan(0.9e9);
    expect(b.timeNs - a.timeNs).toBeLessThan(3e9);
    expect(b.idleNs[0]).toBeGreaterThanOrEqual(a.idleNs[0]);
  });

  it('turns consecutive samples into busy % per CPU', () => {
    const usage = new PcpuUsage();
    const samples = lines.map((l) => parsePcpuIdleLine(l)).filter((s) => s?.kind === 'sample');
    expect(usage.push(samples[0] as never)).toBeNull();
    for (let i = 1; i < samples.length; i++) {
      const [prev, cur] = [samples[i - 1], samples[i]] as { timeNs: number; idleNs: number[] }[];
      const busy = usage.push(cur)!;
      expect(busy).toHaveLength(2);
      for (let c = 0; c < 2; c++) {
        const want = 100 * (1 - (cur.idleNs[c] - prev.idleNs[c]) / (cur.timeNs - prev.timeNs));
        expect(busy[c]).toBeCloseTo(Math.min(100, Math.max(0, want)), 6);
        expect(busy[c]).toBeGreaterThanOrEqual(0);
        expect(busy[c]).toBeLessThanOrEqual(100);
      }
    }
  });

  it('ignores other lines and reports the script\'s own error line', () => {
    expect(parsePcpuIdleLine('')).toBeNull();
    expect(parsePcpuIdleLine('idle 12 x')).toBeNull();
    expect(parsePcpuIdleLine('error libxenctrl not found')).toEqual({ kind: 'error', message: 'libxenctrl not found' });
  });

  it('starts afresh when the number of CPUs changes', () => {
    const usage = new PcpuUsage();
    usage.push({ timeNs: 0, idleNs: [0, 0] });
    expect(usage.push({ timeNs: 1e9, idleNs: [5e8, 0, 0] })).toBeNull();
    expect(usage.push({ timeNs: 2e9, idleNs: [1e9, 1e9, 2.5e8] })).toEqual([50, 0, 75]);
  });
});
