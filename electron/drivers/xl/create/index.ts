// Creating guests on an xl host: preview (config + disk plan + every problem), dry run, create.
import { randomBytes } from 'node:crypto';
import type { CreateAnswers, CreateFacts, CreatePreview, CreateResult, Problem } from '../../../api/create';
import { blocking, validateAll } from '../../../api/createRules';
import { DomusError } from '../../../api/errors';
import type { Run } from '../lifecycle';
import { parseXlError } from '../parse';
import { buildConfig, configPathFor } from './config';
import { configProblems, floorProblem, questionsFor, Questions } from '../configChecks';
import { XlCfg } from '../xlcfg';
import { diskUseProblems, hostProblems, pathKinds } from './hostCheck';
import { configDisks, judgeClaims, readDiskUses, refuseDiskConflicts, taskNotes } from '../diskUsage';
import { diskOps, diskPlan, pathsToCheck } from './plan';
import { runCreateScript, type ScriptHooks } from './script';

export { LvmTools, readFacts } from './facts';
export { listDirectory } from './browse';
export { describeConfig } from './summary';

/** Everything wrong with the answers, page rules and the host's files together. */
async function checkAnswers(run: Run, a: CreateAnswers, facts: CreateFacts, configText: string | null = null, start?: boolean): Promise<Problem[]> {
  const configPath = configPathFor(a.name);
  // Names are the host's answer below, asked in the same round trip, not the inventory's: a guest
  // made or removed in a shell a moment ago may not be in it yet (or still be).
  // Free memory too: facts are read fresh for each create, so a start is refused (or a config made
  // for later allowed) by what the host has free at that moment.
  const rules = validateAll(a, { ...facts, usedNames: [] }, { start });
  // The config checks the editor runs too, in the same round trip; of those, the wizard's own
  // rules and hostProblems cover all but the kernel's memory floor.
  const text = configText ?? buildConfig(a);
  const q = new Questions();
  let cfg: XlCfg | null = null;
  try {
    cfg = XlCfg.parse(text);
    questionsFor(cfg, q, { names: true });
  } catch {
    cfg = null; // the advanced edit's syntax is xl create -n's to report
  }
  // Paths that are not even well-formed were reported by the rules; ask the host about the rest.
  const { kinds, facts: host } = await pathKinds(run, pathsToCheck(a, configPath).filter((p) => p.startsWith('/')), q);
  const checked = cfg ? configProblems({ currentName: null, configPath, text }, cfg, host) : [];
  const floor = floorProblem(checked);
  const memory: Problem[] = floor
    ? [{ page: 'cpu', field: 'memory', code: 'cpu.memoryBelowKernelFloor', severity: 'error', params: floor.params ?? {}, message: floor.message.replace(/^Line \d+: /, '') }]
    : [];
  const files = hostProblems(a, configPath, kinds);
  // Another config's name= or a running domain (the config at the usual path is said above).
  const nameInUse = checked.some((p) => p.code === 'name.taken' || p.code === 'name.running') && !files.some((p) => p.code === 'name.configExists');
  const names: Problem[] = nameInUse
    ? [{ page: 'name', field: 'name', code: 'name.taken', severity: 'error', params: { name: a.name }, message: `A guest named ${a.name} already exists on this host (running or as a config).` }]
    : [];
  return [...rules, ...names, ...files, ...memory];
}

/** Who else uses the disks the answers name, as problems on the storage page (early warning). */
async function diskUses(run: Run, a: CreateAnswers, configText: string, sharedDisks: readonly string[]): Promise<Problem[]> {
  const claims = configDisks(configText).disks;
  if (!claims.length) return [];
  const findings = judgeClaims(await readDiskUses(run, claims.map((c) => c.target)), claims, { self: a.name, sharedDisks });
  return diskUseProblems(a, findings);
}

export async function preview(run: Run, a: CreateAnswers, facts: CreateFacts, sharedDisks: readonly string[] = []): Promise<CreatePreview> {
  const configText = buildConfig(a);
  const problems = await checkAnswers(run, a, facts);
  return { configPath: configPathFor(a.name), configText, disks: diskPlan(a), problems: [...problems, ...(await diskUses(run, a, configText, sharedDisks))] };
}

/** `xl create -n` on config text, in a private temporary file that is removed afterwards. */
export async function dryRun(run: Run, text: string): Promise<{ ok: boolean; message: string | null; detail: string | null }> {
  const tmp = `/tmp/domus-dryrun-${randomBytes(6).toString('hex')}.cfg`;
  const w = await run(['sh', '-c', 'set -C && umask 077 && cat > "$1"', 'sh', tmp], { stdin: text });
  if (w.code !== 0) throw new DomusError('command_failed', 'A temporary file for the check could not be written on the host.', w.stderr.trim());
  try {
    const r = await run(['xl', 'create', '-n', tmp]);
    if (r.code === 0) return { ok: true, message: null, detail: null };
    const e = parseXlError(r.stderr);
    return { ok: false, message: 'xl rejected this config.', detail: e.lines.join('\n').split(tmp).join('<config>') };
  } finally {
    await run(['rm', '-f', '--', tmp]);
  }
}

/**
 * Checks everything first (refusing with every problem before touching anything), then runs the
 * script. configText is the review's advanced edit, or null for the generated config;
 * checkedByXl says whether xl create -n passed this very text a moment ago (the review's check).
 */
export async function createGuest(
  run: Run, a: CreateAnswers, facts: CreateFacts, configText: string | null, start: boolean, hooks: ScriptHooks = {}, sharedDisks: readonly string[] = [],
  checkedByXl: (text: string) => boolean = () => false,
): Promise<CreateResult> {
  const problems = blocking(await checkAnswers(run, a, facts, configText, start));
  if (problems.length) {
    throw new DomusError('invalid_input', `${problems[0].message} Nothing was created.`, problems.map((p) => p.message).join('\n'));
  }
  const text = configText ?? buildConfig(a);
  // Against the host as it is now (not the preview's answer): a guest started in a shell a
  // moment ago counts.
  const findings = await refuseDiskConflicts(run, { text }, { self: a.name, sharedDisks, nothingDone: 'Nothing was created.' });
  for (const n of taskNotes(findings)) hooks.note?.(n);
  const steps = { name: a.name, configPath: configPathFor(a.name), configText: text, disks: diskOps(a), start, checkedByXl: checkedByXl(text) };
  return runCreateScript(run, steps, hooks);
}
