// Guest lifecycle on an xl host: the argv of each operation, how to tell it worked, and what to
// say when it did not. Every command runs through `run`, which the caller makes a task step (so
// it lands in the task log with the tool's stderr). Nothing here builds a shell string from input:
// the few `sh -c` scripts are fixed text with the values passed as positional arguments.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DomusError } from '../../api/errors';
import { guestFileName, isSafeFileName } from '../../api/guestNames';
import type { ConfigProblem } from '../../api/guests';
import type { DeletePlan, GuestDetails, GuestDiskInfo } from '../../api/lifecycle';
import type { ExecOptions, ExecResult } from '../../transport/types';
import { checkConfig } from './configChecks';
import { CONFIG_DIR } from './configIndex';
import { configFileMode } from './configMode';
import { pausedRefusalDetail } from '../../api/lifecycle';
import { parseXlError, parseXlList, parseXlUptime } from './parse';
import { XlCfg, XlCfgSyntaxError, XlVifSpecError, isValidDiskSpec, parseDiskSpec, parseVifSpec } from './xlcfg';
import { describeUser, otherUsers, readDiskUses, toDiskUser } from './diskUsage';

export type Run = (argv: readonly string[], opts?: ExecOptions) => Promise<ExecResult>;

export const AUTOSTART_DIR = `${CONFIG_DIR}/auto`;

/** A DomusError whose detail is xl's own text. */
export function xlFailure(message: string, r: ExecResult, code: 'command_failed' | 'invalid_input' = 'command_failed'): DomusError {
  const e = parseXlError(r.stderr);
  return new DomusError(code, message, e.lines.length ? e.lines.join('\n') : r.stdout.trim() || `exit code ${r.code}`);
}

export async function must(run: Run, argv: string[], message: string, opts?: ExecOptions): Promise<ExecResult> {
  const r = await run(argv, opts);
  if (r.code !== 0) throw xlFailure(message, r);
  return r;
}

export const startGuest = (run: Run, configPath: string, paused = false) =>
  must(run, ['xl', 'create', ...(paused ? ['-p'] : []), configPath], 'The guest could not be started.', { timeoutMs: 300_000 });
export const rebootGuest = (run: Run, name: string) => must(run, ['xl', 'reboot', '--', name], `${name} could not be asked to reboot.`);
export const pauseGuest = (run: Run, name: string) => must(run, ['xl', 'pause', '--', name], `${name} could not be paused.`);
export const resumeGuest = (run: Run, name: string) => must(run, ['xl', 'unpause', '--', name], `${name} could not be resumed.`);
export const destroyGuest = (run: Run, name: string) =>
  must(run, ['xl', 'destroy', '--', name], `${name} could not be forced off.`, { timeoutMs: 120_000 });

/** True while a domain of that name exists. */
export async function domainExists(run: Run, name: string): Promise<boolean> {
  return (await run(['xl', 'domid', '--', name])).code === 0;
}

/** Resolves true when the domain has gone, false when the time ran out (see HostConnection). */
export type DomainGone = (timeoutMs: number, signal: AbortSignal) => Promise<boolean>;

/**
 * A paused guest cannot answer a shutdown request: xl would wait for it (about a minute) and give
 * up. Asked of the domain as it is now (one `xl list`), not of the inventory, so a guest paused in
 * a shell a moment ago is refused too. When xl list fails, the shutdown goes ahead and xl speaks.
 */
export async function refuseWhenPaused(run: Run, name: string): Promise<void> {
  const r = await run(['xl', 'list', '--', name]);
  if (r.code !== 0) return;
  const row = parseXlList(r.stdout).find((d) => d.name === name);
  if (row?.flags.paused) {
    throw new DomusError(
      'conflict',
      `${name} is paused, so it cannot answer a shutdown request. Resume it first, or force it off.`,
      pausedRefusalDetail(r.stdout.trim()),
    );
  }
}

