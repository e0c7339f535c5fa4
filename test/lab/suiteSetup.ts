// A lab suite's global set-up: boot the instance with the options its tests were written for (or
// use it when it already runs with those options), and stop it afterwards only if this run
// started it.
import { labUp } from './control';
import { readState, stop } from './vm';

export async function suiteSetup(opts: { iommu: boolean; sched: 'credit' | 'credit2' }): Promise<() => Promise<void>> {
  const log = (l: string) => console.log(`[lab${process.env.DOMUS_LAB_INSTANCE ? ` ${process.env.DOMUS_LAB_INSTANCE}` : ''}] ${l}`);
  const outcome = await labUp({ ...opts, fresh: !!process.env.CI }, log);
  if (outcome === 'already running') {
    const st = readState()!;
    if (st.iommu !== opts.iommu || st.sched !== opts.sched) {
      throw new Error(
        `The running lab was booted with iommu=${st.iommu} sched=${st.sched}; these tests need iommu=${opts.iommu} sched=${opts.sched}. Stop it (npm run lab -- down) or boot the right one.`,
      );
    }
  }
  return async () => {
    if (outcome === 'started' && !process.env.DOMUS_LAB_KEEP) await stop();
  };
}
