// `npm run bench`: Domus's figures against the plain alternatives, measured in one run on the
// lab host (started if it is not running). Prints a table and writes bench-results.json:
// {"figures": {"<name>": {"value": <median>, "unit": "ms", ...ratios}}}.
import { writeFileSync } from 'node:fs';
import { labUp } from '../test/lab/control';
import { LabHost } from '../test/lab/labHost';
import { stop } from '../test/lab/vm';
import { benchInventory, type Figures } from './inventory';
import { benchIdleMonitoring, benchRenderer } from './renderer';
import { benchConsole } from './console';

async function main(): Promise<void> {
  const started = await labUp({ iommu: true, sched: 'credit2', fresh: false }, (l) => console.log(`[lab] ${l}`));
  const lab = await LabHost.connect();
  const figures: Figures = {};
  try {
    Object.assign(figures, await benchInventory(lab, (s) => console.log(s)));
    Object.assign(figures, await benchRenderer((s) => console.log(s)), await benchIdleMonitoring(lab, (s) => console.log(s)));
    Object.assign(figures, await benchConsole(lab, (s) => console.log(s)));
  } finally {
    lab.close();
    if (started === 'started' && !process.env.DOMUS_LAB_KEEP) await stop();
  }
  writeFileSync('bench-results.json', JSON.stringify({ figures }, null, 2) + '\n');
  console.log('\nfigure                              value      unit  ratios');
  for (const [name, f] of Object.entries(figures)) {
    const ratios = Object.entries(f)
      .filter(([k]) => k !== 'value' && k !== 'unit')
      .map(([k, v]) => `${k}=${typeof v === 'number' ? v.toFixed(2) : v}`)
      .join(' ');
    console.log(`${name.padEnd(34)} ${f.value.toFixed(0).padStart(8)}  ${f.unit.padEnd(4)}  ${ratios}`);
  }
  console.log('\nwrote bench-results.json');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