/**
 * Sends the shutdown request, then waits until the domain is gone: the live inventory says so
 * (its xenstore watch), and only when that wait runs out does `xl domid` have the last word. A
 * guest that ignores the request (no PV drivers, paused, hung) is reported as a timeout: the user
 * then decides whether to force it off. Cancelling stops the wait only; the request has already
 * been sent.
 */
export async function shutdownGuest(run: Run, name: string, timeoutMs: number, signal: AbortSignal, gone: DomainGone): Promise<void> {
  await refuseWhenPaused(run, name);
  const asked = await run(['xl', 'shutdown', '--', name]);
  if (asked.code !== 0) {
    // A PV guest that does not answer the control request (paused, hung, no PV drivers): xl
    // gives up by itself ("guest didn't acknowledge control request"). That is the same outcome
    // as our own wait running out, and the user's next step is the same: force it off.
    if (/didn't acknowledge control request/.test(asked.stderr)) {
      throw new DomusError(
        'timeout',
        `${name} did not answer the shutdown request; it may be paused or hung. You can force it off.`,
        asked.stderr.trim(),
      );
    }
    throw xlFailure(`${name} could not be asked to shut down.`, asked);
  }
  let went: boolean;
  try {
    went = await gone(timeoutMs, signal);
  } catch {
    throw new DomusError('command_failed', `Stopped waiting for ${name} to shut down; the shutdown request was already sent.`);
  }
  if (went || !(await domainExists(run, name))) return;
  throw new DomusError(
    'timeout',
    `${name} did not shut down within ${Math.round(timeoutMs / 1000)} s; it may be ignoring the request. You can force it off.`,
    'The shutdown request was sent (xl shutdown) and the domain was still there when Domus stopped waiting.',
  );
}

async function pathExists(run: Run, p: string): Promise<boolean> {
  return (await run(['test', '-e', p])).code === 0;
}

/** `xl save`: the guest's memory to a file; the domain is gone afterwards. Never overwrites. */
export async function saveGuest(run: Run, name: string, file: string): Promise<void> {
  if (await pathExists(run, file)) throw new DomusError('conflict', `${file} already exists on the host; Domus does not overwrite it. Choose another file.`);
  const r = await run(['xl', 'save', '--', name, file], { timeoutMs: 1_800_000 });
  if (r.code === 0) return;
  // Roll back only what this save made: a partial file that was not there before.
  const leftover = await pathExists(run, file);
  if (leftover) await run(['rm', '-f', '--', file]);
  const still = await domainExists(run, name);
  throw xlFailure(
    `${name} could not be saved to ${file}.${leftover ? ' The partial file was removed.' : ''}${still ? ` ${name} is still running.` : ''}`,
    r,
  );
}

export async function restoreGuest(run: Run, file: string, paused = false): Promise<void> {
  if (!(await pathExists(run, file))) throw new DomusError('not_found', `There is no file ${file} on the host.`);
  await must(run, ['xl', 'restore', ...(paused ? ['-p'] : []), file], `The guest could not be restored from ${file}.`, { timeoutMs: 1_800_000 });
}

export const autostartLink = (name: string) => `${AUTOSTART_DIR}/${guestFileName(name, 'an autostart link')}.cfg`;

/** Where the autostart link of a guest points, or null when there is none. */
export async function readAutostart(run: Run, name: string): Promise<string | null> {
  // No link of Domus's can exist for a name that cannot be a file name.
  if (!isSafeFileName(name)) return null;
  const r = await run(['readlink', '-f', '--', autostartLink(name)]);
  if (r.code !== 0) return null;
  const exists = await run(['test', '-L', autostartLink(name)]);
  return exists.code === 0 ? r.stdout.trim() : null;
}

