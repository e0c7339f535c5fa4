// `xl cpupool-list`:    "Name  CPUs  Sched  Active  Domain count" / "Pool-0  2  credit2  y  1"
// `xl cpupool-list -c`: "Name  CPU list" / "Pool-0  0,1"
import { z } from 'zod';
import { MAX_CPU_INDEX, XlParseError, lines, parseCpuSet, reqCount, shown } from './util';

export const XlCpupool = z.object({
  name: z.string(),
  /** Plain form only. */
  nrCpus: z.number().optional(),
  sched: z.string().optional(),
  active: z.boolean().optional(),
  domainCount: z.number().optional(),
  /** -c form only: the CPUs as printed and as numbers. */
  cpuListText: z.string().optional(),
  cpus: z.array(z.number()).optional(),
});
export type XlCpupool = z.infer<typeof XlCpupool>;

export function parseCpupoolList(text: string): XlCpupool[] {
  const ls = lines(text);
  const plainAt = ls.findIndex((l) => /^Name\s+CPUs\s+Sched\s+Active\s+Domain count/.test(l));
  const listAt = ls.findIndex((l) => /^Name\s+CPU list/.test(l));
  const out: XlCpupool[] = [];
  if (plainAt >= 0) {
    for (const line of ls.slice(plainAt + 1)) {
      const m = /^(\S+)\s+(\d+)\s+(\S+)\s+([yn])\s+(\d+)\s*$/.exec(line);
      if (!m) continue;
      const nrCpus = reqCount(m[2], `the CPU count of pool ${m[1]}`, text);
      if (nrCpus > MAX_CPU_INDEX + 1) throw new XlParseError(`pool ${m[1]} has ${nrCpus} CPUs, more than Xen allows`, text);
      out.push({ name: m[1], nrCpus, sched: m[3], active: m[4] === 'y', domainCount: reqCount(m[5], `the domain count of pool ${m[1]}`, text) });
    }
    return out;
  }
  if (listAt >= 0) {
    for (const line of ls.slice(listAt + 1)) {
      // The first word and the rest; a regular expression /^(\S+)\s*(.*?)\s*$/ is quadratic on a long run of spaces.
      const t = line.trim();
      const cut = t.search(/\s/);
      const m = cut < 0 ? ['', t, ''] : ['', t.slice(0, cut), t.slice(cut).trim()];
      if (!m[1]) continue;
      const set = parseCpuSet(m[2]);
      if (set === null) throw new XlParseError(`the CPUs of pool ${m[1]} are not a CPU set of CPUs 0 to ${MAX_CPU_INDEX}: ${shown(m[2])}`, text);
      out.push({ name: m[1], cpuListText: m[2], cpus: set === 'all' ? [] : set });
    }
    return out;
  }
  if (ls.every((l) => l.trim() === '')) return [];
  throw new XlParseError('not xl cpupool-list output: no "Name CPUs ..." or "Name CPU list" header', text);
}
