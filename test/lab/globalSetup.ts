// Boots the lab once for the whole lab suite (or uses the one already running), and stops it
// afterwards only if this run started it.
import { suiteSetup } from './suiteSetup';

export default function setup(): Promise<() => Promise<void>> {
  return suiteSetup({ iommu: true, sched: 'credit2' });
}
