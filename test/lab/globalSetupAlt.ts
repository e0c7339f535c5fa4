// The alternative lab for test/lab/suite-alt: a host without an IOMMU, running Xen's credit
// scheduler. It is its own instance (DOMUS_LAB_INSTANCE=alt, set by vitest.lab-alt.config.ts).
import { suiteSetup } from './suiteSetup';

export default function setup(): Promise<() => Promise<void>> {
  return suiteSetup({ iommu: false, sched: 'credit' });
}
