// `xl list -c`: the usual `xl list` columns plus "Cpupool", the pool each domain runs in.
// parseXlList keeps only the UUID of `-v`, so the pool column gets its own small parser.
import { z } from 'zod';
import { XlParseError, lines } from './util';

export const XlDomainPool = z.object({ name: z.string(), domid: z.number(), pool: z.string() });
export type XlDomainPool = z.infer<typeof XlDomainPool>;

// Matched from the right: name (may hold spaces), id, mem, vcpus, state letters, time, pool.
const ROW = /^(.*?)\s+(\d+)\s+\d+\s+\d+\s+[-rbpscd]{6}\s+\d+(?:\.\d+)?\s+(\S+)\s*$/;

export function parseXlListCpupool(text: string): XlDomainPool[] {
  const ls = lines(text);
  const headerAt = ls.findIndex((l) => /^Name\s+ID\s+Mem\s+VCPUs\s+State\s+Time\(s\)\s+Cpupool/.test(l));
  if (headerAt < 0) {
    if (ls.every((l) => l.trim() === '')) return [];
    throw new XlParseError('not xl list -c output: no "Name ID Mem VCPUs State Time(s) Cpupool" header', text);
  }
  const out: XlDomainPool[] = [];
  for (const line of ls.slice(headerAt + 1)) {
    const m = ROW.exec(line);
    if (m) out.push({ name: m[1].trim(), domid: Number(m[2]), pool: m[3] });
  }
  return out;
}
