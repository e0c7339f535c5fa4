// lab: xlcfg — the vif, cpus= and whole-config cases read live by `xl create -n` (a dry run that
// creates nothing; the guests would be named hx-xlcfg-*) in one dom0 script, compared with
// Domus's reading and with the recorded answers the unit test uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRuns, compare, dom0Script, parseAnswers, recordedAnswers, type XlAnswer } from '../../fixtures/xlcfg/runs';
import { LabHost } from '../labHost';

describe('lab: xlcfg differential', () => {
  let lab: LabHost;
  let live: XlAnswer[];

  beforeAll(async () => {
    lab = await LabHost.connect();
    const r = await lab.script(dom0Script(buildRuns()), 900_000);
    expect(r.code, r.stderr).toBe(0);
    live = parseAnswers(r.stdout);
  }, 900_000);

  afterAll(() => lab?.close());

  it('xl reads every case as Domus does', () => {
    expect(live).toHaveLength(buildRuns().length);
    expect(compare(live).disagreements).toEqual([]);
  });

  it('xl answers as recorded (the fixture the unit test uses is still true)', () => {
    const recorded = recordedAnswers().runs;
    const view = (a: XlAnswer) => [a.id, a.rc, a.rc === 0 ? JSON.parse(a.stdout.replace(/"uuid": "[^"]*",?/g, '')) : null];
    expect(live.map(view)).toEqual(recorded.map(view));
  });
});
