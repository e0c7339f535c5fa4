#!/usr/bin/env node
// `npm run test:lab [-- <filter>]`: the lab suite; a filter selects tests by name
// (e.g. `npm run test:lab -- console` runs every "lab: console …" test). `--alt` runs the second
// phase instead: test/lab/suite-alt on a lab booted without an IOMMU and with the credit scheduler;
// `--local` the local phase: test/lab/suite-local, Domus running inside the lab's dom0; `--long`
// the tests too long for CI (test/lab/suite-long) on the usual lab.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const passthrough = [];
let config = 'vitest.lab.config.ts';
for (const a of args) {
  if (a === '--alt') config = 'vitest.lab-alt.config.ts';
  else if (a === '--local') config = 'vitest.lab-local.config.ts';
  else if (a === '--long') config = 'vitest.lab-long.config.ts';
  else if (a.startsWith('-')) passthrough.push(a);
  else passthrough.push('-t', a);
}
const r = spawnSync('npx', ['vitest', 'run', '--config', config, ...passthrough], { stdio: 'inherit' });
process.exit(r.status ?? 1);
