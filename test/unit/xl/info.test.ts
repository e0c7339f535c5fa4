import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { XlInfo, XlInfoNuma, XlParseError, parseXlInfo, parseXlInfoNuma, xlCapabilities } from '../../../electron/drivers/xl/parse';

/** The value of an `xl info` key, read straight from the text (independent of the parser). */
function field(text: string, key: string): string {
  const m = new RegExp(`^${key}\\s+: ?(.*)$`, 'm').exec(text);
  if (!m) throw new Error(`no ${key} in fixture`);
  return m[1].trimEnd();
}

describe('parseXlInfo on `xl info`', () => {
  const fx = labFixture('xl-info');
  const info = parseXlInfo(fx.stdout);

  it('matches its schema and reads the values a user sees', () => {
    expect(XlInfo.parse(info)).toEqual(info);
    expect(info.host).toBe(field(fx.stdout, 'host'));
    expect(info.release).toBe(field(fx.stdout, 'release'));
    expect(info.version).toBe(field(fx.stdout, 'version'));
    expect(info.totalMemoryMiB).toBe(Number(field(fx.stdout, 'total_memory')));
    expect(info.freeMemoryMiB).toBe(Number(field(fx.stdout, 'free_memory')));
    expect(info.nrCpus).toBe(Number(field(fx.stdout, 'nr_cpus')));
    expect(info.cpuMhz).toBe(Number(field(fx.stdout, 'cpu_mhz')));
    expect(info.xenScheduler).toBe(field(fx.stdout, 'xen_scheduler'));
    expect(info.xenCommandline).toBe(field(fx.stdout, 'xen_commandline'));
    expect(info.freeMemoryMiB).toBeLessThanOrEqual(info.totalMemoryMiB);
  });

  it('gives the Xen version the fixture was recorded with, consistent with major/minor/extra', () => {
    expect(info.xenVersion).toBe(fx.xenVersion);
    expect(`${info.xenMajor}.${info.xenMinor}${info.xenExtra}`).toBe(info.xenVersion);
  });

  it('splits capability lists into words (xen_caps ends with a space) and keeps empty values as null', () => {
    expect(info.virtCaps).toEqual(field(fx.stdout, 'virt_caps').split(' '));
    expect(info.virtCaps).toContain('pv');
    expect(info.xenCaps.length).toBeGreaterThan(0);
    for (const c of info.xenCaps) expect(c).toMatch(/^(xen|hvm)-\d/);
    const changeset = field(fx.stdout, 'xen_changeset');
    expect(info.xenChangeset).toBe(changeset === '' ? null : changeset);
    expect(info.raw.xen_changeset).toBe(changeset);
    expect(info.raw.cc_compile_date).toBe(field(fx.stdout, 'cc_compile_date'));
  });

  it('derives what guests the host can run from virt_caps', () => {
    const caps = xlCapabilities(info);
    const vc = field(fx.stdout, 'virt_caps').split(' ');
    expect(caps.pv).toBe(vc.includes('pv'));
    expect(caps.hvm).toBe(vc.includes('hvm'));
    expect(caps.pvh).toBe(vc.includes('hvm') && (vc.includes('hap') || vc.includes('shadow')));
    expect(caps.passthrough.any).toBe(vc.includes('hvm_directio') || vc.includes('pv_directio'));
  });

  it('reports passthrough on a host booted with an IOMMU, and says for which guest types', () => {
    const caps = xlCapabilities(parseXlInfo(labFixture('xl-info-iommu').stdout));
    expect(caps.passthrough).toEqual({ any: true, pv: true, hvm: true });
    expect(caps.pvh).toBe(true);
  });

  it('refuses text that is not xl info output', () => {
    expect(() => parseXlInfo(labFixture('xl-list').stdout)).toThrow(XlParseError);
  });
});

describe('parseXlInfoNuma on `xl info -n`', () => {
  const fx = labFixture('xl-info-n');
  const r = parseXlInfoNuma(fx.stdout);

  it('keeps the table headers out of the key/values', () => {
    expect(XlInfoNuma.parse(r)).toEqual(r);
    expect(r.info.raw).not.toHaveProperty('cpu');
    expect(r.info.raw).not.toHaveProperty('node');
    expect(r.info.totalMemoryMiB).toBe(Number(field(fx.stdout, 'total_memory')));
  });

  it('reads one topology row per physical CPU', () => {
    expect(r.cpuTopology.map((c) => c.cpu)).toEqual([...Array(r.info.nrCpus).keys()]);
    for (const c of r.cpuTopology) expect(c.node).toBeLessThan(r.info.nrNodes ?? 1);
  });

  it('reads one NUMA row per node, with the local distance first-class', () => {
    expect(r.numa).toHaveLength(r.info.nrNodes ?? 0);
    expect(r.numa.reduce((s, n) => s + n.memsizeMiB, 0)).toBe(r.info.totalMemoryMiB);
    expect(r.numa.reduce((s, n) => s + n.memfreeMiB, 0)).toBe(r.info.freeMemoryMiB);
    for (const n of r.numa) {
      expect(n.distances).toHaveLength(r.numa.length);
      expect(n.distances[n.node]).toBe(10);
    }
  });

  it('reads the device topology table (empty when xl says there is none)', () => {
    expect(r.devices.length === 0).toBe(fx.stdout.includes('No device topology data available'));
  });
});
