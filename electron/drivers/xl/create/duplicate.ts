// Duplicating a guest: its config with a new name, no uuid, new MACs, and each disk copied
// (qemu-img convert), replaced by a new empty image, or shared (read-only media; a writable disk only
// when the user confirms it as a cluster filesystem disk by typing its path). It runs the
// same create script, so the same no-overwrite and rollback rules hold.
import { randomBytes } from 'node:crypto';
import type { CreateResult, ImageFormat } from '../../../api/create';
import { DomusError } from '../../../api/errors';
import { refuseDiskConflicts, taskNotes } from '../diskUsage';
import { disksOfConfig, type Run } from '../lifecycle';
import { XlCfg, XlDiskSpecError, formatDiskSpec, parseDiskSpec, setVifParam, type DiskSpec } from '../xlcfg';
import { configPathFor } from './config';
import { configProblems, questionsFor, Questions } from '../configChecks';
import { pathKinds } from './hostCheck';
import { xenMac } from './naming';
import { parentDir, type DiskOp } from './plan';
import { runCreateScript, type ScriptHooks } from './script';

export interface DuplicateDisk {
  source: string;
  mode: 'copy' | 'new' | 'share';
  path: string | null;
  format: ImageFormat | null;
  sizeMiB: number | null;
}

/**
 * A spec with its target and format replaced; everything else xl reads from it (vdev, access,
 * CD-ROM, script, discard, backend= ...) means the same afterwards.
 */
export function retargetDiskSpec(spec: string, target: string, format: ImageFormat): string {
  return formatDiskSpec({ ...readDiskSpec(spec), target, format });
}

/** A vif spec with a new mac= (added when it had none); every other parameter kept as written. */
export function newMacVif(spec: string, mac: string): string {
  return setVifParam(spec, 'mac', mac);
}

function readDiskSpec(spec: string): DiskSpec {
  try {
    return parseDiskSpec(spec);
  } catch (err) {
    if (err instanceof XlDiskSpecError) throw new DomusError('invalid_input', `${err.message} Fix the config first; nothing was created.`, err.detail);
    throw err;
  }
}

export interface DuplicatePlanned {
  configText: string;
  disks: DiskOp[];
}

/** The new config and disk operations; pure (mac bytes injectable for tests). */
export function planDuplicate(sourceText: string, name: string, choices: DuplicateDisk[], random: (n: number) => ArrayLike<number> = (n) => randomBytes(n)): DuplicatePlanned {
  const cfg = XlCfg.parse(sourceText);
  cfg.set('name', name);
  cfg.delete('uuid');
  const vifs = cfg.getList('vif').filter((v): v is string => typeof v === 'string');
  if (vifs.length) cfg.set('vif', vifs.map((v) => newMacVif(v, xenMac(random(3)))));
  const ops: DiskOp[] = [];
  const specs = cfg.getList('disk').filter((d): d is string => typeof d === 'string');
  const known = disksOfConfig(cfg);
  const newSpecs = specs.map((spec) => {
    const d = readDiskSpec(spec);
    if (!d.target) return spec;
    const c = choices.find((x) => x.source === d.target);
    const info = known.find((k) => k.target === d.target);
    const shareable = info?.cdrom || d.readOnly;
    if (!c) {
      if (shareable) return spec;
      throw new DomusError('invalid_input', `Say what to do with the disk ${d.target}: copy it, make a new one, or leave it out.`);
    }
    // Sharing a writable disk is judged against the host when the copy is made (refuseDiskConflicts
    // names the guest using it and allows a typed confirmation for cluster filesystems).
    if (c.mode === 'share') return spec;
    if (!c.path || !c.format) throw new DomusError('invalid_input', `Give the new path and format for the copy of ${d.target}.`);
    if (c.mode === 'copy') ops.push({ kind: 'copy', source: d.target, path: c.path, format: c.format });
    else {
      if (!c.sizeMiB) throw new DomusError('invalid_input', `Give the size of the new disk replacing ${d.target}.`);
      ops.push({ kind: 'create', path: c.path, format: c.format, sizeMiB: c.sizeMiB });
    }
    return retargetDiskSpec(spec, c.path, c.format);
  });
  if (specs.length) cfg.set('disk', newSpecs);
  return { configText: cfg.toString(), disks: ops };
}

export async function duplicateGuest(
  run: Run,
  source: { name: string; running: boolean; configText: string },
  name: string,
  choices: DuplicateDisk[],
  start: boolean,
  hooks: ScriptHooks = {},
  sharedDisks: readonly string[] = [],
): Promise<CreateResult> {
  const plan = planDuplicate(source.configText, name, choices);
  if (source.running && plan.disks.some((d) => d.kind === 'copy')) {
    throw new DomusError('conflict', `${source.name} is running: a copy of a disk in use would be inconsistent. Shut it down first; nothing was created.`);
  }
  const configPath = configPathFor(name);
  const paths = [configPath, ...plan.disks.flatMap((d) => (d.kind === 'lvcreate' ? [] : [d.path, parentDir(d.path), ...(d.kind === 'copy' ? [d.source] : [])]))];
  // The copy's config gets the editor's checks (boot files, bridges, PCI, memory, name) in the
  // same round trip as the paths the copy will make; its new disks do not exist yet, by design.
  const cfg = XlCfg.parse(plan.configText);
  const q = new Questions();
  questionsFor(cfg, q, { names: true });
  const { kinds, facts } = await pathKinds(run, [...new Set(paths)], q);
  const problems: string[] = configProblems({ currentName: null, configPath, text: plan.configText }, cfg, facts, { willExist: new Set(plan.disks.map((d) => (d.kind === 'lvcreate' ? `/dev/${d.vg}/${d.lv}` : d.path))) })
    .filter((p) => p.severity === 'error')
    .map((p) => p.message);
  if (kinds.get(configPath) !== '-') problems.push(`${configPath} already exists on the host; Domus does not overwrite it.`);
  for (const d of plan.disks) {
    if (d.kind === 'lvcreate') continue;
    if (kinds.get(d.path) !== '-') problems.push(`${d.path} already exists on the host; Domus does not overwrite it.`);
    else if (kinds.get(parentDir(d.path)) !== 'd') problems.push(`The directory ${parentDir(d.path)} does not exist on the host.`);
    if (d.kind === 'copy' && kinds.get(d.source) !== 'f' && kinds.get(d.source) !== 'b') problems.push(`There is no image ${d.source} to copy.`);
  }
  if (problems.length) throw new DomusError('invalid_input', `${problems[0]} Nothing was created.`, problems.join('\n'));
  const findings = await refuseDiskConflicts(run, { text: plan.configText }, { self: name, sharedDisks, nothingDone: 'Nothing was created.' });
  for (const n of taskNotes(findings)) hooks.note?.(n);
  return runCreateScript(run, { name, configPath, configText: plan.configText, disks: plan.disks, start }, hooks);
}
