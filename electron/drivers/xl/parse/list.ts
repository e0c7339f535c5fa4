// `xl list` (also -v / -Z): "Name ID Mem VCPUs<TAB>State<TAB>Time(s)" then one row per domain.
import { z } from 'zod';
import { XlParseError, lines, reqAmount, reqCount, rowFromRight } from './util';

/** The six state letters xl prints, in order: r b p s c d ("-" when unset). */
export const DomainFlags = z.object({
  running: z.boolean(),
  blocked: z.boolean(),
  paused: z.boolean(),
  shutdown: z.boolean(),
  crashed: z.boolean(),
  dying: z.boolean(),
});
export type DomainFlags = z.infer<typeof DomainFlags>;

export const XlListEntry = z.object({
  name: z.string(),
  domid: z.number(),
  memMiB: z.number(),
  vcpus: z.number(),
  /** The letters as printed, e.g. "r-----". */
  stateText: z.string(),
  flags: DomainFlags,
  timeSeconds: z.number(),
  /** Only with `xl list -v`. */
  uuid: z.string().optional(),
});
export type XlListEntry = z.infer<typeof XlListEntry>;

export function parseDomainFlags(text: string): DomainFlags {
  const at = (i: number, c: string) => text[i] === c;
  return {
    running: at(0, 'r'),
    blocked: at(1, 'b'),
    paused: at(2, 'p'),
    shutdown: at(3, 's'),
    crashed: at(4, 'c'),
    dying: at(5, 'd'),
  };
}

/**
 * One word for the UI. "------" (runnable, waiting for a CPU) counts as running; xentop prints the
 * same letters in another order, so callers pass flags, not text.
 */
export function domainState(f: DomainFlags): 'running' | 'blocked' | 'paused' | 'shutdown' | 'crashed' | 'dying' {
  if (f.dying) return 'dying';
  if (f.crashed) return 'crashed';
  if (f.shutdown) return 'shutdown';
  if (f.paused) return 'paused';
  if (f.running) return 'running';
  if (f.blocked) return 'blocked';
  return 'running';
}

// Name may in principle contain spaces, so the row is found by its other columns.
const COLUMNS = [/^\d+$/, /^\d+$/, /^\d+$/, /^[-rbpscd]{6}$/, /^\d+(?:\.\d+)?$/];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseXlList(text: string): XlListEntry[] {
  const ls = lines(text);
  const headerAt = ls.findIndex((l) => /^Name\s+ID\s+Mem\s+VCPUs\s+State\s+Time\(s\)/.test(l));
  if (headerAt < 0) {
    if (ls.every((l) => l.trim() === '')) return [];
    throw new XlParseError('not xl list output: no "Name ID Mem VCPUs State Time(s)" header', text);
  }
  const out: XlListEntry[] = [];
  for (const line of ls.slice(headerAt + 1)) {
    const row = rowFromRight(line, COLUMNS, false);
    if (!row) continue;
    const { name, values: v } = row;
    const rest = row.rest.split(/\s+/);
    const entry: XlListEntry = {
      name,
      domid: reqCount(v[0], `the ID of ${name}`, text),
      memMiB: reqCount(v[1], `the memory of ${name}`, text),
      vcpus: reqCount(v[2], `the vCPUs of ${name}`, text),
      stateText: v[3],
      flags: parseDomainFlags(v[3]),
      timeSeconds: reqAmount(v[4], `the CPU time of ${name}`, text),
    };
    if (rest[0] && UUID.test(rest[0])) entry.uuid = rest[0].toLowerCase();
    out.push(entry);
  }
  return out;
}
