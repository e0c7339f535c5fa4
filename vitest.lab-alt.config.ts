import { defineConfig } from 'vitest/config';

// The second lab phase: the same kind of tests against a lab booted without an IOMMU and with
// Xen's credit scheduler — a host that cannot pass devices through, and the other scheduler's
// commands. A separate instance (its own run directory), so it can run beside the usual lab.
process.env.DOMUS_LAB_INSTANCE = 'alt';

export default defineConfig({
  test: {
    include: ['test/lab/suite-alt/**/*.lab.test.ts'],
    globalSetup: ['test/lab/globalSetupAlt.ts'],
    env: { DOMUS_LAB_INSTANCE: 'alt' },
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    sequence: { concurrent: false },
  },
});
