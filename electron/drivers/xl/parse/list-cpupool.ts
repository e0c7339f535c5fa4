// `xl list -c`: the usual `xl list` columns plus "Cpupool", the pool each domain runs in.
// parseXlList keeps only the UUID of `-v`, so the pool column gets its own small parser.
import { z } from 'zod';
import { XlParseError, lines, reqCount, rowFromRight } from './util';

export const XlDomainPool = z.object({ name: z.string(), domid: z.number(), pool: z.string() });
export type XlDomainPool = z.infer<typeof XlDomainPool>;

// Read from the right: name (may hold spaces), id, mem, vcpus, state letters, time, pool.
const COLUMNS = [/^\d+$/, /^\d+$/, /^\d+$/, /^[-rbpscd]{6}$/, /^\d+(?:\.\d+)?$/, /^\S+$/];

export function parseXlListCpupool(text: string): XlDomainPool[] {
  const ls = lines(text);
  const headerAt = ls.findIndex((l) => /^Name\s+ID\s+Mem\s+VCPUs\s+State\s+Time\(s\)\s+Cpupool/.test(l));
  if (headerAt < 0) {
    if (ls.every((l) => l.trim() === '')) return [];
    throw new XlParseError('not xl list -c output: no "Name ID Mem VCPUs State Time(s) Cpupool" header', text);
  }
  const out: XlDomainPool[] = [];
  for (const line of ls.slice(headerAt + 1)) {
    const row = rowFromRight(line, COLUMNS, true);
    if (row) out.push({ name: row.name, domid: reqCount(row.values[0], `the ID of ${row.name}`, text), pool: row.values[5] });
  }
  return out;
}
