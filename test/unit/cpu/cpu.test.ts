// The CPU area's xl side on outputs recorded from the lab: the `xl list -c` parser, joining the
// reading commands, argv building (credit vs credit2), the checks that run before xl, and editing
// the CPU keys of real xl.cfg files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DomusError } from '../../../electron/api/errors';
import { CpuMethods } from '../../../electron/api/cpu';
import {
  affinityCfgValue,
  buildCpuState,
  checkCap,
  checkMemory,
  checkPinning,
  checkVcpuCount,
  cpuOverview,
  cpuSetText,
  cpupoolCreateArgv,
  numaSplitPlan,
  schedCommand,
  schedSetArgv,
  vcpuPinArgv,
  vcpuPlacements,
} from '../../../electron/drivers/xl/cpu';
import { editCpuKeys } from '../../../electron/drivers/xl/cpuConfigEdit';
import { parseXlError, parseXlInfoNuma, parseXlListCpupool } from '../../../electron/drivers/xl/parse';
import { XlCfg } from '../../../electron/drivers/xl/xlcfg';
import { labFixture } from '../../fixtures/lab';

const out = (name: string) => labFixture(name).stdout;
const kitCfg = (name: string) => readFileSync(new URL(`../../lab/image/kit/${name}`, import.meta.url), 'utf8');

describe('xl list -c', () => {
  it('reads the pool of every domain', () => {
    const rows = parseXlListCpupool(out('xl-list-c'));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toEqual({ name: 'Domain-0', domid: 0, pool: 'Pool-0' });
    expect(rows.every((r) => r.pool === 'Pool-0')).toBe(true);
  });
  it('refuses output without the Cpupool column', () => {
    expect(() => parseXlListCpupool(out('xl-list'))).toThrow(/Cpupool/);
  });
});

describe('CPU state from the lab outputs', () => {
  const state = buildCpuState({
    infoN: out('xl-info-n'),
    poolList: out('xl-cpupool-list'),
    poolListC: out('xl-cpupool-list-c'),
    listC: out('xl-list-c'),
    listL: out('xl-list-l'),
    sched: { credit: null, credit2: out('xl-sched-credit2') },
  });
  const o = cpuOverview(state);

  it('has the topology, the one NUMA node with its memory and CPUs, and Pool-0 with credit2', () => {
    expect(o.nrCpus).toBe(2);
    expect(o.scheduler).toBe('credit2');
    expect(o.topology.map((c) => c.cpu)).toEqual([0, 1]);
    expect(o.nodes).toEqual([{ node: 0, memsizeMiB: 2047, memfreeMiB: 742, distances: [10], cpus: [0, 1] }]);
    expect(o.pools).toEqual([{ name: 'Pool-0', sched: 'credit2', cpus: [0, 1], domainCount: 3, params: { ratelimit: '1000us' } }]);
    expect(o.freeCpus).toEqual([]);
  });

  it('gives Domain-0 its pool, weight and cap', () => {
    const d0 = o.domains.find((d) => d.domid === 0)!;
    expect(d0).toMatchObject({ name: 'Domain-0', pool: 'Pool-0', weight: 256, cap: 0 });
    expect(d0.maxMemoryMiB).toBeGreaterThan(0);
  });

  it("counts Domain-0's vCPUs from vcpu-list, which xl list -l does not give for it", () => {
    // xl list -l has no max_vcpus for Domain-0 (it was not created from a config): the view
    // showed "1 of ?". vcpu-list lists every vCPU a domain has, online or not.
    const withVcpus = buildCpuState({
      infoN: out('xl-info-n'),
      poolList: out('xl-cpupool-list'),
      poolListC: out('xl-cpupool-list-c'),
      listC: out('xl-list-c'),
      listL: out('xl-list-l'),
      sched: { credit: null, credit2: out('xl-sched-credit2') },
      vcpuList: out('xl-vcpu-list'),
    });
    expect(withVcpus.domains.find((d) => d.name === 'Domain-0')).toMatchObject({ onlineVcpus: 1, maxVcpus: 1 });
  });

  it('says why a one-node host has nothing to split', () => {
    expect(o.numaSplit).toEqual({ possible: false, reason: 'single-node', pools: [] });
  });

  it('plans one pool per extra node on a two-node topology', () => {
    const info = parseXlInfoNuma(out('xl-info-n'));
    const twoNodes = { ...info, cpuTopology: [{ cpu: 0, core: 0, socket: 0, node: 0 }, { cpu: 1, core: 1, socket: 1, node: 1 }] };
    expect(numaSplitPlan(twoNodes, o.pools)).toEqual({
      possible: true,
      reason: null,
      pools: [{ name: 'Pool-node1', node: 1, cpus: [1], sched: 'credit2' }],
    });
    expect(numaSplitPlan(twoNodes, [...o.pools, { ...o.pools[0], name: 'other' }]).reason).toBe('pools-exist');
  });

  it('reads the credit pool parameters from sched-credit output', () => {
    const s = buildCpuState({
      infoN: out('xl-info-n'),
      poolList: out('xl-cpupool-list'),
      poolListC: out('xl-cpupool-list-c'),
      listC: out('xl-list-c'),
      listL: out('xl-list-l'),
      sched: { credit: out('xl-sched-credit'), credit2: null },
    });
    expect(s.pools[0].params).toEqual({ tslice: '30ms', ratelimit: '1000us', 'migration-delay': '0us' });
  });

  it('turns vcpu-list into placements, offline vCPUs without a CPU', () => {
    const v = vcpuPlacements(out('xl-vcpu-list'));
    expect(v[0]).toMatchObject({ name: 'Domain-0', vcpu: 0, cpu: 1, hard: 'all', soft: 'all', offline: false });
    const off = vcpuPlacements(out('xl-vcpu-list-offline')).filter((x) => x.offline);
    expect(off.length).toBeGreaterThan(0);
    expect(off.every((x) => x.cpu === null)).toBe(true);
  });
});

