import { defineConfig } from 'vitest/config';

// Lab tests too long for CI's budget (a guest booting for ten minutes under TCG): the same lab
// and rules as the main suite, run by hand with `npm run test:lab -- --long`. Their last results
// are in the README's Tests section.
export default defineConfig({
  test: {
    include: ['test/lab/suite-long/**/*.lab.test.ts'],
    globalSetup: ['test/lab/globalSetup.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 1_200_000,
    hookTimeout: 300_000,
    sequence: { concurrent: false },
  },
});