export async function setAutostart(run: Run, name: string, configPath: string, enabled: boolean): Promise<void> {
  const link = autostartLink(name);
  if (enabled) {
    await must(run, ['mkdir', '-p', AUTOSTART_DIR], `${AUTOSTART_DIR} could not be created.`);
    const cur = await readAutostart(run, name);
    if (cur === configPath) return;
    if (await pathExists(run, link)) throw new DomusError('conflict', `${link} already exists and is not Domus's link to ${configPath}; it was left alone.`);
    await must(run, ['ln', '-s', '--', configPath, link], `The autostart link for ${name} could not be made.`);
  } else {
    if ((await run(['test', '-L', link])).code !== 0) return;
    await must(run, ['rm', '-f', '--', link], `The autostart link for ${name} could not be removed.`);
  }
}

export async function readConfigText(run: Run, configPath: string): Promise<string> {
  const r = await run(['cat', '--', configPath]);
  if (r.code !== 0) throw new DomusError('not_found', `The config file ${configPath} could not be read.`, r.stderr.trim());
  return r.stdout;
}

/** Sizes of regular files (null for anything else or a missing file), one command for all. */
async function fileSizes(run: Run, targets: string[]): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>(targets.map((t) => [t, null]));
  const abs = targets.filter((t) => t.startsWith('/'));
  if (!abs.length) return out;
  // stat prints one line per file it can read; missing ones go to stderr.
  const r = await run(['stat', '-L', '-c', '%F|%s|%n', '--', ...abs]);
  for (const line of r.stdout.split('\n')) {
    const m = /^([^|]+)\|(\d+)\|(.*)$/.exec(line);
    if (m && m[1] === 'regular file') out.set(m[3], Number(m[2]));
    else if (m && out.has(m[3])) out.set(m[3], null);
  }
  return out;
}

export function disksOfConfig(cfg: XlCfg): { target: string; format: string | null; vdev: string | null; cdrom: boolean }[] {
  return cfg
    .getList('disk')
    .filter((d): d is string => typeof d === 'string')
    .flatMap((spec) => {
      // A spec xl refuses names no disk xl would use (xl would not start the guest at all).
      if (!isValidDiskSpec(spec)) return [];
      const d = parseDiskSpec(spec);
      return d.target ? [{ target: d.target, format: d.format, vdev: d.vdev, cdrom: d.devtype === 'cdrom' }] : [];
    });
}

export async function diskInfo(run: Run, disks: { target: string; format: string | null; vdev: string | null; cdrom?: boolean }[]): Promise<GuestDiskInfo[]> {
  const sizes = await fileSizes(run, disks.map((d) => d.target));
  return disks.map((d) => {
    const size = sizes.get(d.target) ?? null;
    return { target: d.target, format: d.format, vdev: d.vdev, sizeBytes: size, isFile: size !== null && !d.cdrom };
  });
}

function parseConfig(text: string, where: string): XlCfg {
  try {
    return XlCfg.parse(text);
  } catch (err) {
    if (err instanceof XlCfgSyntaxError) throw new DomusError('invalid_input', `${where} is not a valid xl config (${err.message}).`, err.message);
    throw err;
  }
}

export async function guestDetails(
  run: Run,
  g: { name: string; domid: number | null; configPath: string | null; disks: { target: string; format?: string; vdev?: string; cdrom?: boolean }[]; nics: { bridge?: string; mac?: string }[]; type: string | null },
): Promise<GuestDetails> {
  let cfg: XlCfg | null = null;
  if (g.configPath) {
    try {
      cfg = parseConfig(await readConfigText(run, g.configPath), g.configPath);
    } catch {
      cfg = null;
    }
  }
  let uptimeSeconds: number | null = null;
  if (g.domid !== null) {
    const r = await run(['xl', 'uptime', '--', g.name]);
    uptimeSeconds = r.code === 0 ? (parseXlUptime(r.stdout).find((u) => u.name === g.name)?.seconds ?? null) : null;
  }
  const running = g.domid !== null;
  const disks = running
    ? g.disks.map((d) => ({ target: d.target, format: d.format ?? null, vdev: d.vdev ?? null, cdrom: d.cdrom ?? false }))
    : cfg ? disksOfConfig(cfg) : [];
  const nics = running
    ? g.nics.map((n) => ({ bridge: n.bridge ?? null, mac: n.mac ?? null }))
    : (cfg?.getList('vif') ?? []).flatMap((v) => {
        if (typeof v !== 'string') return [];
        try {
          const nic = parseVifSpec(v);
          return [{ bridge: nic.bridge, mac: nic.mac }];
        } catch (err) {
          if (err instanceof XlVifSpecError) return [];
          throw err;
        }
      });
  const autostart = g.configPath ? (await readAutostart(run, g.name)) === g.configPath : false;
  return {
    configPath: g.configPath,
    autostart,
    uptimeSeconds,
    disks: await diskInfo(run, disks),
    nics,
    type: g.type ?? cfg?.getString('type') ?? (cfg?.has('builder') ? (cfg.getString('builder') === 'hvm' ? 'hvm' : 'pv') : null),
    kernel: cfg?.getString('kernel') ?? null,
  };
}

