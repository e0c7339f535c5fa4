// Boots the lab once for the whole lab suite (or uses the one already running), and stops it
// afterwards only if this run started it.
import { labUp } from './control';
import { stop } from './vm';

export default async function setup(): Promise<() => Promise<void>> {
  const outcome = await labUp({ iommu: true, sched: 'credit2', fresh: !!process.env.CI }, (l) => console.log(`[lab] ${l}`));
  return async () => {
    if (outcome === 'started' && !process.env.DOMUS_LAB_KEEP) await stop();
  };
}
