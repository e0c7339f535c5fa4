#!/usr/bin/env node
// `npm run test:lab [-- <filter>]`: the lab suite; a filter selects tests by name
// (e.g. `npm run test:lab -- console` runs every "lab: console …" test).
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const passthrough = [];
for (const a of args) {
  if (a.startsWith('-')) passthrough.push(a);
  else passthrough.push('-t', a);
}
const r = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.lab.config.ts', ...passthrough], { stdio: 'inherit' });
process.exit(r.status ?? 1);
