// `xl info` and `xl info -n`: "key<padding>: value" lines; -n adds three indented tables.
import { z } from 'zod';
import { MAX_CPU_INDEX, XlParseError, amount, count, lines, reqCount, shown } from './util';

export const XlInfo = z.object({
  host: z.string(),
  /** dom0 kernel release, e.g. "6.1.0-50-amd64". */
  release: z.string().nullable(),
  /** dom0 kernel build string (uname -v). */
  version: z.string().nullable(),
  machine: z.string().nullable(),
  nrCpus: z.number(),
  maxCpuId: z.number().nullable(),
  nrNodes: z.number().nullable(),
  coresPerSocket: z.number().nullable(),
  threadsPerCore: z.number().nullable(),
  cpuMhz: z.number().nullable(),
  hwCaps: z.string().nullable(),
  virtCaps: z.array(z.string()),
  totalMemoryMiB: z.number(),
  freeMemoryMiB: z.number(),
  sharingFreedMemory: z.number().nullable(),
  sharingUsedMemory: z.number().nullable(),
  outstandingClaims: z.number().nullable(),
  freeCpus: z.number().nullable(),
  xenMajor: z.number().nullable(),
  xenMinor: z.number().nullable(),
  xenExtra: z.string().nullable(),
  /** "4.17.5" */
  xenVersion: z.string(),
  xenCaps: z.array(z.string()),
  xenScheduler: z.string(),
  xenPagesize: z.number().nullable(),
  platformParams: z.string().nullable(),
  xenChangeset: z.string().nullable(),
  xenCommandline: z.string().nullable(),
  ccCompiler: z.string().nullable(),
  ccCompileBy: z.string().nullable(),
  ccCompileDomain: z.string().nullable(),
  ccCompileDate: z.string().nullable(),
  buildId: z.string().nullable(),
  xendConfigFormat: z.number().nullable(),
  /** Only printed by xl when xendomains is configured on some distributions. */
  xendDomainsDir: z.string().optional(),
  /** Every key/value line exactly as printed (value trimmed at the end). */
  raw: z.record(z.string(), z.string()),
});
export type XlInfo = z.infer<typeof XlInfo>;

// A key line: lower-case key, at least one space of padding, then ':'. The padding requirement
// keeps the -n table headers ("cpu:    core ...", "node:    memsize ...") out.
const KEY_LINE = /^([a-z][a-z0-9_]*)\s+:(?: (.*))?$/;

function keyValues(text: string): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const line of lines(text)) {
    const m = KEY_LINE.exec(line);
    if (m) raw[m[1]] = (m[2] ?? '').trimEnd();
  }
  return raw;
}

/** A CPU number up to MAX_CPU_INDEX, else null. */
function cpuIndex(v: string | undefined): number | null {
  const n = count(v);
  return n !== null && n <= MAX_CPU_INDEX ? n : null;
}

const opt = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);
const words = (v: string | undefined): string[] => (v ? v.split(/\s+/).filter(Boolean) : []);

export function parseXlInfo(text: string): XlInfo {
  const raw = keyValues(text);
  const need = (k: string): string => {
    if (raw[k] === undefined) throw new XlParseError(`xl info output has no "${k}" line`, text);
    return raw[k];
  };
  const needCount = (k: string): number => {
    const n = count(need(k));
    if (n === null) throw new XlParseError(`xl info "${k}" is not a whole number: ${shown(raw[k])}`, text);
    return n;
  };
  const nrCpus = needCount('nr_cpus');
  if (nrCpus > MAX_CPU_INDEX + 1) throw new XlParseError(`xl info says the host has ${nrCpus} CPUs, more than Xen allows`, text);
  const major = count(raw.xen_major);
  const minor = count(raw.xen_minor);
  const extra = raw.xen_extra ?? null;
  const xenVersion =
    opt(raw.xen_version) ?? (major !== null && minor !== null ? `${major}.${minor}${extra ?? ''}` : null);
  if (xenVersion === null) throw new XlParseError('xl info output has no Xen version', text);
  return {
    host: need('host'),
    release: opt(raw.release),
    version: opt(raw.version),
    machine: opt(raw.machine),
    nrCpus,
    maxCpuId: cpuIndex(raw.max_cpu_id),
    nrNodes: count(raw.nr_nodes),
    coresPerSocket: count(raw.cores_per_socket),
    threadsPerCore: count(raw.threads_per_core),
    cpuMhz: amount(raw.cpu_mhz),
    hwCaps: opt(raw.hw_caps),
    virtCaps: words(raw.virt_caps),
    totalMemoryMiB: needCount('total_memory'),
    freeMemoryMiB: needCount('free_memory'),
    sharingFreedMemory: count(raw.sharing_freed_memory),
    sharingUsedMemory: count(raw.sharing_used_memory),
    outstandingClaims: count(raw.outstanding_claims),
    freeCpus: count(raw.free_cpus),
    xenMajor: major,
    xenMinor: minor,
    xenExtra: extra,
    xenVersion,
    xenCaps: words(raw.xen_caps),
    xenScheduler: need('xen_scheduler'),
    xenPagesize: count(raw.xen_pagesize),
    platformParams: opt(raw.platform_params),
    xenChangeset: opt(raw.xen_changeset),
    xenCommandline: opt(raw.xen_commandline),
    ccCompiler: opt(raw.cc_compiler),
    ccCompileBy: opt(raw.cc_compile_by),
    ccCompileDomain: opt(raw.cc_compile_domain),
    ccCompileDate: opt(raw.cc_compile_date),
    buildId: opt(raw.build_id),
    xendConfigFormat: count(raw.xend_config_format),
    ...(raw.xendomains_dir !== undefined ? { xendDomainsDir: raw.xendomains_dir } : {}),
    raw,
  };
}

