import { defineConfig } from 'vitest/config';

// The lab suite: tests against the real Xen host under QEMU (and Chromium for UI tests). One lab
// is booted for the whole run (globalSetup) and shared; tests run one at a time because every
// guest shares one emulated machine.
export default defineConfig({
  test: {
    include: ['test/lab/suite/**/*.lab.test.ts'],
    globalSetup: ['test/lab/globalSetup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    sequence: { concurrent: false },
  },
});