describe('argv', () => {
  it('uses the command of the pool scheduler', () => {
    expect(schedSetArgv('credit2', 'cpu-a', { weight: 512 })).toEqual(['xl', 'sched-credit2', '-d', 'cpu-a', '-w', '512']);
    expect(schedSetArgv('credit', 'cpu-a', { weight: 128, cap: 50 })).toEqual(['xl', 'sched-credit', '-d', 'cpu-a', '-w', '128', '-c', '50']);
    expect(() => schedCommand('rtds')).toThrow(DomusError);
  });
  it('the other scheduler command fails the way the lab recorded', () => {
    const e = parseXlError(labFixture('error-sched-credit-on-credit2').stderr);
    expect(e.summary).toMatch(/Getting domain sched credit: Invalid argument/);
  });
  it('folds CPU sets and builds pin and pool commands', () => {
    expect(cpuSetText([3, 0, 1, 2, 6])).toBe('0-3,6');
    expect(cpuSetText('all')).toBe('all');
    expect(vcpuPinArgv('cpu-a', 1, [1], 'all')).toEqual(['xl', 'vcpu-pin', '--', 'cpu-a', '1', '1', 'all']);
    expect(cpupoolCreateArgv('cpu-credit', 'credit', [1])).toEqual(['xl', 'cpupool-create', 'name="cpu-credit"', 'sched="credit"', 'cpus="1"']);
  });
  it('writes affinity to the config as one set or a per-vCPU list', () => {
    expect(affinityCfgValue(['all', 'all'])).toBeNull();
    expect(affinityCfgValue([[1], [1]])).toBe('1');
    expect(affinityCfgValue([[0], [1]])).toEqual(['0', '1']);
  });
});

