// `xl vcpu-list`: "Name ID VCPU CPU State Time(s) Affinity (Hard / Soft)".
// CPU is "-" and State "--p" for an offline vCPU (after xl vcpu-set).
import { z } from 'zod';
import { XlParseError, lines, parseCpuSet } from './util';

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

const ROW = /^(.*?)\s+(\d+)\s+(\d+)\s+(\d+|-)\s+([-rbp]{3})\s+(\d+(?:\.\d+)?)\s+(.*?)\s*\/\s*(.*?)\s*$/;

export function parseVcpuList(text: string): XlVcpu[] {
  const ls = lines(text);
  const headerAt = ls.findIndex((l) => /^Name\s+ID\s+VCPU\s+CPU\s+State/.test(l));
  if (headerAt < 0) {
    if (ls.every((l) => l.trim() === '')) return [];
    throw new XlParseError('not xl vcpu-list output: no "Name ID VCPU CPU State" header', text);
  }
  const out: XlVcpu[] = [];
  for (const line of ls.slice(headerAt + 1)) {
    const m = ROW.exec(line);
    if (!m) continue;
    out.push({
      name: m[1].trim(),
      domid: Number(m[2]),
      vcpu: Number(m[3]),
      cpu: m[4] === '-' ? null : Number(m[4]),
      stateText: m[5],
      running: m[5][0] === 'r',
      blocked: m[5][1] === 'b',
      offline: m[5][2] === 'p',
      timeSeconds: Number(m[6]),
      hardAffinityText: m[7],
      softAffinityText: m[8],
      hardAffinity: parseCpuSet(m[7]),
      softAffinity: parseCpuSet(m[8]),
    });
  }
  return out;
}
