// The guest configs on an xl host: /etc/xen/*.cfg. A guest that is not running exists only as its
// config, so the inventory lists these too. Only the name and uuid lines are read here, with one
// command for all files (find -exec grep), not one per file; the same command prints each file's
// mtime (ns), size and inode (stat), so a config whose content changed is told apart without
// reading it. Not cksum: coreutils' cksum uses CPU instructions QEMU's emulated CPU lacks (SIGILL).
import type { Transport } from '../../transport/types';

export const CONFIG_DIR = '/etc/xen';

export interface ConfigEntry {
  path: string;
  name: string;
  uuid: string | null;
  /** "MTIME SIZE INODE" of the file: changes when it is written (in place or replaced by mv). */
  stamp?: string;
}

// xl.cfg values are quoted with ' or "; a line may carry a trailing comment.
const LINE = /^([^:]+):\s*(name|uuid)\s*=\s*(["'])(.*?)\3/;

const STAMP = /^@@stamp (\S+ \d+ \d+) (\/.*)$/;

export function parseConfigGrep(stdout: string): ConfigEntry[] {
  const byPath = new Map<string, ConfigEntry>();
  const stamps = new Map<string, string>();
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
    '-exec', 'grep', '-H', '-E', '^[[:space:]]*(name|uuid)[[:space:]]*=', '{}', '+',
    '-exec', 'stat', '-c', '@@stamp %.9Y %s %i %n', '{}', '+',
  ]);
  // find exits 1 when grep finds nothing in some file; the output is still what we want.
  return parseConfigGrep(r.stdout).sort((a, b) => a.path.localeCompare(b.path));
}
