// The monitor stream (one python3 in dom0 instead of xentop and a per-CPU reader), on its real
// output recorded from the lab: Domain-0 and three kit guests, 2 physical CPUs.
import {
  MonitorRates,
  MonitorStream,
  PcpuUsage,
  type MonitorBlock,
  type MonitorItem,
} from '../../../electron/drivers/xl/parse';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LIVE_IDLE_SECONDS, liveRateLine, MONITOR_SCRIPT, monitorArgv } from '../../../electron/drivers/xl/monitor';
import { labFixture } from '../../fixtures/lab';

const fx = labFixture('monitor');
const blocks = (items: MonitorItem[]) => items.flatMap((i) => (i.kind === 'block' ? [i.block] : []));
const recorded = blocks(new MonitorStream().push(fx.stdout));

describe('monitor stream', () => {
  it('is recorded from the script Domus runs', () => {
    expect(fx.argv).toEqual(monitorArgv(3));
    expect(fx.exitCode).toBe(0);
    expect(recorded).toHaveLength(3);
  });

  it('reads each block: clock, host memory, idle time per CPU, and every domain by name', () => {
    for (const b of recorded) {
      expect(b.idleNs).toHaveLength(2);
      expect(b.hostMemBytes).toBe(2146938880);
      expect(b.domains.map((d) => d.name)).toEqual(['Domain-0', 'kit-pv', 'kit-pvh', 'kit-pvnet']);
    }
    const d0 = recorded[0].domains[0];
    expect(d0).toMatchObject({ domid: 0, stateText: '-----r', memBytes: 1073741824, maxMemBytes: 1073741824 });
    // About a second apart on the host's monotonic clock; counters never go back.
    const [a, b] = recorded;
    expect(b.timeNs - a.timeNs).toBeGreaterThan(0.9e9);
    expect(b.timeNs - a.timeNs).toBeLessThan(3e9);
    expect(b.idleNs![0]).toBeGreaterThanOrEqual(a.idleNs![0]);
    expect(b.domains[0].cpuNs).toBeGreaterThan(a.domains[0].cpuNs);
  });

  it('gives the same blocks however the bytes are cut', () => {
    const s = new MonitorStream();
    const items: MonitorItem[] = [];
    const bytes = Buffer.from(fx.stdout);
    for (let i = 0; i < bytes.length; i += 7) items.push(...s.push(bytes.subarray(i, i + 7)));
    expect(blocks(items)).toEqual(recorded);
  });

  it('turns blocks into samples: CPU % from the second block on, memory in KiB, the guest\'s own traffic', () => {
    const rates = new MonitorRates();
    const first = rates.push(recorded[0]);
    expect(first.every((d) => d.cpuPercent === null)).toBe(true);
    const second = rates.push(recorded[1]);
    const [a, b] = recorded;
    for (const [i, s] of second.entries()) {
      const want = (100 * (b.domains[i].cpuNs - a.domains[i].cpuNs)) / (b.timeNs - a.timeNs);
      expect(s.cpuPercent).toBeCloseTo(want, 2);
      expect(s.cpuPercent!).toBeGreaterThanOrEqual(0);
    }
    const pv = second.find((d) => d.name === 'kit-pv')!;
    expect(pv).toMatchObject({ memKiB: 131072, maxMemKiB: 132096, flags: { blocked: true, running: false, paused: false } });
    expect(pv.cpuSeconds).toBeCloseTo(b.domains[1].cpuNs / 1e9, 9);
    // The script prints the guest's view: bytes dom0's vif sent are what the guest received.
    const net = rates.push(recorded[2]).find((d) => d.name === 'kit-pvnet')!;
    expect(net.netRxKiB).toBe(recorded[2].domains[3].rxBytes / 1024);
    expect(net.netRxKiB).toBeGreaterThan(0);
    expect(net.netTxKiB).toBe(0);
  });

  it('gives no rate for a domid now used by another domain, or when the clock stands still', () => {
    const rates = new MonitorRates();
    const dom = (name: string, cpuNs: number) => ({
      domid: 5, stateText: '--b---', cpuNs, memBytes: 1 << 20, maxMemBytes: null, txBytes: 0, rxBytes: 0, reads: 0, writes: 0, name,
    });
    const block = (timeNs: number, ...domains: MonitorBlock['domains']): MonitorBlock => ({ timeNs, hostMemBytes: 0, idleNs: null, domains, dropped: 0 });
    rates.push(block(1e9, dom('old', 5e8)));
    expect(rates.push(block(2e9, dom('new', 1e6)))[0].cpuPercent).toBeNull();
    expect(rates.push(block(2e9, dom('new', 2e6)))[0].cpuPercent).toBeNull();
    const [s] = rates.push(block(3e9, dom('new', 2.5e8 + 2e6)));
    expect(s.cpuPercent).toBe(25);
    expect(s.maxMemKiB).toBeNull();
  });

  it('reports the script\'s own error line, and ignores lines outside a block', () => {
    const s = new MonitorStream();
    expect(s.push('d 1 --b--- 1 1 1 0 0 0 0 stray\ne\n')).toEqual([]);
    expect(s.push('error libxenstat not found\n')).toEqual([{ kind: 'error', message: 'libxenstat not found' }]);
    // A domain line that is not what the script prints is skipped (and counted), not half-read.
    const items = s.push('s 1 2\nd 1 zzzzzz 1 1 1 0 0 0 0 bad\ne\n');
    expect(blocks(items)).toEqual([{ timeNs: 1, hostMemBytes: 2, idleNs: null, domains: [], dropped: 1 }]);
  });

  it('says when the guest configs changed, even in a block dropped for a bad number', () => {
    const s = new MonitorStream();
    expect(s.push('s 1 2\ng\ne\n').map((i) => i.kind)).toEqual(['configs', 'block']);
    expect(s.push('s x 2\ng\ne\n').map((i) => i.kind)).toEqual(['configs', 'dropped']);
    expect(s.push('s 3 2\ne\n').map((i) => i.kind)).toEqual(['block']);
  });

  it('has the script compare the config directory, so a quiet host prints no "g"', () => {
    expect(monitorArgv()[2]).toContain('CONFIGS = "/etc/xen"');
    expect(fx.stdout).not.toMatch(/^g$/m);
  });
});

