import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { XlDomainLong, XlParseError, parseXlListLong } from '../../../electron/drivers/xl/parse';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('parseXlListLong on `xl list -l`', () => {
  const fx = labFixture('xl-list-l');
  const doms = parseXlListLong(fx.stdout);
  const json = JSON.parse(fx.stdout) as { domid: number; config: { c_info: { name: string } } }[];

  it('normalises every domain of the JSON array', () => {
    expect(doms.map((d) => d.domid)).toEqual(json.map((d) => d.domid));
    expect(doms.map((d) => d.name)).toEqual(json.map((d) => d.config.c_info.name));
    for (const d of doms) {
      expect(XlDomainLong.parse(d)).toEqual(d);
      expect(d.name).not.toBe('');
      expect(['pv', 'pvh', 'hvm']).toContain(d.type);
      if (d.uuid !== null) expect(d.uuid).toMatch(UUID);
      for (const p of d.pcidevs) expect(p.bdf).toMatch(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/);
      for (const n of d.nics) if (n.mac !== null) expect(n.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    }
  });

  it('finds Domain-0 as a PV domain with domid 0 and its memory in KiB', () => {
    const d0 = doms.find((d) => d.domid === 0)!;
    expect(d0.name).toBe('Domain-0');
    expect(d0.type).toBe('pv');
    expect(typeof d0.maxMemKiB).toBe('number');
    expect(typeof d0.targetMemKiB).toBe('number');
  });

  it('skips warning lines xl printed before the JSON', () => {
    const noisy =
      'libxl: warning: libxl_sched.c:84:libxl__set_vcpuaffinity: Domain 1:All cpus in soft affinity of vcpu 0 are unreachable. Only hard affinity will be considered for scheduling\n' +
      fx.stdout;
    expect(parseXlListLong(noisy)).toEqual(doms);
  });

  it('refuses output without JSON', () => {
    expect(() => parseXlListLong('xl: option `x\' not supported.\n')).toThrow(XlParseError);
  });
});

describe('parseXlListLong on a PV guest (`xl list -l pvtest`)', () => {
  const fx = labFixture('xl-list-l-guest');
  const [g] = parseXlListLong(fx.stdout);

  it('reads identity, sizing, scheduling and boot fields', () => {
    expect(g).toMatchObject({
      domid: 1,
      name: 'pvtest',
      type: 'pv',
      uuid: '19fbcc6a-8463-44c2-98a2-73709d3394c6',
      maxVcpus: 2,
      availVcpus: 2,
      maxMemKiB: 262144,
      targetMemKiB: 131072,
      sched: { sched: 'credit2', weight: 256, cap: 0 },
      kernel: '/root/guest/vmlinuz',
      ramdisk: '/root/guest/initrd.gz',
      cmdline: 'console=hvc0 rdinit=/init loglevel=4',
      onReboot: 'restart',
      disks: [],
      nics: [],
      pcidevs: [],
      vnc: null,
    });
  });

  it('turns libxl PCI devices into BDF strings; libxl leaves out parts that are 0', () => {
    // Same guest with a passthrough device as libxl (4.16+) prints it: only non-default fields.
    const withPci = fx.stdout.replace('"on_reboot": "restart",', '"pcidevs": [ { "bdf": { "dev": 5 }, "permissive": "True" } ],\n "on_reboot": "restart",');
    expect(parseXlListLong(withPci)[0].pcidevs).toEqual([{ bdf: '0000:00:05.0', vdevfn: null, permissive: true, seize: false }]);
  });
});
