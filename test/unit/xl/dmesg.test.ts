import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { XlDmesgLine, ioVirtualisation, parseXlDmesg } from '../../../electron/drivers/xl/parse';

describe('parseXlDmesg on `xl dmesg`', () => {
  const fx = labFixture('xl-dmesg');
  const log = parseXlDmesg(fx.stdout);

  it('reads every line of the hypervisor ring with its source and time stamp', () => {
    expect(log).toHaveLength(fx.stdout.split('\n').filter((l) => l.trim()).length);
    for (const l of log) {
      expect(XlDmesgLine.parse(l)).toEqual(l);
      expect(l.source).toBe('XEN');
      expect(l.text).not.toMatch(/^\(XEN\)/);
    }
    const seconds = log.map((l) => l.seconds).filter((s): s is number => s !== null);
    expect(seconds.length).toBeGreaterThan(0);
    expect([...seconds].sort((a, b) => a - b)).toEqual(seconds);
  });

  it('keeps the raw counter of early boot lines apart from seconds', () => {
    const early = /^\(XEN\) \[([0-9a-f]{16})\]/m.exec(fx.stdout);
    if (early) expect(log.some((l) => l.rawStamp === early[1] && l.seconds === null)).toBe(true);
    expect(log.some((l) => l.text.startsWith(`Xen version ${fx.xenVersion}`))).toBe(true);
  });

  it('tells whether Xen turned on an IOMMU', () => {
    const m = /I\/O virtualisation (enabled|disabled)/.exec(fx.stdout);
    expect(ioVirtualisation(log)).toBe(m ? m[1] : null);
  });
});
