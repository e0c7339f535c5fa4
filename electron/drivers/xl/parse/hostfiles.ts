// Outputs the guest wizard reads from dom0 besides xl's own:
//   `find <dir> -mindepth 1 -maxdepth 1 -printf '%y\t%s\t%p\0'` — one directory, NUL-separated
//     records "<type letter>\t<size>\t<path>" (no `ls` parsing; any byte in a name is safe);
//   `ip -j link show type bridge` — the bridges, as JSON;
//   `vgs --noheadings --units m --nosuffix --separator '|' -o vg_name,vg_free` — LVM groups.
import { z } from 'zod';
import type { HostEntry } from '../../../api/create';
import { XlParseError, amount, count, shown } from './util';

export type DirEntry = HostEntry;

const KINDS: Record<string, DirEntry['kind']> = { d: 'dir', f: 'file', l: 'link', b: 'block' };

export function parseFindListing(text: string): DirEntry[] {
  const out: DirEntry[] = [];
  for (const rec of text.split('\0')) {
    if (!rec) continue;
    const m = /^([a-zA-Z])\t(\d+)\t(\/.*)$/s.exec(rec.replace(/^\n/, ''));
    if (!m) throw new XlParseError(`not a find -printf record: ${JSON.stringify(rec.slice(0, 80))}`, text);
    const path = m[3];
    const sizeBytes = count(m[2]);
    if (sizeBytes === null) throw new XlParseError(`find printed a size Domus cannot use for ${shown(path)}: ${shown(m[2])}`, text);
    out.push({ name: path.slice(path.lastIndexOf('/') + 1), path, kind: KINDS[m[1]] ?? 'other', sizeBytes });
  }
  return out.sort((a, b) => (a.kind === 'dir') !== (b.kind === 'dir') ? (a.kind === 'dir' ? -1 : 1) : a.name.localeCompare(b.name));
}

const IpLink = z.array(z.object({ ifname: z.string() }).passthrough());

export function parseIpBridges(text: string): string[] {
  if (!text.trim()) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new XlParseError('ip -j link output is not JSON', text);
  }
  const r = IpLink.safeParse(json);
  if (!r.success) throw new XlParseError('ip -j link output has no interface names', text);
  return r.data.map((l) => l.ifname).sort();
}

export function parseVgs(text: string): { name: string; freeMiB: number }[] {
  const out: { name: string; freeMiB: number }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([^|\s]+)\|\s*([\d.]+)\s*$/.exec(line);
    const free = m ? amount(m[2]) : null;
    if (m && free !== null) out.push({ name: m[1], freeMiB: Math.floor(free) });
  }
  return out;
}
