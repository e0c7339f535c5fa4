// `xl vcpu-list`: "Name ID VCPU CPU State Time(s) Affinity (Hard / Soft)".
// CPU is "-" and State "--p" for an offline vCPU (after xl vcpu-set).
import { z } from 'zod';
import { MAX_CPU_INDEX, XlParseError, lines, parseCpuSet, reqAmount, reqCount, rowFromRight, shown, type CpuSet } from './util';

const CpuSetSchema = z.union([z.literal('all'), z.array(z.number())]);

export const XlVcpu = z.object({
  name: z.string(),
  domid: z.number(),
  vcpu: z.number(),
  /** The physical CPU it runs on; null when offline. */
  cpu: z.number().nullable(),
  stateText: z.string(),
  running: z.boolean(),
  blocked: z.boolean(),
  /** The third letter, "p": the vCPU is offline (not "paused"). */
  offline: z.boolean(),
  timeSeconds: z.number(),
  hardAffinityText: z.string(),
  softAffinityText: z.string(),
  hardAffinity: CpuSetSchema.nullable(),
  softAffinity: CpuSetSchema.nullable(),
});
export type XlVcpu = z.infer<typeof XlVcpu>;

// Name (may hold spaces), ID, VCPU, CPU, State, Time(s), then "hard / soft".
const COLUMNS = [/^\d+$/, /^\d+$/, /^(\d+|-)$/, /^[-rbp]{3}$/, /^\d+(?:\.\d+)?$/];

export function parseVcpuList(text: string): XlVcpu[] {
  const ls = lines(text);
  const headerAt = ls.findIndex((l) => /^Name\s+ID\s+VCPU\s+CPU\s+State/.test(l));
  if (headerAt < 0) {
    if (ls.every((l) => l.trim() === '')) return [];
    throw new XlParseError('not xl vcpu-list output: no "Name ID VCPU CPU State" header', text);
  }
  const out: XlVcpu[] = [];
  for (const line of ls.slice(headerAt + 1)) {
    const row = rowFromRight(line, COLUMNS, false);
    const slash = row ? row.rest.indexOf('/') : -1;
    if (!row || slash < 0) continue;
    const name = row.name;
    const m = ['', name, ...row.values, row.rest.slice(0, slash).trim(), row.rest.slice(slash + 1).trim()];
    const cpu = m[4] === '-' ? null : reqCount(m[4], `the CPU of a vCPU of ${name}`, text);
    if (cpu !== null && cpu > MAX_CPU_INDEX) throw new XlParseError(`a vCPU of ${name} runs on CPU ${shown(m[4])}, beyond CPU ${MAX_CPU_INDEX}`, text);
    const affinity = (set: string): CpuSet => {
      const cpus = parseCpuSet(set);
      if (cpus === null) throw new XlParseError(`the affinity of a vCPU of ${name} is not a CPU set of CPUs 0 to ${MAX_CPU_INDEX}: ${shown(set)}`, text);
      return cpus;
    };
    out.push({
      name,
      domid: reqCount(m[2], `the ID of ${name}`, text),
      vcpu: reqCount(m[3], `a vCPU number of ${name}`, text),
      cpu,
      stateText: m[5],
      running: m[5][0] === 'r',
      blocked: m[5][1] === 'b',
      offline: m[5][2] === 'p',
      timeSeconds: reqAmount(m[6], `the CPU time of a vCPU of ${name}`, text),
      hardAffinityText: m[7],
      softAffinityText: m[8],
      hardAffinity: affinity(m[7]),
      softAffinity: affinity(m[8]),
    });
  }
  return out;
}
