// Small, self-contained edits of a guest's xl.cfg: only the pci= and passthrough= keys change,
// every other line (comments, order, quoting) is kept byte for byte. The write (shared with
// ./cpuConfigEdit) is atomic on the host (temp file + mv), keeps the previous file as <cfg>.bak,
// and refuses when the file changed since Domus read it.
import { DomusError } from '../../api/errors';
import type { TaskContext } from '../../tasks/taskLog';
import type { Transport } from '../../transport/types';
import { editGuestConfig as editConfig } from './cpuConfigEdit';
import { XlCfg, XlCfgSyntaxError } from './xlcfg';

const PASSTHROUGH = /^[ \t]*passthrough[ \t]*=.*$/m;
const CFG_PATH = /^\/etc\/xen\/[A-Za-z0-9_.-]+\.cfg$/;

function readCfg(text: string): XlCfg {
  try {
    return XlCfg.parse(text);
  } catch (err) {
    if (err instanceof XlCfgSyntaxError) throw new DomusError('invalid_input', `The guest config is not valid xl.cfg (${err.message}), so Domus did not change it.`, err.message);
    throw err;
  }
}

/**
 * The entries of pci = [ ... ] as xl reads them ("0000:00:05.0,permissive=1"): the config
 * reader's list, so a device in a comment inside the list is no entry, and += counts.
 */
export function pciEntries(text: string): string[] {
  return readCfg(text)
    .getList('pci')
    .filter((e): e is string => typeof e === 'string')
    .map((e) => e.trim());
}

const entryBdf = (e: string) => e.split(',')[0].split('@')[0].trim().toLowerCase();

/**
 * Sets (spec) or removes (null) the device's entry in pci=, keeping the other entries and every
 * other line; the list is written on one line (comments that were inside it go with it).
 */
export function setPciEntry(text: string, bdf: string, spec: string | null): string {
  const cfg = readCfg(text);
  const kept = pciEntries(text).filter((e) => entryBdf(e) !== bdf && entryBdf(e) !== bdf.replace(/^0000:/, ''));
  const entries = spec ? [...kept, spec] : kept;
  if (entries.length) cfg.set('pci', entries, { quote: "'", oneLine: true });
  else cfg.delete('pci');
  return cfg.toString();
}

function withTrailingNewline(t: string): string {
  return t === '' || t.endsWith('\n') ? t : `${t}\n`;
}

/** Sets passthrough="<mode>" (for live attach after the next start). */
export function setPassthrough(text: string, mode: 'enabled' | 'disabled'): string {
  const line = `passthrough = "${mode}"`;
  return PASSTHROUGH.test(text) ? text.replace(PASSTHROUGH, line) : `${withTrailingNewline(text)}${line}\n`;
}

/**
 * Reads the config, applies edit, writes it back atomically with a .bak (cpuConfigEdit's shared
 * read→edit→write); only configs in /etc/xen. Returns the new text.
 */
export async function editGuestConfig(
  t: TaskContext,
  transport: Transport,
  path: string,
  edit: (text: string) => string,
): Promise<string> {
  if (!CFG_PATH.test(path)) throw new DomusError('invalid_input', `Domus only edits guest configs in /etc/xen, not ${path}.`);
  return editConfig(t, transport, path, edit);
}