export const XlCapabilities = z.object({
  pv: z.boolean(),
  hvm: z.boolean(),
  /** PVH runs in an HVM container: needs hvm plus a paging mode (hap or shadow). */
  pvh: z.boolean(),
  hap: z.boolean(),
  shadow: z.boolean(),
  /** An IOMMU is active: Xen reports hvm_directio / pv_directio in virt_caps. */
  passthrough: z.object({ any: z.boolean(), pv: z.boolean(), hvm: z.boolean() }),
});
export type XlCapabilities = z.infer<typeof XlCapabilities>;

/** What kinds of guests the host can run, from virt_caps (xen_caps as a fallback for old Xen). */
export function xlCapabilities(info: Pick<XlInfo, 'virtCaps' | 'xenCaps'>): XlCapabilities {
  const caps = new Set(info.virtCaps);
  const pv = caps.has('pv') || (!caps.size && info.xenCaps.some((c) => c.startsWith('xen-')));
  const hvm = caps.has('hvm') || (!caps.size && info.xenCaps.some((c) => c.startsWith('hvm-')));
  const hap = caps.has('hap');
  const shadow = caps.has('shadow');
  const pvPt = caps.has('pv_directio');
  const hvmPt = caps.has('hvm_directio');
  return {
    pv,
    hvm,
    pvh: hvm && (hap || shadow),
    hap,
    shadow,
    passthrough: { any: pvPt || hvmPt, pv: pvPt, hvm: hvmPt },
  };
}

export const XlCpuTopology = z.object({ cpu: z.number(), core: z.number(), socket: z.number(), node: z.number() });
export const XlNumaNode = z.object({
  node: z.number(),
  memsizeMiB: z.number(),
  memfreeMiB: z.number(),
  distances: z.array(z.number()),
});
export const XlDeviceNode = z.object({ bdf: z.string(), node: z.number() });
export const XlInfoNuma = z.object({
  info: XlInfo,
  cpuTopology: z.array(XlCpuTopology),
  devices: z.array(XlDeviceNode),
  numa: z.array(XlNumaNode),
});
export type XlInfoNuma = z.infer<typeof XlInfoNuma>;

/** `xl info -n`: the usual keys plus cpu_topology, device topology and numa_info tables. */
export function parseXlInfoNuma(text: string): XlInfoNuma {
  const info = parseXlInfo(text);
  const cpuTopology: XlInfoNuma['cpuTopology'] = [];
  const devices: XlInfoNuma['devices'] = [];
  const numa: XlInfoNuma['numa'] = [];
  let section: 'cpu' | 'device' | 'numa' | null = null;
  for (const line of lines(text)) {
    const key = KEY_LINE.exec(line);
    if (key) {
      section =
        key[1] === 'cpu_topology' ? 'cpu' : key[1] === 'device' ? 'device' : key[1] === 'numa_info' ? 'numa' : null;
      continue;
    }
    // "device topology        :" has a space in its key, so KEY_LINE misses it.
    if (/^device topology\s+:/.test(line)) {
      section = 'device';
      continue;
    }
    if (section === 'cpu') {
      const m = /^\s*(\d+):\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(line);
      if (!m) continue;
      const cpu = cpuIndex(m[1]);
      if (cpu === null) throw new XlParseError(`xl info -n lists CPU ${shown(m[1])}, beyond CPU ${MAX_CPU_INDEX}`, text);
      const of = (v: string, what: string) => reqCount(v, `the ${what} of CPU ${cpu}`, text);
      cpuTopology.push({ cpu, core: of(m[2], 'core'), socket: of(m[3], 'socket'), node: of(m[4], 'node') });
    } else if (section === 'device') {
      const m = /^\s*([0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])\s+(\d+)\s*$/.exec(line);
      if (m) devices.push({ bdf: m[1].toLowerCase(), node: reqCount(m[2], `the node of ${m[1]}`, text) });
    } else if (section === 'numa') {
      const m = /^\s*(\d+):\s+(\d+)\s+(\d+)\s+([\d,\s]+?)\s*$/.exec(line);
      if (!m) continue;
      const node = reqCount(m[1], 'a NUMA node number', text);
      const of = (v: string, what: string) => reqCount(v, `the ${what} of node ${node}`, text);
      numa.push({
        node,
        memsizeMiB: of(m[2], 'memory size'),
        memfreeMiB: of(m[3], 'free memory'),
        distances: m[4].split(/[,\s]+/).filter(Boolean).map((d) => of(d, 'distances')),
      });
    }
  }
  return { info, cpuTopology, devices, numa };
}
