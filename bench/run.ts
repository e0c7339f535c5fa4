// `npm run bench`: Domus's figures against the plain alternatives, measured in one run on the
// lab host (started if it is not running). Prints a table and writes bench-results.json
// (figures with their samples, the goals, the pieces that failed).
// `npm run bench -- renderer monitoring` runs only those pieces and merges their figures into an
// existing bench-results.json; the renderer piece alone needs no lab.
// `npm run bench -- --readme` measures nothing: it rewrites the README's table from
// bench-results.json.
// A piece that fails prints its error; the others still run and their figures are written; the
// run then exits non-zero.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { labUp } from '../test/lab/control';
import { LabHost } from '../test/lab/labHost';
import { stop } from '../test/lab/vm';
import { GOALS, goalValue, markdownTable, type BenchResults, type Figures } from './figures';
import { benchInventory } from './inventory';
import { benchCachedList } from './cachedList';
import { benchRenderer } from './renderer';
import { benchIdleMonitoring } from './monitoring';
import { benchConsole } from './console';
import { benchCreate } from './create';

const RESULTS = 'bench-results.json';
const README = 'README.md';
const MARK_START = '<!-- bench-table:start (npm run bench -- --readme) -->';
const MARK_END = '<!-- bench-table:end -->';

type Log = (s: string) => void;
const LAB_PIECES: Record<string, (lab: LabHost, log: Log) => Promise<Figures>> = {
  inventory: benchInventory,
  monitoring: benchIdleMonitoring,
  console: benchConsole,
  create: benchCreate,
};
const LOCAL_PIECES: Record<string, (log: Log) => Promise<Figures>> = {
  renderer: benchRenderer,
  'cached-list': benchCachedList,
};
const PIECES = [...Object.keys(LOCAL_PIECES), ...Object.keys(LAB_PIECES)];

function readResults(): BenchResults | null {
  if (!existsSync(RESULTS)) return null;
  return JSON.parse(readFileSync(RESULTS, 'utf8')) as BenchResults;
}

function writeReadme(r: BenchResults): void {
  const text = readFileSync(README, 'utf8');
  const a = text.indexOf(MARK_START);
  const b = text.indexOf(MARK_END);
  if (a < 0 || b < a) throw new Error(`${README} has no ${MARK_START} … ${MARK_END} section`);
  writeFileSync(README, text.slice(0, a + MARK_START.length) + '\n' + markdownTable(r) + '\n' + text.slice(b));
  console.log(`rewrote the table in ${README} from ${RESULTS}`);
}

async function main(): Promise<number> {
  const asked = process.argv.slice(2);
  if (asked.includes('--readme')) {
    const r = readResults();
    if (!r) throw new Error(`no ${RESULTS}: run npm run bench first`);
    writeReadme(r);
    return 0;
  }
  const unknown = asked.filter((a) => !PIECES.includes(a));
  if (unknown.length) throw new Error(`unknown bench piece(s) ${unknown.join(', ')}; choose from ${PIECES.join(', ')}`);
  const want = (p: string) => asked.length === 0 || asked.includes(p);
  const figures: Figures = {};
  const failed: Record<string, string> = {};
  const log: Log = (s) => console.log(s);
  const attempt = async (piece: string, fn: () => Promise<Figures>) => {
    console.log(`\n== ${piece}`);
    try {
      Object.assign(figures, await fn());
    } catch (err) {
      failed[piece] = err instanceof Error ? (err.stack ?? err.message) : String(err);
      console.error(`piece ${piece} FAILED: ${failed[piece]}`);
    }
  };
  for (const [piece, fn] of Object.entries(LOCAL_PIECES)) if (want(piece)) await attempt(piece, () => fn(log));
  const labPieces = Object.keys(LAB_PIECES).filter(want);
  if (labPieces.length) {
    const started = await labUp({ iommu: true, sched: 'credit2', fresh: false }, (l) => console.log(`[lab] ${l}`));
    const lab = await LabHost.connect();
    try {
      for (const piece of labPieces) await attempt(piece, () => LAB_PIECES[piece](lab, log));
    } finally {
      lab.close();
      if (started === 'started' && !process.env.DOMUS_LAB_KEEP) await stop();
    }
  }
  // Figures of pieces not run this time (or that failed) stay from the file's last run.
  const old = asked.length || Object.keys(failed).length ? readResults() : null;
  for (const [k, v] of Object.entries(old?.figures ?? {})) if (!(k in figures)) figures[k] = v;
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const results: BenchResults = { at: new Date().toISOString(), commit, figures, failed };
  writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
  console.log('\n' + markdownTable(results));
  console.log(`\nwrote ${RESULTS}`);
  const missed = GOALS.filter((g) => {
    const v = goalValue(figures, g);
    return v !== null && v > g.max;
  });
  if (missed.length) console.log(`goals missed: ${missed.map((g) => g.what).join('; ')}`);
  return Object.keys(failed).length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
