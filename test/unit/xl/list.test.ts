import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { XlListEntry, XlParseError, domainState, parseXlList } from '../../../electron/drivers/xl/parse';

describe('parseXlList on `xl list`', () => {
  const fx = labFixture('xl-list');
  const doms = parseXlList(fx.stdout);
  const dataLines = fx.stdout.split('\n').slice(1).filter((l) => l.trim());

  it('reads one entry per row, every one a valid entry', () => {
    expect(doms).toHaveLength(dataLines.length);
    for (const d of doms) {
      expect(XlListEntry.parse(d)).toEqual(d);
      expect(d.name).not.toBe('');
      expect(d.name).not.toMatch(/\s/);
    }
  });

  it('finds Domain-0 with domid 0, running, with its memory and vCPUs as numbers', () => {
    const d0 = doms.find((d) => d.name === 'Domain-0');
    expect(d0).toBeDefined();
    expect(d0!.domid).toBe(0);
    expect(domainState(d0!.flags)).toBe('running');
    const row = dataLines.find((l) => l.startsWith('Domain-0'))!.trim().split(/\s+/);
    expect(d0!.memMiB).toBe(Number(row[2]));
    expect(d0!.vcpus).toBe(Number(row[3]));
    expect(d0!.timeSeconds).toBe(Number(row[5]));
  });

  it('maps each state letter r b p s c d to its flag', () => {
    for (const d of doms) {
      const letters = 'rbpscd';
      const flags = [d.flags.running, d.flags.blocked, d.flags.paused, d.flags.shutdown, d.flags.crashed, d.flags.dying];
      flags.forEach((on, i) => expect(on).toBe(d.stateText[i] === letters[i]));
      if (d.flags.paused) expect(domainState(d.flags)).toBe('paused');
    }
  });

  it('reads the UUID column of `xl list -v` (row as printed in the lab)', () => {
    const text =
      'Name                                        ID   Mem VCPUs\tState\tTime(s)   UUID                            Reason-Code\tSecurity Label\n' +
      'Domain-0                                     0  1024     2     r-----     113.8 00000000-0000-0000-0000-000000000000        -                -\n';
    expect(parseXlList(text)[0]).toMatchObject({ name: 'Domain-0', domid: 0, uuid: '00000000-0000-0000-0000-000000000000' });
  });

  it('returns nothing for empty output and refuses other tables', () => {
    expect(parseXlList('')).toEqual([]);
    expect(() => parseXlList(labFixture('xl-vcpu-list').stdout)).toThrow(XlParseError);
  });
});
