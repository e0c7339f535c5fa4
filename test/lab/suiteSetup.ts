// A lab suite's global set-up: boot the instance with the options its tests were written for (or
// use it when it already runs with those options), and stop it afterwards only if this run
// started it. `npm test` runs the local phase right after the main one on the same lab: with
// DOMUS_LAB_HANDOFF set, a phase that booted the lab leaves it running with a note in its run
// directory, and the next phase that finds the note owns the lab (and stops it) from then on.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labUp } from './control';
import { runDir } from './paths';
import { readState, stop } from './vm';

const HANDOFF = () => join(runDir(), 'handoff');

export async function suiteSetup(opts: { iommu: boolean; sched: 'credit' | 'credit2' }): Promise<() => Promise<void>> {
  const log = (l: string) => console.log(`[lab${process.env.DOMUS_LAB_INSTANCE ? ` ${process.env.DOMUS_LAB_INSTANCE}` : ''}] ${l}`);
  let outcome = await labUp({ ...opts, fresh: !!process.env.CI }, log);
  if (outcome === 'already running') {
    const st = readState()!;
    if (st.iommu !== opts.iommu || st.sched !== opts.sched) {
      throw new Error(
        `The running lab was booted with iommu=${st.iommu} sched=${st.sched}; these tests need iommu=${opts.iommu} sched=${opts.sched}. Stop it (npm run lab -- down) or boot the right one.`,
      );
    }
    if (existsSync(HANDOFF())) {
      rmSync(HANDOFF());
      outcome = 'started';
      log('Took the lab over from the previous phase.');
    }
  }
  return async () => {
    if (outcome !== 'started' || process.env.DOMUS_LAB_KEEP) return;
    if (process.env.DOMUS_LAB_HANDOFF) {
      writeFileSync(HANDOFF(), `${new Date().toISOString()}\n`);
      log('Left the lab running for the next phase.');
      return;
    }
    await stop();
  };
}
