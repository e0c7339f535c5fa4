// Differential test against xl itself, offline: vif specs, cpus= texts and whole configs as
// `xl create -n` on the lab read them (recorded in test/fixtures/xlcfg/xl-create-n.json by
// test/lab/recordXlcfg.ts; test/lab/suite/xlcfg.lab.test.ts re-checks them live).
import { describe, expect, it } from 'vitest';
import { buildRuns, compare, recordedAnswers } from '../../fixtures/xlcfg/runs';
import { CPUS_SPECS, VIF_SPECS } from '../../fixtures/xlcfg/cases';
import { MAX_CPU_INDEX, XlCpusError, parseXlCpus, resolveXlCpus } from '../../../electron/drivers/xl/xlcfg';

describe('vif, cpus= and whole configs: Domus reads them as xl create -n does', () => {
  const recorded = recordedAnswers();

  it('the recording is of today\'s cases (re-record with test/lab/recordXlcfg.ts after changing them)', () => {
    expect(recorded.runs.map((r) => [r.id, r.config])).toEqual(buildRuns().map((r) => [r.id, r.config]));
    expect(recorded.xen).toMatch(/^4\.17\./);
  });

  it('0 disagreements; every spec xl refuses Domus refuses', () => {
    const t = compare(recorded.runs);
    expect(t.disagreements).toEqual([]);
    expect(t.vif).toEqual({ specs: VIF_SPECS.length, agree: t.vif.specs - t.vif.rejectedBoth, rejectedBoth: 12 });
    expect(t.cpus.specs).toBe(CPUS_SPECS.length);
    expect(t.cpus.agree + t.cpus.rejectedBoth).toBe(CPUS_SPECS.length);
    expect(t.configs.agree).toBe(t.configs.specs);
  });

  it('refuses CPU indices past the cap instead of looping over them', () => {
    expect(() => parseXlCpus(`0-${MAX_CPU_INDEX + 1}`)).toThrow(XlCpusError);
    expect(() => parseXlCpus('0-99999999999999')).toThrow(XlCpusError);
    expect(resolveXlCpus(`0-${MAX_CPU_INDEX}`, { cpus: [{ cpu: 0, node: 0 }, { cpu: 9, node: 1 }] })).toHaveLength(16);
  });

  it('reads node: and ^ against the host topology', () => {
    const topo = { cpus: [0, 1, 2, 3, 4, 5, 6, 7].map((cpu) => ({ cpu, node: cpu < 4 ? 0 : 1 })) };
    expect(resolveXlCpus('nodes:1', topo)).toEqual([4, 5, 6, 7]);
    expect(resolveXlCpus('nodes:0-1,^node:0,2', topo)).toEqual([2, 4, 5, 6, 7]);
    expect(resolveXlCpus('all,^nodes:1', topo)).toEqual([0, 1, 2, 3]);
  });
});
