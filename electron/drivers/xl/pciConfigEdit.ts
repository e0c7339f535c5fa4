// Small, self-contained edits of a guest's xl.cfg: only the pci= and passthrough= keys change,
// every other line (comments, order, quoting) is kept byte for byte. The write is atomic on the
// host (temp file + mv), keeps the previous file as <cfg>.bak, and refuses when the file changed
// since Domus read it.
import { createHash } from 'node:crypto';
import { DomusError } from '../../api/errors';
import type { TaskContext } from '../../tasks/taskLog';
import type { Transport } from '../../transport/types';

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

const sha256 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');

// $1 path, $2 the hash of what Domus read: refuse when someone changed the file since.
const WRITE_SCRIPT = [
  'set -e',
  '[ "$(sha256sum < "$1" | cut -c1-64)" = "$2" ] || { echo "the file changed since it was read" >&2; exit 9; }',
  'cp -p -- "$1" "$1.bak"',
  't="$1.domus-tmp"',
  'cat > "$t"',
  'chmod --reference="$1" "$t" 2>/dev/null || true',
  'mv -f -- "$t" "$1"',
].join('\n');

/** Reads the config, applies edit, writes it back atomically with a .bak; returns the new text. */
export async function editGuestConfig(
  t: TaskContext,
  transport: Transport,
  path: string,
  edit: (text: string) => string,
): Promise<string> {
  if (!CFG_PATH.test(path)) throw new DomusError('invalid_input', `Domus only edits guest configs in /etc/xen, not ${path}.`);
  const read = await t.exec(transport, ['cat', '--', path]);
  if (read.code !== 0) throw new DomusError('not_found', `The guest config ${path} cannot be read.`, read.stderr);
  const after = edit(read.stdout);
  if (after === read.stdout) return after;
  const w = await t.exec(transport, ['sh', '-c', WRITE_SCRIPT, 'sh', path, sha256(read.stdout)], { stdin: after });
  if (w.code === 9) throw new DomusError('conflict', `${path} was changed by someone else while Domus edited it; nothing was written.`, w.stderr);
  if (w.code !== 0) throw new DomusError('command_failed', `Domus could not write ${path}.`, w.stderr);
  return after;
}
