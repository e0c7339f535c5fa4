// Records xl's own reading of the xlcfg differential cases (test/fixtures/xlcfg/cases.ts) from the
// running lab: `npx tsx test/lab/recordXlcfg.ts`. One dom0 script runs `xl create -n` (a dry run:
// nothing is created) on every config; the answers go to test/fixtures/xlcfg/xl-create-n.json,
// which the unit test compares Domus against offline.
import { writeFileSync } from 'node:fs';
import { buildRuns, dom0Script, parseAnswers, XLCFG_FIXTURE } from '../fixtures/xlcfg/runs';
import { LabHost } from './labHost';

async function main() {
  const lab = await LabHost.connect();
  try {
    const runs = buildRuns();
    const r = await lab.script(dom0Script(runs), 900_000);
    if (r.code !== 0) throw new Error(`the dom0 script failed: ${r.stderr}`);
    const answers = parseAnswers(r.stdout);
    const version = (await lab.ok(['xl', 'info'])).match(/^xen_version\s*:\s*(\S+)/m)?.[1] ?? 'unknown';
    const fixture = {
      note: 'xl create -n on the lab: xl\'s own reading of each config (recorded by test/lab/recordXlcfg.ts)',
      xen: version,
      runs: runs.map((run) => ({ ...run, ...answers.find((a) => a.id === run.id)! })),
    };
    writeFileSync(XLCFG_FIXTURE, `${JSON.stringify(fixture, null, 1)}\n`);
    console.log(`recorded ${answers.length} of ${runs.length} runs (Xen ${version})`);
  } finally {
    lab.close();
  }
}

await main();
