import { defineConfig } from 'vitest/config';

// The local phase: Domus running inside the lab's dom0 ("this computer"), driven from Chromium
// here through an SSH port forward. It uses the same lab as the main phase (npm test hands the
// running lab over, see test/lab/suiteSetup.ts) and takes a few minutes.
export default defineConfig({
  test: {
    include: ['test/lab/suite-local/**/*.lab.test.ts'],
    globalSetup: ['test/lab/globalSetup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 900_000,
    sequence: { concurrent: false },
  },
});
