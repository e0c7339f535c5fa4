import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { MAX_CPU_INDEX, XlParseError, XlVcpu, parseCpuSet, parseVcpuList } from '../../../electron/drivers/xl/parse';

describe('parseVcpuList on `xl vcpu-list`', () => {
  const fx = labFixture('xl-vcpu-list');
  const vcpus = parseVcpuList(fx.stdout);
  const rows = fx.stdout.split('\n').slice(1).filter((l) => l.trim());

  it('reads one entry per row, every one valid', () => {
    expect(vcpus).toHaveLength(rows.length);
    for (const v of vcpus) {
      expect(XlVcpu.parse(v)).toEqual(v);
      expect(v.name).not.toBe('');
      expect(v.hardAffinity).not.toBeNull();
      expect(v.softAffinity).not.toBeNull();
    }
  });

  it('lists Domain-0 vCPUs 0..n-1 under domid 0, each on a physical CPU', () => {
    const d0 = vcpus.filter((v) => v.name === 'Domain-0');
    expect(d0.length).toBeGreaterThan(0);
    expect(d0.map((v) => v.vcpu)).toEqual([...d0.keys()]);
    for (const v of d0) {
      expect(v.domid).toBe(0);
      expect(typeof v.cpu).toBe('number');
    }
  });

  it('splits "Hard / Soft" affinity as printed', () => {
    for (let i = 0; i < rows.length; i++) {
      const [hard, soft] = rows[i].split(/\s{2,}/).pop()!.split(' / ');
      expect(vcpus[i].hardAffinityText).toBe(hard);
      expect(vcpus[i].softAffinityText).toBe(soft.trim());
    }
  });

  it('refuses other tables', () => {
    expect(() => parseVcpuList(labFixture('xl-list').stdout)).toThrow(XlParseError);
  });
});

describe('parseVcpuList with an offline vCPU (after `xl vcpu-set pvtest 1`)', () => {
  const vcpus = parseVcpuList(labFixture('xl-vcpu-list-offline').stdout);

  it('reads CPU "-" as null and State "--p" as offline', () => {
    expect(vcpus[1]).toMatchObject({ vcpu: 1, cpu: null, stateText: '--p', offline: true, running: false });
    expect(vcpus[0]).toMatchObject({ vcpu: 0, cpu: 0, blocked: true, offline: false, hardAffinity: [0], softAffinity: 'all' });
  });
});

describe('parseCpuSet', () => {
  it('reads xl CPU lists', () => {
    expect(parseCpuSet('all')).toBe('all');
    expect(parseCpuSet('0-1')).toEqual([0, 1]);
    expect(parseCpuSet('0,2-3')).toEqual([0, 2, 3]);
    expect(parseCpuSet('bogus')).toBeNull();
  });

  it('refuses CPU numbers beyond Xen\'s limit instead of filling memory', () => {
    expect(parseCpuSet(`0-${MAX_CPU_INDEX}`)).toHaveLength(MAX_CPU_INDEX + 1);
    expect(parseCpuSet(`0-${MAX_CPU_INDEX + 1}`)).toBeNull();
    expect(parseCpuSet('0-4294967295')).toBeNull();
    expect(parseCpuSet('9007199254740993')).toBeNull();
    expect(parseCpuSet(`1,${'9'.repeat(400)}`)).toBeNull();
  });

  it('gives each CPU once, however often the text repeats it', () => {
    expect(parseCpuSet(Array(10_000).fill(`0-${MAX_CPU_INDEX}`).join(','))).toHaveLength(MAX_CPU_INDEX + 1);
    expect(parseCpuSet('3,1-2,2')).toEqual([1, 2, 3]);
  });

  it('refuses a range that runs backwards', () => {
    expect(parseCpuSet('3-1')).toBeNull();
  });
});
