// Recorded outputs with one number changed the way a broken or hostile host might print it.
// Tables read once (xl list, xl info, vcpu-list, cpupool-list) refuse the whole output with a
// parse error; live samples (xentop, the monitor) drop the one row and count it.
import { describe, expect, it } from 'vitest';
import {
  MonitorStream,
  XlParseError,
  parseCpupoolList,
  parseSchedCredit2,
  parseVcpuList,
  parseXentopBatch,
  parseXlError,
  parseXlInfo,
  parseXlInfoNuma,
  parseXlList,
  parseXlListLong,
} from '../../../electron/drivers/xl/parse';
import { labFixture } from '../../fixtures/lab';

const HUGE = '9'.repeat(400); // Number() of it is Infinity
const UNSAFE = '9007199254740993'; // 2^53 + 1: Number() of it is 2^53

/** The recorded output with the first match of `re` (what follows its group 1) replaced. */
function recorded(name: string, re: RegExp, by: string): string {
  const text = labFixture(name).stdout;
  const out = text.replace(re, (_all: string, before: string) => before + by);
  expect(out).not.toBe(text);
  return out;
}

describe('numbers in tables read once', () => {
  it('xl list: a domain ID of 400 digits or beyond 2^53 is a parse error', () => {
    for (const n of [HUGE, UNSAFE]) {
      expect(() => parseXlList(recorded('xl-list', /^(kit-pv\s+)\d+/m, n))).toThrow(XlParseError);
    }
  });

  it('xl info: nr_cpus beyond what Xen allows, or total memory of 400 digits, is a parse error', () => {
    expect(() => parseXlInfo(recorded('xl-info', /^(nr_cpus\s+:\s+)\d+/m, '4294967295'))).toThrow(/more than Xen allows/);
    expect(() => parseXlInfo(recorded('xl-info', /^(total_memory\s+:\s+)\d+/m, HUGE))).toThrow(XlParseError);
    expect(() => parseXlInfo(recorded('xl-info', /^(free_memory\s+:\s+)\d+/m, '1e999'))).toThrow(XlParseError);
  });

  it('xl info -n: a CPU beyond CPU 4095 in the topology is a parse error', () => {
    expect(() => parseXlInfoNuma(recorded('xl-info-n', /^(\s+)\d+(?=:\s+\d+\s+\d+\s+\d+\s*$)/m, '4294967295'))).toThrow(
      /beyond CPU 4095/,
    );
  });

  it('xl vcpu-list: an affinity range beyond CPU 4095 is a parse error, not a huge array', () => {
    expect(() => parseVcpuList(recorded('xl-vcpu-list-offline', /( )0(?= \/ all)/, '0-5000'))).toThrow(/not a CPU set/);
    expect(() => parseVcpuList(recorded('xl-vcpu-list-offline', /^(pvtest\s+\d+\s+\d+\s+)\d+/m, '99999'))).toThrow(
      /beyond CPU 4095/,
    );
  });

  it('xl cpupool-list -c: a CPU list beyond CPU 4095 is a parse error, not an empty pool', () => {
    expect(() => parseCpupoolList(recorded('xl-cpupool-list-c', /^(Pool-0\s+)\S+/m, '0-4294967295'))).toThrow(/not a CPU set/);
  });

  it('xl sched-credit2: a weight beyond 2^53 is a parse error', () => {
    expect(() => parseSchedCredit2(recorded('xl-sched-credit2', /^(Domain-0\s+\d+\s+)\d+/m, UNSAFE))).toThrow(XlParseError);
  });

  it('xl list -l: a PCI device number beyond 31 is a parse error, not a made-up address', () => {
    expect(() => parseXlListLong(recorded('xl-list-l-pci', /("dev": )\d+/, '4096'))).toThrow(/device of 4096/);
  });

  it('xl stderr: a domain number of 400 digits is no number, not Infinity', () => {
    const e = parseXlError(`libxl: error: libxl_pci.c:1529:pci_add_dm_done: Domain ${HUGE}:failed\n`);
    expect(e.cause?.domid).toBeNull();
  });
});

describe('numbers in live samples', () => {
  it('xentop: a row with MEM(k) 1e999 or CPU(sec) -5 is dropped and counted', () => {
    const text = labFixture('xentop').stdout;
    const lines = text.split('\n');
    const at = lines.findIndex((l) => /^\s*kit-pv /.test(l));
    const cols = lines[at].trim().split(/\s+/);
    const mem = [...cols];
    mem[4] = '1e999';
    const cpu = [...cols];
    cpu[2] = '-5';
    for (const bad of [mem, cpu]) {
      lines[at] = bad.join(' ');
      const [frame] = parseXentopBatch(lines.join('\n'));
      expect(frame.domains.map((d) => d.name)).not.toContain('kit-pv');
      expect(frame.domains.length).toBeGreaterThan(0);
      expect(frame.dropped).toBe(1);
    }
  });

  it('monitor: a domain line with memory of 400 digits is dropped and counted; the rest of the block stays', () => {
    const recorded = labFixture('monitor').stdout;
    // The first block's domids as recorded; the first guest after Domain-0 gets the huge memory.
    const firstBlock = recorded.slice(0, recorded.indexOf('\ne\n'));
    const domids = [...firstBlock.matchAll(/^d (\d+) /gm)].map((m) => Number(m[1]));
    const victim = domids.find((d) => d !== 0)!;
    expect(domids.length).toBeGreaterThan(2);
    const text = recorded.replace(new RegExp(`^(d ${victim} \\S+ \\d+ )(\\d+)`, 'm'), `$1${HUGE}`);
    expect(text).not.toBe(recorded);
    const items = new MonitorStream().push(text);
    const first = items[0];
    expect(first.kind).toBe('block');
    if (first.kind !== 'block') return;
    expect(first.block.dropped).toBe(1);
    expect(first.block.domains.map((d) => d.domid)).toEqual(domids.filter((d) => d !== victim));
    expect(first.block.domains.every((d) => Number.isFinite(d.memBytes))).toBe(true);
  });

  it('monitor: a block whose clock is beyond 2^53 is dropped as a whole', () => {
    const text = labFixture('monitor').stdout.replace(/^s (\d+)/m, `s ${UNSAFE}`);
    expect(new MonitorStream().push(text)[0]).toEqual({ kind: 'dropped' });
  });
});

describe('XlParseError.forHost', () => {
  it('names the host in the message and keeps the raw output, cut, as detail', () => {
    const raw = `Name ID\n${'x'.repeat(10_000)}`;
    const e = new XlParseError('not xl list output', raw).forHost('lab-host');
    expect(e.code).toBe('command_failed');
    expect(e.message).toBe('lab-host printed something Domus cannot read: not xl list output.');
    expect(e.detail!.startsWith('Name ID\nxxx')).toBe(true);
    expect(e.detail!.length).toBeLessThan(4100);
    expect(e.detail).toMatch(/10008 characters in all/);
  });
});
