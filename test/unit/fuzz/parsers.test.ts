// The short, fixed-seed fuzz run of every parser of host output (the full run is by hand:
// `npm run fuzz`, see README "Tests"). Each target gets mutated lab recordings: none may throw
// anything but its typed parse error, take over 1 s (the full run: 100 ms), or give NaN / Infinity.
import { describe, expect, it } from 'vitest';
import { fuzzTarget } from '../../fuzz/fuzz';
import { fuzzTargets } from '../../fuzz/targets';

const SEED = 14;
const INPUTS = 500;
// Ten times the full run's 100 ms: what a parser quadratic in a 100,000-character line takes
// by far, and what a CI machine busy with other work does not reach on linear work.
const SLOW_MS = 1000;

describe(`fuzz: ${INPUTS} mutated recordings per parser, seed ${SEED}`, () => {
  for (const t of fuzzTargets()) {
    it(t.name, () => {
      const r = fuzzTarget(t, { seed: SEED, iterations: INPUTS, slowMs: SLOW_MS });
      const found = r.findings.map((f) => `${f.kind} at input ${f.iteration} (${f.mutations.join('+')}): ${f.what}`);
      expect(found).toEqual([]);
      expect(r.inputs).toBe(INPUTS);
    });
  }
});
