// `npm run bench`: Domus's figures against the plain alternatives, measured in one run on the
// lab host (started if it is not running). Prints a table and writes bench-results.json:
// {"figures": {"<name>": {"value": <median>, "unit": "ms", ...ratios}}}.
// `npm run bench -- renderer monitoring` runs only those pieces (inventory, renderer, monitoring,
// console) and merges their figures into an existing bench-results.json; the renderer piece
// alone needs no lab.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { labUp } from '../test/lab/control';
import { LabHost } from '../test/lab/labHost';
import { stop } from '../test/lab/vm';
import { benchInventory, type Figures } from './inventory';
import { benchIdleMonitoring, benchRenderer } from './renderer';
import { benchConsole } from './console';
import { benchCreate } from './create';

const PIECES = ['inventory', 'renderer', 'monitoring', 'console', 'create'] as const;

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(PIECES as readonly string[]).includes(a));
  if (unknown.length) throw new Error(`unknown bench piece(s) ${unknown.join(', ')}; choose from ${PIECES.join(', ')}`);
  const want = (p: (typeof PIECES)[number]) => asked.length === 0 || asked.includes(p);
  const figures: Figures = {};
  if (want('renderer')) Object.assign(figures, await benchRenderer((s) => console.log(s)));
  if (want('inventory') || want('monitoring') || want('console') || want('create')) {
    const started = await labUp({ iommu: true, sched: 'credit2', fresh: false }, (l) => console.log(`[lab] ${l}`));
    const lab = await LabHost.connect();
    try {
      if (want('inventory')) Object.assign(figures, await benchInventory(lab, (s) => console.log(s)));
      if (want('monitoring')) Object.assign(figures, await benchIdleMonitoring(lab, (s) => console.log(s)));
      if (want('console')) Object.assign(figures, await benchConsole(lab, (s) => console.log(s)));
      if (want('create')) Object.assign(figures, await benchCreate(lab, (s) => console.log(s)));
    } finally {
      lab.close();
      if (started === 'started' && !process.env.DOMUS_LAB_KEEP) await stop();
    }
  }
  if (asked.length && existsSync('bench-results.json')) {
    const old = JSON.parse(readFileSync('bench-results.json', 'utf8')) as { figures?: Figures };
    for (const [k, v] of Object.entries(old.figures ?? {})) if (!(k in figures)) figures[k] = v;
  }
  writeFileSync('bench-results.json', JSON.stringify({ figures }, null, 2) + '\n');
  console.log('\nfigure                              value      unit  ratios');
  for (const [name, f] of Object.entries(figures)) {
    const ratios = Object.entries(f)
      .filter(([k]) => k !== 'value' && k !== 'unit')
      .map(([k, v]) => `${k}=${typeof v === 'number' ? v.toFixed(2) : Array.isArray(v) ? v.join('/') : v}`)
      .join(' ');
    console.log(`${name.padEnd(34)} ${f.value.toFixed(f.unit === '%' ? 2 : f.unit === 'MB/s' ? 3 : f.value < 100 ? 1 : 0).padStart(8)}  ${f.unit.padEnd(4)}  ${ratios}`);
  }
  console.log('\nwrote bench-results.json');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