export async function deletePlan(run: Run, name: string, configPath: string): Promise<DeletePlan> {
  const cfg = parseConfig(await readConfigText(run, configPath), configPath);
  const link = await readAutostart(run, name);
  const disks = await diskInfo(run, disksOfConfig(cfg));
  const host = await readDiskUses(run, disks.map((d) => d.target));
  const backups = host.probe.baks.filter((b) => b.path.startsWith(`${configPath}.bak`));
  const saves = host.probe.saves.filter((v) => v.name === name);
  return {
    configPath,
    autostartLink: link === configPath ? autostartLink(name) : null,
    disks: disks.map((d) => ({ ...d, usedBy: otherUsers(host, d.target, name, configPath).map(toDiskUser) })),
    extras: [
      ...backups.map((b) => ({ path: b.path, kind: 'backup' as const, sizeBytes: b.size })),
      ...saves.map((v) => ({ path: v.path, kind: 'save' as const, sizeBytes: v.size })),
    ],
  };
}

export interface DeleteChoices {
  /** Backups and save images from the plan's extras. */
  extras?: readonly string[];
  /** Disks another guest uses, confirmed for deletion by typing their paths. */
  sharedDisks?: readonly string[];
  note?(text: string): void;
}

/**
 * Removes exactly what the user ticked: the config, the autostart link that points at it, the
 * listed disk images (each a regular file the config names; one another guest uses only when its
 * path was typed, one dom0 uses never) and the listed backups and save images. Checks everything
 * against the host as it is now before removing anything.
 */
export async function deleteGuest(run: Run, name: string, configPath: string, disks: string[], choices: DeleteChoices = {}): Promise<string[]> {
  const plan = await deletePlan(run, name, configPath);
  for (const d of disks) {
    const known = plan.disks.find((k) => k.target === d);
    if (!known) throw new DomusError('invalid_input', `${d} is not a disk of ${name}; nothing was deleted.`);
    if (!known.isFile) throw new DomusError('invalid_input', `${d} is not a disk image file Domus can delete; nothing was deleted.`);
    const host0 = known.usedBy.filter((u) => u.guest === null);
    if (host0.length) throw new DomusError('conflict', `${d} is in use by ${host0.map(describeUser).join(', ')}; nothing was deleted.`);
    if (known.usedBy.length && !choices.sharedDisks?.includes(d)) {
      throw new DomusError('conflict', `${d} is also used by ${known.usedBy.map(describeUser).join(', ')}; type its path to confirm deleting it. Nothing was deleted.`);
    }
    if (known.usedBy.length) choices.note?.(`Deleted on typed confirmation although also used by ${known.usedBy.map(describeUser).join(', ')}: ${d}`);
  }
  for (const x of choices.extras ?? []) {
    if (!plan.extras.some((e) => e.path === x)) throw new DomusError('invalid_input', `${x} is not a backup or save image of ${name}; nothing was deleted.`);
  }
  const removed: string[] = [];
  const step = async (p: string) => {
    const r = await run(['rm', '-f', '--', p]);
    if (r.code !== 0) {
      const done = removed.length ? ` Already removed: ${removed.join(', ')}.` : ' Nothing was removed.';
      throw new DomusError('command_failed', `${p} could not be removed.${done}`, r.stderr.trim());
    }
    removed.push(p);
  };
  if (plan.autostartLink) await step(plan.autostartLink);
  await step(configPath);
  for (const d of disks) await step(d);
  for (const x of choices.extras ?? []) await step(x);
  return removed;
}