describe('per-CPU busy %', () => {
  it('turns consecutive blocks into busy % per CPU', () => {
    const usage = new PcpuUsage();
    const samples = recorded.map((b) => ({ timeNs: b.timeNs, idleNs: b.idleNs! }));
    expect(usage.push(samples[0])).toBeNull();
    for (let i = 1; i < samples.length; i++) {
      const [prev, cur] = [samples[i - 1], samples[i]];
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

  it('starts afresh when the number of CPUs changes', () => {
    const usage = new PcpuUsage();
    usage.push({ timeNs: 0, idleNs: [0, 0] });
    expect(usage.push({ timeNs: 1e9, idleNs: [5e8, 0, 0] })).toBeNull();
    expect(usage.push({ timeNs: 2e9, idleNs: [1e9, 1e9, 2.5e8] })).toEqual([50, 0, 75]);
  });
});

// The script's wait between samples, run alone (the rest needs Xen's libraries): a line on stdin
// sets the interval and asks for a sample at once; a stdin that ends (no one will ever write)
// keeps the interval instead of spinning.
describe('monitor interval', () => {
  const head = MONITOR_SCRIPT.slice(0, MONITOR_SCRIPT.indexOf('\ndef main():'));
  const waitOnce = (stdin: string | null, interval: number) => {
    const t0 = Date.now();
    const out = execFileSync('python3', ['-c', `${head}\nprint(wait(${interval}, True))`], {
      input: stdin ?? '',
      stdio: [stdin === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    return { took: Date.now() - t0, out: out.trim() };
  };

  it('a line sets the interval and wakes the script at once', () => {
    const r = waitOnce(liveRateLine(false), 5);
    expect(r.out).toBe(`(${LIVE_IDLE_SECONDS}.0, True)`);
    expect(r.took).toBeLessThan(3000);
    expect(waitOnce('1\n', 5).out).toBe('(1.0, True)');
    expect(waitOnce('nonsense\n', 5).out).toBe('(5, True)');
  });

  it('an ended stdin is waited out, not spun on', () => {
    const r = waitOnce(null, 0.5);
    expect(r.out).toBe('(0.5, False)');
    expect(r.took).toBeGreaterThanOrEqual(500);
  });
});
