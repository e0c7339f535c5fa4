import { describe, expect, it } from 'vitest';
import type { Guest } from '../../../electron/api/guests';
import { MetricsStore, Ring } from '../../../electron/hosts/metrics';
import { availableActions } from '../../../renderer/src/components/guest/availability';
import { lineDiff, withContext } from '../../../renderer/src/components/guest/lineDiff';

const g = (over: Partial<Guest>): Guest => ({
  id: 'uuid:1', name: 'a', state: 'running', type: 'pv', domid: 3, uuid: '1', isControlDomain: false, vcpus: 1,
  memoryMiB: 128, maxMemoryMiB: 256, cpuPercent: 5, cpuSeconds: 1, netTxKiB: 0, netRxKiB: 0, diskReads: 0, diskWrites: 0,
  disks: [], nics: [], pci: [], configPath: '/etc/xen/a.cfg', ...over,
});

describe('Ring', () => {
  it('keeps the newest rows, oldest first, and one row per second', () => {
    const r = new Ring(1, 3);
    for (const t of [1, 2, 2, 3, 4]) r.push(t, [t * 10]);
    expect(r.columns()).toEqual([[2, 3, 4], [20, 30, 40]]);
  });
});

describe('MetricsStore', () => {
  it('stores CPU and memory and turns counters into rates per second', () => {
    let now = 10_000;
    const m = new MetricsStore(() => now);
    m.record([g({ netRxKiB: 100, diskReads: 10 })]);
    now += 2000;
    m.record([g({ netRxKiB: 300, diskReads: 30, cpuPercent: 7 })]);
    const s = m.guest('uuid:1');
    expect(s.t).toEqual([10, 12]);
    expect(s.cpuPercent).toEqual([5, 7]);
    expect(s.netRxKiBs).toEqual([null, 100]);
    expect(s.diskReadsPs).toEqual([null, 10]);
    expect(m.hostSeries(1024, 2).usedMiB).toEqual([128, 128]);
  });

  it('keeps busy % per physical CPU with its own times, afresh when the CPU count changes', () => {
    let now = 5_000;
    const m = new MetricsStore(() => now);
    expect(m.hostSeries(null, 2)).toMatchObject({ pcpuT: [], pcpuPercent: [] });
    m.recordPcpus([10, 90]);
    now += 1000;
    m.recordPcpus([20, 80]);
    expect(m.hostSeries(null, 2)).toMatchObject({ pcpuT: [5, 6], pcpuPercent: [[10, 20], [90, 80]] });
    now += 1000;
    m.recordPcpus([1, 2, 3]);
    expect(m.hostSeries(null, 3)).toMatchObject({ pcpuT: [7], pcpuPercent: [[1], [2], [3]] });
  });

  it('holds 10 minutes at most and forgets guests that left the inventory', () => {
    let now = 0;
    const m = new MetricsStore(() => now);
    for (let i = 0; i < 700; i++) {
      now = i * 1000;
      m.record([g({})]);
    }
    expect(m.guest('uuid:1').t).toHaveLength(600);
    expect(m.guest('uuid:1').t[0]).toBe(100);
    m.record([]);
    expect(m.guest('uuid:1').t).toEqual([]);
  });
});

describe('availableActions', () => {
  it('offers what makes sense per state', () => {
    expect(availableActions(g({ domid: null, state: 'shut off' }))).toEqual(['start', 'delete']);
    expect(availableActions(g({ state: 'paused' }))).toContain('resume');
    expect(availableActions(g({ state: 'paused' }))).not.toContain('pause');
    expect(availableActions(g({ state: 'blocked' }))).toEqual(['shutdown', 'reboot', 'pause', 'destroy', 'save']);
    expect(availableActions(g({ isControlDomain: true, domid: 0 }))).toEqual([]);
    expect(availableActions(g({ domid: null, state: 'shut off', configPath: null }))).toEqual([]);
  });
});

describe('lineDiff', () => {
  it('marks changed lines and keeps the rest', () => {
    const d = lineDiff('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(d.filter((l) => l.kind !== 'same').map((l) => `${l.kind}:${l.text}`)).toEqual(['del:b', 'add:B', 'add:d']);
    expect(withContext(lineDiff('1\n2\n3\n4\n5\n6\n7\n8\n9', '1\n2\n3\n4\n5\n6\n7\n8\nX'), 1).filter((l) => l === null)).toHaveLength(1);
  });
});
