import { defineConfig } from 'vitest/config';

// Unit and component tests: plain Node (and jsdom where a file asks for it). No lab, no browser.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
    testTimeout: 20_000,
  },
});
