// cpus= and cpus_soft= (xl.cfg(5) "CPU Allocation") read as xl 4.17's parse_cpurange does: the
// text is cut at "," (empty pieces dropped); each piece, applied in order, is "all", a CPU or a
// range "a-b", or "node:"/"nodes:" followed by a node or range of nodes, and a leading "^" takes
// those CPUs out again ("^all" is refused). A list value gives each vCPU its own text. Numbers are
// read like C's strtoul (blanks and a "+" before the digits are allowed). xl builds a bitmap of
// whole bytes over the host's CPU ids, so CPUs past the last one up to the byte's end stay set and
// larger ones are dropped; Domus refuses indices past 4096 (xl would loop over them one by one).

export const MAX_CPU_INDEX = 4096;

export class XlCpusError extends Error {
  constructor(
    message: string,
    readonly text: string,
    /** xl's own words. */
    readonly detail: string,
  ) {
    super(message);
    this.name = 'XlCpusError';
  }
}

export interface CpusTerm {
  exclude: boolean;
  nodes: boolean;
  /** null for "all". */
  from: number | null;
  to: number | null;
}

export interface CpuTopology {
  /** The host's CPU ids (xl info -n). */
  cpus: { cpu: number; node: number }[];
}

/** strtoul(base 10) of the whole text after blanks and a sign; null where xl says "Invalid". */
function ulong(text: string): { value: number; rest: string } | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/.exec(text);
  if (!m) return null;
  // A "-" makes strtoul wrap to a huge number, which the caller refuses.
  const value = m[1] === '-' && Number(m[2]) !== 0 ? Infinity : Number(m[2]);
  return { value, rest: text.slice(m[0].length) };
}

/** The terms of an xl cpus text; throws XlCpusError where xl refuses it. */
export function parseXlCpus(text: string): CpusTerm[] {
  const terms: CpusTerm[] = [];
  for (const piece of text.split(',').filter((p) => p !== '')) {
    let s = piece;
    const exclude = s.startsWith('^');
    if (exclude) s = s.slice(1);
    let nodes = false;
    if (s.startsWith('node:')) (nodes = true), (s = s.slice(5));
    else if (s.startsWith('nodes:')) (nodes = true), (s = s.slice(6));
    if (s === 'all') {
      if (exclude) throw new XlCpusError(`"${text}" cannot take "all" away (^all).`, text, 'Can\'t combine "^" and "all".');
      terms.push({ exclude, nodes, from: null, to: null });
      continue;
    }
    const invalid = () => new XlCpusError(`"${piece}" in "${text}" is not a CPU, a range of CPUs or a NUMA node.`, text, `Invalid pcpu range: ${s}.`);
    const a = ulong(s);
    if (!a || !Number.isFinite(a.value)) throw invalid();
    let to = a.value;
    let rest = a.rest;
    if (rest.startsWith('-')) {
      const b = ulong(rest.slice(1));
      if (!b || !Number.isFinite(b.value) || b.value < a.value) throw invalid();
      to = b.value;
      rest = b.rest;
    }
    if (rest !== '') throw invalid();
    if (to > MAX_CPU_INDEX) throw new XlCpusError(`"${piece}" in "${text}" names ${nodes ? 'node' : 'CPU'} ${to}; Domus reads indices up to ${MAX_CPU_INDEX}.`, text, `index ${to} above ${MAX_CPU_INDEX}`);
    terms.push({ exclude, nodes, from: a.value, to });
  }
  return terms;
}

/** The CPUs xl's bitmap holds for the text on this host (sorted). */
export function resolveXlCpus(text: string, topo: CpuTopology): number[] {
  const maxId = Math.max(0, ...topo.cpus.map((c) => c.cpu));
  const width = Math.ceil((maxId + 1) / 8) * 8;
  const set = new Set<number>();
  for (const t of parseXlCpus(text)) {
    let cpus: number[];
    if (t.from === null) cpus = Array.from({ length: width }, (_, i) => i);
    else if (t.nodes) cpus = topo.cpus.filter((c) => c.node >= t.from! && c.node <= t.to!).map((c) => c.cpu);
    else cpus = Array.from({ length: t.to! - t.from + 1 }, (_, i) => t.from! + i).filter((c) => c < width);
    for (const c of cpus) (t.exclude ? set.delete(c) : set.add(c));
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * The CPUs a vCPU may run on for a cpus= text; xl refuses a text that leaves none on this host
 * ("^0" alone, "8" on a host with CPUs 0-7 only).
 */
export function resolveXlHardAffinity(text: string, topo: CpuTopology): number[] {
  const cpus = resolveXlCpus(text, topo);
  if (cpus.length === 0) throw new XlCpusError(`"${text}" leaves a vCPU no CPU of this host to run on.`, text, 'vcpu hard affinity map is empty');
  return cpus;
}

/**
 * What cpus=/cpus_soft= means per vCPU: a string applies to every vCPU, a list gives vCPU i its
 * item i (vCPUs past the list's end are left free, items past the vCPU count ignored).
 * null for a vCPU means no affinity given.
 */
export function vcpuAffinities(value: string | (string | unknown)[], vcpus: number, topo: CpuTopology, hard = true): (number[] | null)[] {
  const read = (t: string) => (hard ? resolveXlHardAffinity(t, topo) : resolveXlCpus(t, topo));
  if (typeof value === 'string') {
    const cpus = read(value);
    return Array.from({ length: vcpus }, () => cpus);
  }
  // xl stops at the first item that is not a string.
  const strings = value.findIndex((v) => typeof v !== 'string');
  const n = strings < 0 ? value.length : strings;
  return Array.from({ length: vcpus }, (_, i) => (i < n ? read(value[i] as string) : null));
}

export interface ConfigAffinityReading {
  /** The value as written in the config (xl.cfg syntax). */
  text: string;
  /** The CPUs of each vCPU (null: the config gives that vCPU none). */
  perVcpu: (number[] | null)[];
  /** Why xl would refuse it, when it would. */
  error: string | null;
}

/** What a guest config's cpus= (hard) or cpus_soft= means on this host, for showing it. */
export function configAffinity(value: string | number | unknown[] | undefined, vcpus: number, topo: CpuTopology, hard: boolean): ConfigAffinityReading | null {
  if (value === undefined) return null;
  const text = Array.isArray(value) ? `[ ${value.map((v) => (typeof v === 'string' ? JSON.stringify(v) : '…')).join(', ')} ]` : String(value);
  try {
    return { text, perVcpu: vcpuAffinities(typeof value === 'number' ? String(value) : (value as string | unknown[]), vcpus, topo, hard), error: null };
  } catch (err) {
    if (err instanceof XlCpusError) return { text, perVcpu: [], error: err.message };
    throw err;
  }
}
