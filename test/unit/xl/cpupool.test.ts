import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { XlCpupool, XlParseError, parseCpupoolList, parseXlInfo } from '../../../electron/drivers/xl/parse';

describe('parseCpupoolList on `xl cpupool-list`', () => {
  const fx = labFixture('xl-cpupool-list');
  const pools = parseCpupoolList(fx.stdout);

  it('reads Pool-0 with its CPU count, scheduler, state and domain count', () => {
    for (const p of pools) expect(XlCpupool.parse(p)).toEqual(p);
    const row = fx.stdout.split('\n').find((l) => l.startsWith('Pool-0'))!.trim().split(/\s+/);
    expect(pools.find((p) => p.name === 'Pool-0')).toEqual({
      name: 'Pool-0',
      nrCpus: Number(row[1]),
      sched: row[2],
      active: row[3] === 'y',
      domainCount: Number(row[4]),
    });
  });

  it('refuses other tables', () => {
    expect(() => parseCpupoolList(labFixture('xl-list').stdout)).toThrow(XlParseError);
  });
});

describe('parseCpupoolList on `xl cpupool-list -c`', () => {
  const fx = labFixture('xl-cpupool-list-c');
  const pools = parseCpupoolList(fx.stdout);
  const info = parseXlInfo(labFixture('xl-info').stdout);

  it('reads each pool with its CPU list as numbers', () => {
    expect(pools.length).toBeGreaterThan(0);
    const p0 = pools.find((p) => p.name === 'Pool-0')!;
    expect(p0.cpus!.length).toBeGreaterThan(0);
    for (const p of pools) for (const c of p.cpus!) expect(c).toBeLessThan(info.nrCpus);
    const row = fx.stdout.split('\n').find((l) => l.startsWith('Pool-0'))!.trim().split(/\s+/);
    expect(p0.cpuListText).toBe(row[1]);
  });
});
