#!/usr/bin/env node
// `npm test`: everything CI runs — type check, unit tests, the renderer build, the Electron security linter, the package check, then the lab suite
// (real Xen under QEMU, and Chromium for UI tests), the local phase (Domus inside the lab's dom0), then the second lab phase (no IOMMU, credit) — and one plain summary line at the end:
// "N passed, N failed". Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = mkdtempSync(join(tmpdir(), 'domus-test-'));
let passed = 0;
let failed = 0;

function step(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`=== ${name}: exit ${r.status} in ${Math.round((Date.now() - t0) / 1000)} s`);
  return r.status === 0;
}

function vitest(name, config, env) {
  const file = join(out, `${name}.json`);
  const ok = step(name, 'npx', ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], env);
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    // A suite that crashed before its tests ran still counts as a failure.
    if (!ok && r.numFailedTests === 0) failed += 1;
  } catch {
    failed += 1;
  }
}

function check(name, cmd, args) {
  if (step(name, cmd, args)) passed += 1;
  else failed += 1;
}

check('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
vitest('unit', 'vitest.config.ts');
check('build', 'npx', ['electron-vite', 'build']);
// Electron security linter; its reviewed false positives are listed in test/security/.
check('electronegativity', 'npx', ['tsx', 'test/security/electronegativity.ts']);
// The packaged app: electron-builder's Linux tree from a stand-in Electron, offline; the asar's
// size and contents, and the fuses in the binary.
check('package', 'npx', ['tsx', 'test/package/checkPackage.ts']);
if (process.env.DOMUS_SKIP_LAB) console.log('\n=== lab suite skipped (DOMUS_SKIP_LAB is set)');
else {
  // The main phase hands the lab it booted on to the local phase (no second boot of the same lab).
  vitest('lab', 'vitest.lab.config.ts', { DOMUS_LAB_HANDOFF: '1' });
  // Domus running inside the lab's dom0 ("this computer"); it stops the lab it took over.
  vitest('lab-local', 'vitest.lab-local.config.ts');
  // Second phase: a lab booted without an IOMMU and with the credit scheduler.
  vitest('lab-alt', 'vitest.lab-alt.config.ts');
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
