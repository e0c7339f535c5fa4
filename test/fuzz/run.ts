// `npm run fuzz -- [--seed N] [--iterations N] [--target substring] [--save dir]`
// Mutated lab recordings through every parser of host output; prints per target the inputs,
// typed refusals, crashes, slow inputs (> 100 ms), non-finite outputs and the slowest input.
// Exits 1 when anything was found; --save writes each finding's input to a file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SLOW_MS, fuzzTarget } from './fuzz';
import { fuzzTargets } from './targets';

const HELP = `Usage: npm run fuzz -- [options]
  --seed N        seed of the mutations (default 1); the same seed gives the same inputs
  --iterations N  mutated inputs per target (default 10000)
  --target TEXT   only targets whose name contains TEXT
  --save DIR      write the input of every finding to DIR
  --slow-ms N     what counts as slow (default ${SLOW_MS})
A crash is an exception other than the parser's own typed parse error; slow is over ${SLOW_MS} ms.`;

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    iterations: { type: 'string', default: '10000' },
    target: { type: 'string' },
    save: { type: 'string' },
    'slow-ms': { type: 'string', default: String(SLOW_MS) },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const seed = Number(values.seed);
const iterations = Number(values.iterations);
if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(iterations) || iterations < 1) {
  console.error(`--seed and --iterations take whole numbers.\n\n${HELP}`);
  process.exit(2);
}

const targets = fuzzTargets().filter((t) => !values.target || t.name.includes(values.target));
console.log(`fuzz: seed ${seed}, ${iterations} inputs per target, ${targets.length} targets`);
const rows: string[][] = [['target', 'inputs', 'refused', 'crashes', 'slow', 'non-finite', 'max ms']];
let found = 0;
const started = Date.now();
for (const t of targets) {
  const r = fuzzTarget(t, { seed, iterations, slowMs: Number(values['slow-ms']) });
  rows.push([r.target, r.inputs, r.refused, r.crashes, r.slow, r.nonFinite, r.maxMs.toFixed(1)].map(String));
  found += r.crashes + r.slow + r.nonFinite;
  for (const f of r.findings) {
    console.log(`  ${r.target}: ${f.kind} at input ${f.iteration} (${f.mutations.join('+')}, ${f.inputLength} chars): ${f.what}`);
    if (values.save) {
      mkdirSync(values.save, { recursive: true });
      const file = path.join(values.save, `${r.target.replace(/\W+/g, '_')}-${f.kind}-${f.iteration}.txt`);
      writeFileSync(file, f.input);
    }
  }
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
const total = (rows.length - 1) * iterations;
console.log(`${total} inputs in ${((Date.now() - started) / 1000).toFixed(0)} s; ${found ? `${found} findings` : 'nothing found'}.`);
process.exit(found ? 1 : 0);
