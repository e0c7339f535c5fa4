// Creating a guest as a linear script with rollback (XenCenter's CreateVMAction shape): every step
// that makes something on the host records how to undo it; when a later step fails (or the task
// is cancelled) the undo steps run in reverse and the error says what was removed. Nothing here
// overwrites: image files are first created exclusively (noclobber) and only then filled by
// qemu-img, and the config lands with `ln` (a hard link fails when the name exists), so a file that
// appeared after the checks is never replaced.
import { randomBytes } from 'node:crypto';
import { DomusError } from '../../../api/errors';
import type { CreateResult } from '../../../api/create';
import { XlCfg, XlCfgSyntaxError } from '../xlcfg';
import { parseXlError } from '../parse';
import { domainExists, must as mustRun, startGuest, type Run } from '../lifecycle';
import { CONFIG_DIR } from '../configIndex';
import { configFileMode } from '../configMode';
import { QEMU_FORMAT } from './naming';
import type { DiskOp } from './plan';

// Fixed text, paths as positional arguments. `set -C` (noclobber): `>` fails if the file exists.
const EXCLUSIVE_EMPTY = 'set -C && : > "$1"';
// The config is private while written, then gets its mode (configFileMode) in "$2".
const EXCLUSIVE_WRITE = 'set -C && umask 077 && cat > "$1" && chmod "$2" "$1"';

export interface ScriptSteps {
  name: string;
  configPath: string;
  configText: string;
  disks: DiskOp[];
  start: boolean;
  /** xl create -n passed this very text a moment ago (the review's check): not run again. */
  checkedByXl?: boolean;
}

interface Made {
  what: string;
  undo: string[];
  /** Reported as created in the result (the temporary config is not). */
  report: boolean;
}

export interface ScriptHooks {
  signal?: AbortSignal;
  progress?(p: number): void;
  /** A sentence for the task log (a disk shared on purpose). */
  note?(text: string): void;
}

/** The config text must parse and name the guest it is created as. */
export function checkConfigText(text: string, name: string): void {
  let cfg: XlCfg;
  try {
    cfg = XlCfg.parse(text);
  } catch (err) {
    if (err instanceof XlCfgSyntaxError) throw new DomusError('invalid_input', `The config is not valid xl.cfg (${err.message}); nothing was created.`, err.message);
    throw err;
  }
  const cfgName = cfg.getString('name');
  if (cfgName !== name) {
    throw new DomusError('invalid_input', `The config names the guest "${cfgName ?? ''}" but it is being created as ${name}; change the name on the first page instead. Nothing was created.`);
  }
}

export async function runCreateScript(run: Run, s: ScriptSteps, hooks: ScriptHooks = {}): Promise<CreateResult> {
  checkConfigText(s.configText, s.name);
  const made: Made[] = [];
  const total = 3 + s.disks.length + (s.start ? 1 : 0);
  let done = 0;
  const step = () => hooks.progress?.(Math.min(1, ++done / total));
  const checkCancel = () => {
    if (hooks.signal?.aborted) throw new DomusError('command_failed', 'Cancelled by the user.');
  };
  const must = (argv: string[], message: string, opts?: { stdin?: string; timeoutMs?: number }) => mustRun(run, argv, message, opts);
  const tmp = `${CONFIG_DIR}/.${s.name}.cfg.domus-${randomBytes(4).toString('hex')}`;
  let started = false;
  try {
    // 1. The config, in a temporary file beside its final place, checked by xl itself.
    await must(['sh', '-c', EXCLUSIVE_WRITE, 'sh', tmp, configFileMode(s.configText)], `The config could not be written in ${CONFIG_DIR}.`, { stdin: s.configText });
    made.push({ what: tmp, undo: ['rm', '-f', '--', tmp], report: false });
    if (!s.checkedByXl) {
      const dry = await run(['xl', 'create', '-n', tmp]);
      if (dry.code !== 0) {
        const e = parseXlError(dry.stderr);
        throw new DomusError('invalid_input', 'xl rejected the config.', e.lines.join('\n').split(tmp).join(s.configPath));
      }
    }
    step();
    // 2. The disks.
    for (const d of s.disks) {
      checkCancel();
      if (d.kind === 'lvcreate') {
        const dev = `/dev/${d.vg}/${d.lv}`;
        await must(['lvcreate', '-y', '-W', 'n', '-n', d.lv, '-L', `${d.sizeMiB}m`, d.vg], `The volume ${dev} could not be created.`, { timeoutMs: 300_000 });
        made.push({ what: dev, undo: ['lvremove', '-f', `${d.vg}/${d.lv}`], report: true });
      } else {
        await must(['sh', '-c', EXCLUSIVE_EMPTY, 'sh', d.path], `${d.path} could not be created (it may have appeared meanwhile; Domus does not overwrite).`);
        made.push({ what: d.path, undo: ['rm', '-f', '--', d.path], report: true });
        if (d.kind === 'create') {
          await must(['qemu-img', 'create', '-q', '-f', QEMU_FORMAT[d.format], d.path, `${d.sizeMiB}M`], `The ${d.format} image ${d.path} could not be created.`, { timeoutMs: 300_000 });
        } else {
          // convert writes raw output sparse (zeroes are skipped), like cp --sparse=always.
          await must(['qemu-img', 'convert', '-O', QEMU_FORMAT[d.format], d.source, d.path], `${d.source} could not be copied to ${d.path}.`, { timeoutMs: 3_600_000 });
        }
      }
      step();
    }
    checkCancel();
    // 3. The config in its place: ln refuses an existing name, so nothing is ever replaced.
    const ln = await run(['ln', '--', tmp, s.configPath]);
    if (ln.code !== 0) {
      throw new DomusError('conflict', `${s.configPath} could not be made: ${/exists/i.test(ln.stderr) ? 'it exists now (Domus does not overwrite it)' : 'the link failed'}.`, ln.stderr.trim());
    }
    made.push({ what: s.configPath, undo: ['rm', '-f', '--', s.configPath], report: true });
    await run(['rm', '-f', '--', tmp]);
    made.splice(made.findIndex((m) => m.what === tmp), 1);
    step();
    // 4. Start.
    if (s.start) {
      checkCancel();
      try {
        await startGuest(run, s.configPath);
      } catch (err) {
        // xl create removes a domain it could not build; make sure, since Domus made it.
        if (await domainExists(run, s.name)) made.push({ what: `the domain ${s.name}`, undo: ['xl', 'destroy', '--', s.name], report: false });
        throw err;
      }
      started = true;
      step();
    }
    hooks.progress?.(1);
    return { name: s.name, configPath: s.configPath, created: made.filter((m) => m.report).map((m) => m.what), started };
  } catch (err) {
    const removed: string[] = [];
    const left: string[] = [];
    for (const m of [...made].reverse()) {
      const r = await run(m.undo).catch(() => ({ code: 1 }));
      (r.code === 0 ? removed : left).push(m.what);
    }
    const shown = removed.filter((w) => w !== tmp);
    const tail =
      (shown.length ? ` Domus removed what it had made: ${shown.join(', ')}.` : ' Nothing was left on the host.') +
      (left.length ? ` Could not remove: ${left.join(', ')}.` : '');
    if (err instanceof DomusError) throw new DomusError(err.code, `${s.name} was not created: ${lowerFirst(err.message)}${tail}`, err.detail);
    throw new DomusError('internal', `${s.name} was not created.${tail}`, String(err));
  }
}

const lowerFirst = (m: string) => (/^[A-Z][a-z]/.test(m) && !/^(I|Domus|Xen)\b/.test(m) ? m[0].toLowerCase() + m.slice(1) : m);
