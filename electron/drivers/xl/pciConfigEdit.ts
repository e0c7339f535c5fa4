// Small, self-contained edits of a guest's xl.cfg: only the pci= and passthrough= keys change,
// every other line (comments, order, quoting) is kept byte for byte. The write (shared with
// ./cpuConfigEdit) is atomic on the host (temp file + mv), keeps the previous file as <cfg>.bak,
// and refuses when the file changed since Domus read it.
import { DomusError } from '../../api/errors';
import type { TaskContext } from '../../tasks/taskLog';
import type { Transport } from '../../transport/types';
import { editGuestConfig as editConfig } from './cpuConfigEdit';

const PCI_BLOCK = /^[ \t]*pci[ \t]*=[ \t]*\[[^\]]*\][ \t]*(#.*)?$/m;
const PASSTHROUGH = /^[ \t]*passthrough[ \t]*=.*$/m;
const CFG_PATH = /^\/etc\/xen\/[A-Za-z0-9_.-]+\.cfg$/;

/** The entries of pci = [ ... ] as written ("0000:00:05.0,permissive=1"). */
export function pciEntries(text: string): string[] {
  const m = PCI_BLOCK.exec(text);
  if (!m) return [];
  return [...m[0].replace(/#.*$/m, '').matchAll(/(["'])([^"']*)\1/g)].map((x) => x[2].trim());
}

const entryBdf = (e: string) => e.split(',')[0].split('@')[0].trim().toLowerCase();

function withTrailingNewline(t: string): string {
  return t === '' || t.endsWith('\n') ? t : `${t}\n`;
}

/** Sets (spec) or removes (null) the device's entry in pci=, keeping the other entries. */
export function setPciEntry(text: string, bdf: string, spec: string | null): string {
  const kept = pciEntries(text).filter((e) => entryBdf(e) !== bdf && entryBdf(e) !== bdf.replace(/^0000:/, ''));
  const entries = spec ? [...kept, spec] : kept;
  const line = entries.length ? `pci = [ ${entries.map((e) => `'${e}'`).join(', ')} ]` : null;
  if (PCI_BLOCK.test(text)) {
    return line ? text.replace(PCI_BLOCK, line) : text.replace(new RegExp(PCI_BLOCK.source + '\\n?', 'm'), '');
  }
  return line ? `${withTrailingNewline(text)}${line}\n` : text;
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
