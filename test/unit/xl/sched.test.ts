import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { XlSched, parseSchedCredit, parseSchedCredit2 } from '../../../electron/drivers/xl/parse';

describe('parseSchedCredit2 on `xl sched-credit2`', () => {
  const fx = labFixture('xl-sched-credit2');
  const r = parseSchedCredit2(fx.stdout);

  it('reads each cpupool with its ratelimit and its domains', () => {
    expect(XlSched.parse(r)).toEqual(r);
    const poolLines = fx.stdout.split('\n').filter((l) => l.startsWith('Cpupool '));
    expect(r.pools.map((p) => p.pool)).toEqual(poolLines.map((l) => /^Cpupool (\S+):/.exec(l)![1]));
    const rl = /ratelimit=(\d+)us/.exec(poolLines[0])![1];
    expect(r.pools[0].ratelimitUs).toBe(Number(rl));
    expect(r.pools[0].tsliceMs).toBeNull();
  });

  it('has Domain-0 with domid 0 and numeric weight and cap', () => {
    const d0 = r.pools.flatMap((p) => p.domains).find((d) => d.name === 'Domain-0')!;
    expect(d0.domid).toBe(0);
    const row = fx.stdout.split('\n').find((l) => l.startsWith('Domain-0'))!.trim().split(/\s+/);
    expect(d0.weight).toBe(Number(row[2]));
    expect(d0.cap).toBe(Number(row[3]));
    const rows = fx.stdout.split('\n').filter((l) => /\s\d+\s+\d+\s+\d+\s*$/.test(l));
    expect(r.pools.flatMap((p) => p.domains)).toHaveLength(rows.length);
  });
});

describe('parseSchedCredit on `xl sched-credit` (host booted with sched=credit)', () => {
  it('reads tslice, ratelimit and migration-delay and the domain rows', () => {
    const r = parseSchedCredit(labFixture('xl-sched-credit').stdout);
    expect(r.pools).toHaveLength(1);
    expect(r.pools[0]).toMatchObject({
      pool: 'Pool-0',
      params: { tslice: '30ms', ratelimit: '1000us', 'migration-delay': '0us' },
      tsliceMs: 30,
      ratelimitUs: 1000,
      migrationDelayUs: 0,
    });
    expect(r.pools[0].domains).toEqual([
      { name: 'Domain-0', domid: 0, weight: 256, cap: 0 },
      { name: 'kit-pv', domid: 1, weight: 256, cap: 0 },
    ]);
  });

  it('reads `-d <dom>` output, which has no Cpupool line (as printed in the lab)', () => {
    const r = parseSchedCredit('Name                                ID Weight  Cap\npvtest                               1    512   25\n');
    expect(r.pools).toEqual([
      expect.objectContaining({ pool: null, domains: [{ name: 'pvtest', domid: 1, weight: 512, cap: 25 }] }),
    ]);
  });

  it('reads `-s` output, which has only the Cpupool line', () => {
    const r = parseSchedCredit('Cpupool Pool-0: tslice=20ms ratelimit=500us migration-delay=0us\n');
    expect(r.pools[0]).toMatchObject({ pool: 'Pool-0', tsliceMs: 20, ratelimitUs: 500, domains: [] });
  });
});
