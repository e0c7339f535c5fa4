// Persistent CPU/memory settings: edits ONLY cpus=, cpus_soft=, cpu_weight=, cap=, pool=, vcpus=
// and memory= in a guest's xl.cfg, keeping everything else byte for byte (the shared xl.cfg
// document in ./xlcfg does the in-place rewriting), and writes the file on the host atomically
// with a backup, refusing when the file changed since it was read. The read/write (and
// editGuestConfig, read→edit→write) are shared with the pci= / passthrough= edits of ./pciConfigEdit.
import { createHash } from 'node:crypto';
import { DomusError } from '../../api/errors';
import type { TaskContext } from '../../tasks/taskLog';
import type { Transport } from '../../transport/types';
import { configFileMode } from './configMode';
import { checkEdit } from './configChecks';
import { XlCfg, XlCfgSyntaxError, type XlCfgValue } from './xlcfg';

export const CPU_CFG_KEYS = ['cpus', 'cpus_soft', 'cpu_weight', 'cap', 'pool', 'vcpus', 'memory'] as const;
export type CpuCfgKey = (typeof CPU_CFG_KEYS)[number];
/** A new value for a key; null removes the key (xl's default applies again). */
export type CpuCfgChanges = Partial<Record<CpuCfgKey, XlCfgValue | null>>;

export function parseGuestConfig(text: string, path: string): XlCfg {
  try {
    return XlCfg.parse(text);
  } catch (err) {
    if (err instanceof XlCfgSyntaxError) {
      throw new DomusError('invalid_input', `Domus cannot read ${path}, so it did not change it.`, err.message);
    }
    throw err;
  }
}

/** The config text with the given CPU keys changed; any other key is refused. */
export function editCpuKeys(text: string, changes: CpuCfgChanges, path = 'the guest config'): string {
  const cfg = parseGuestConfig(text, path);
  for (const [key, value] of Object.entries(changes) as [string, XlCfgValue | null | undefined][]) {
    if (!(CPU_CFG_KEYS as readonly string[]).includes(key)) throw new Error(`cpuConfigEdit may not change "${key}".`);
    if (value === undefined) continue;
    if (value === null) cfg.delete(key);
    else cfg.set(key, value);
  }
  return cfg.toString();
}

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The guest config's text; read as a step of task t when one is given. */
export async function readGuestConfig(transport: Transport, path: string, t?: TaskContext): Promise<string> {
  const r = t ? await t.exec(transport, ['cat', '--', path]) : await transport.exec(['cat', '--', path]);
  if (r.code !== 0) throw new DomusError('not_found', `Domus could not read the guest config ${path}.`, r.stderr.trim());
  return r.stdout;
}

// Fixed script, arguments only as "$1".."$4": copies the file to <path>.bak, checks that the file
// still has the content Domus read (sha256), writes the new text to a temporary file next to it
// (private while written) and renames it over the original (atomic on one filesystem). The new
// file gets mode $3 and the backup $4 (configFileMode of each text).
const WRITE_SCRIPT = [
  'set -e',
  'f="$1"; want="$2"; tmp="$f.domus-tmp.$$"',
  'have=$(sha256sum -- "$f" | cut -d" " -f1)',
  'if [ "$have" != "$want" ]; then echo "$f changed on the host since Domus read it" >&2; exit 3; fi',
  'umask 077',
  'cp -p -- "$f" "$f.bak"',
  'chmod "$4" -- "$f.bak"',
  'cat > "$tmp"',
  'chmod "$3" -- "$tmp"',
  'mv -f -- "$tmp" "$f"',
].join('\n');

/** Writes newText over path as a step of task t, if path still holds oldText. */
export async function writeGuestConfig(t: TaskContext, transport: Transport, path: string, oldText: string, newText: string): Promise<void> {
  if (newText === oldText) return;
  const r = await t.exec(transport, ['sh', '-c', WRITE_SCRIPT, 'domus-write-config', path, sha256(oldText), configFileMode(newText), configFileMode(oldText)], { stdin: newText });
  if (r.code !== 0) {
    throw new DomusError(
      r.code === 3 ? 'conflict' : 'command_failed',
      r.code === 3 ? `${path} changed on the host meanwhile; Domus left it alone. Try again.` : `Domus could not write ${path}.`,
      r.stderr.trim(),
    );
  }
}

/**
 * Reads a guest config, applies edit, runs the host checks (configChecks.checkEdit) and writes it
 * back (atomic, with <path>.bak, refused when the file changed meanwhile), all as steps of task t;
 * returns the text written (unchanged: no write). An error the edit itself introduces (memory
 * below the kernel's floor, vcpus above maxvcpus, a PCI device that is not assignable) refuses
 * it; what the config already had is recorded in the task as a note.
 */
export async function editGuestConfig(t: TaskContext, transport: Transport, path: string, edit: (text: string) => string): Promise<string> {
  const before = await readGuestConfig(transport, path, t);
  const after = edit(before);
  if (after === before) return after;
  const { introducedErrors, others } = await checkEdit((argv, opts) => t.exec(transport, argv, opts), path, before, after);
  if (introducedErrors.length) {
    throw new DomusError(
      'invalid_input',
      `The change would stop the guest from starting: ${introducedErrors[0].message} Nothing was written.`,
      introducedErrors.map((p) => p.message).join('\n'),
    );
  }
  if (others.length) t.note(`The config already had problems the change did not cause: ${others.map((p) => p.message).join(' ')}`);
  await writeGuestConfig(t, transport, path, before, after);
  return after;
}