// Writes stdin to $1, private while written, then with mode $2 (configFileMode). Fixed text.
const WRITE_TMP = 'umask 077 && cat > "$1" && chmod "$2" "$1"';

/** A config write refused because the host checks found errors; nothing was written. */
export class ConfigRefused extends DomusError {
  constructor(readonly problems: ConfigProblem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(
      'invalid_input',
      `The new config would not start: ${errors[0]?.message ?? ''}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''} Nothing was written; fix it, or save anyway.`,
      errors.map((p) => p.message).join('\n'),
    );
  }
}

export interface WriteConfigOptions {
  /** The guest's name now (the running domain's or the config's), to tell a rename from a clash. */
  currentName: string | null;
  /** Write even when the host checks find errors (the admin is preparing the host). */
  saveAnyway?: boolean;
  /** Records what the admin overrode (the task's notes). */
  note?: (sentence: string) => void;
}

/**
 * Checks a new config against the host (configChecks: files, bridges, disks, PCI, memory, name)
 * and with `xl create -n`, then writes it atomically (temporary file in the same directory, then
 * rename) with the previous version kept as <path>.bak. Host-check errors refuse the write
 * (ConfigRefused) unless saveAnyway, which is noted with what will fail at start. The temporary
 * file is the only thing made on the way and is removed when anything fails.
 */
export async function writeConfig(run: Run, configPath: string, text: string, baseText: string, opts: WriteConfigOptions): Promise<{ backupPath: string; problems: ConfigProblem[] }> {
  parseConfig(text, 'The new config');
  const current = await readConfigText(run, configPath);
  if (current !== baseText) {
    throw new DomusError('conflict', `${configPath} changed on the host since you opened it; nothing was written. Reload it and edit again.`);
  }
  const problems = await checkConfig(run, { currentName: opts.currentName, configPath, text }, { baseText });
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length && !opts.saveAnyway) throw new ConfigRefused(problems);
  const dir = path.posix.dirname(configPath);
  const tmp = `${dir}/.${path.posix.basename(configPath)}.domus-${randomBytes(4).toString('hex')}`;
  const backupPath = `${configPath}.bak`;
  const w = await run(['sh', '-c', WRITE_TMP, 'sh', tmp, configFileMode(text)], { stdin: text });
  if (w.code !== 0) {
    await run(['rm', '-f', '--', tmp]);
    throw new DomusError('command_failed', `The new config could not be written next to ${configPath}.`, w.stderr.trim());
  }
  try {
    const dry = await run(['xl', 'create', '-n', tmp]);
    if (dry.code !== 0) {
      const e = parseXlError(dry.stderr);
      throw new DomusError('invalid_input', 'xl rejected the new config; the file was not changed.', e.lines.join('\n').split(tmp).join(configPath));
    }
    await must(run, ['cp', '-p', '--', configPath, backupPath], `The backup ${backupPath} could not be written; the file was not changed.`);
    await must(run, ['chmod', configFileMode(current), '--', backupPath], `The backup ${backupPath} could not be made private; the file was not changed.`);
    await must(run, ['mv', '-f', '--', tmp, configPath], `The new config could not replace ${configPath}; the file was not changed.`);
  } catch (err) {
    await run(['rm', '-f', '--', tmp]);
    throw err;
  }
  if (errors.length) opts.note?.(`Saved anyway, although the guest will not start as it is: ${errors.map((p) => p.message).join(' ')}`);
  return { backupPath, problems };
}