describe('checks before xl runs', () => {
  it('refuses pins outside the pool', () => {
    expect(() => checkPinning([[1], [0]], ['all', 'all'], 2, 'Pool-0', [0, 1])).not.toThrow();
    expect(() => checkPinning([[1]], ['all'], 1, 'cpu-credit', [1])).not.toThrow();
    expect(() => checkPinning([[0]], ['all'], 1, 'cpu-credit', [1])).toThrow(/pool cpu-credit has CPUs 1/);
    expect(() => checkPinning(['all'], [[7]], 1, 'Pool-0', [0, 1])).toThrow(/soft/);
    expect(() => checkPinning([[0]], [[0]], 2, 'Pool-0', [0, 1])).toThrow(/each of the guest's 2 vCPUs/);
    expect(() => checkPinning([[]], ['all'], 1, 'Pool-0', [0, 1])).toThrow(/at least one/);
  });
  it('refuses counts beyond the limits', () => {
    expect(() => checkVcpuCount(2, 2, 'g')).not.toThrow();
    expect(() => checkVcpuCount(3, 2, 'g')).toThrow(/at most 2 vCPUs/);
    expect(() => checkMemory(256, 256, 'g')).not.toThrow();
    expect(() => checkMemory(257, 256, 'g')).toThrow(/at most 256 MiB/);
    expect(() => checkCap(200, 2)).not.toThrow();
    expect(() => checkCap(201, 2)).toThrow(DomusError);
  });
  it('the contract refuses out-of-range values and foreign keys', () => {
    const s = CpuMethods['cpu.setSched'].input;
    expect(s.safeParse({ hostId: 'h', guest: 'cpu-a', apply: 'live', weight: 0 }).success).toBe(false);
    expect(s.safeParse({ hostId: 'h', guest: 'cpu-a', apply: 'live', weight: 70000 }).success).toBe(false);
    expect(s.safeParse({ hostId: 'h', guest: 'a;rm -rf /', apply: 'live', weight: 10 }).success).toBe(false);
    expect(s.safeParse({ hostId: 'h', guest: 'cpu-a', apply: 'sometimes', weight: 10 }).success).toBe(false);
    expect(CpuMethods['cpu.setMemory'].input.safeParse({ hostId: 'h', guest: 'g', apply: 'both', targetMiB: 8 }).success).toBe(false);
    expect(CpuMethods['cpu.poolCreate'].input.safeParse({ hostId: 'h', name: 'p"x', sched: 'credit', cpus: [1] }).success).toBe(false);
  });
});

describe('editing the CPU keys of real configs', () => {
  it('changes existing keys in place and appends new ones, leaving every other line alone', () => {
    const before = kitCfg('pv.cfg');
    const after = editCpuKeys(before, { vcpus: 2, memory: 200, cpu_weight: 512, cpus: '1', pool: 'cpu-credit' });
    const b = before.replace(/\n$/, '').split('\n');
    const a = after.split('\n');
    // Same line count up to the appended keys; only the vcpus/memory lines differ.
    const changed = b.map((l, i) => (l !== a[i] ? i : -1)).filter((i) => i >= 0);
    expect(changed.map((i) => b[i].split('=')[0].trim())).toEqual(['memory', 'vcpus']);
    expect(a[b.indexOf('vcpus   = 1')]).toBe('vcpus   = 2');
    const cfg = XlCfg.parse(after);
    expect(cfg.getNumber('cpu_weight')).toBe(512);
    expect(cfg.getString('cpus')).toBe('1');
    expect(cfg.getString('pool')).toBe('cpu-credit');
    expect(cfg.getNumber('maxvcpus')).toBe(2);
    expect(cfg.getString('kernel')).toBe('/root/kit/vmlinuz');
  });
  it('keeps the comments of the Xen example config and removes a key on null', () => {
    const before = labFixture('xlcfg-xlexample-pvlinux').stdout;
    const after = editCpuKeys(before, { vcpus: 1, cpus: ['0', '1'] });
    expect(after).toContain('# Number of VCPUS\nvcpus = 1\n');
    expect(after).toContain("disk = [ '/dev/vg/guest-volume,raw,xvda,rw' ]");
    expect(XlCfg.parse(after).getList('cpus')).toEqual(['0', '1']);
    const removed = editCpuKeys(after, { cpus: null });
    expect(XlCfg.parse(removed).has('cpus')).toBe(false);
    expect(removed.replace(/\n+$/, '')).toBe(before.replace(/\n+$/, '').replace('vcpus = 2', 'vcpus = 1'));
  });
  it('refuses keys that are not CPU keys', () => {
    expect(() => editCpuKeys(kitCfg('pv.cfg'), { kernel: '/x' } as never)).toThrow(/may not change/);
  });
});
