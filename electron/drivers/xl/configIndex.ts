// The guest configs on an xl host: /etc/xen/*.cfg. A guest that is not running exists only as its
// config, so the inventory lists these too. Only the name, uuid and type lines are read here, with one
// command for all files (find -exec grep), not one per file; the same command prints each file's
// mtime (ns), size and inode (stat), so a config whose content changed is told apart without
// reading it. Not cksum: coreutils' cksum uses CPU instructions QEMU's emulated CPU lacks (SIGILL).
import type { Transport } from '../../transport/types';

export const CONFIG_DIR = '/etc/xen';

/** The lines the index reads (grep -E): name, uuid, and the type (or the older builder). */
export const CONFIG_GREP_PATTERN = '^[[:space:]]*(name|uuid|type|builder)[[:space:]]*=';

export interface ConfigEntry {
  path: string;
  name: string;
  uuid: string | null;
  /** From type= (or the older builder=); absent when the config names neither. */
  type?: 'pv' | 'pvh' | 'hvm';
  /** "MTIME SIZE INODE" of the file: changes when it is written (in place or replaced by mv). */
  stamp?: string;
}

// xl.cfg values are quoted with ' or "; a line may carry a trailing comment.
const LINE = /^([^:]+):\s*(name|uuid|type|builder)\s*=\s*(["'])(.*?)\3/;

const STAMP = /^@@stamp (\S+ \d+ \d+) (\/.*)$/;

export function parseConfigGrep(stdout: string): ConfigEntry[] {
  const byPath = new Map<string, ConfigEntry>();
  const stamps = new Map<string, string>();
  const typed = new Set<string>();
  for (const line of stdout.split('\n')) {
    const c = STAMP.exec(line);
    if (c) {
      stamps.set(c[2], c[1]);
      continue;
    }
    const m = LINE.exec(line);
    if (!m) continue;
    const [, path, key, , value] = m;
    const entry = byPath.get(path) ?? { path, name: '', uuid: null };
    if (key === 'name' && !entry.name) entry.name = value;
    if (key === 'uuid' && !entry.uuid) entry.uuid = value.toLowerCase();
    // xl reads the last of repeated keys; builder= is the older spelling of the type.
    if (key === 'type' && (value === 'pv' || value === 'pvh' || value === 'hvm')) entry.type = value;
    if (key === 'builder' && !typed.has(path)) entry.type = value === 'hvm' ? 'hvm' : 'pv';
    if (key === 'type') typed.add(path);
    byPath.set(path, entry);
  }
  for (const e of byPath.values()) {
    const st = stamps.get(e.path);
    if (st) e.stamp = st;
  }
  return [...byPath.values()].filter((e) => e.name !== '');
}

export async function readConfigIndex(transport: Transport): Promise<ConfigEntry[]> {
  const r = await transport.exec([
    'find', CONFIG_DIR, '-maxdepth', '1', '-type', 'f', '-name', '*.cfg',
    '-exec', 'grep', '-H', '-E', CONFIG_GREP_PATTERN, '{}', '+',
    '-exec', 'stat', '-c', '@@stamp %.9Y %s %i %n', '{}', '+',
  ]);
  // find exits 1 when grep finds nothing in some file; the output is still what we want.
  return parseConfigGrep(r.stdout).sort((a, b) => a.path.localeCompare(b.path));
}
