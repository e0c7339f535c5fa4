// CPU and memory: topology and NUMA, cpupools and their schedulers, where vCPUs run, and the
// per-guest controls (weight/cap, pinning, vCPU count, memory target, pool). Every change says
// whether it applies to the running guest ("live"), to its config file ("persistent") or both.
import { z } from 'zod';
import { HostId } from './hosts';
import { ForHost } from './common';
import { GuestName } from './pci';

export const PoolName = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/);
export const CpuIndex = z.number().int().min(0).max(4095);
export const CpuList = z.array(CpuIndex).max(4096);
export const Scheduler = z.enum(['credit', 'credit2', 'rtds', 'null']);
export const ApplyMode = z.enum(['live', 'persistent', 'both']);
export type ApplyMode = z.infer<typeof ApplyMode>;

export const CpuTopologyEntry = z.object({ cpu: z.number(), core: z.number(), socket: z.number(), node: z.number() });
export const NumaNode = z.object({
  node: z.number(),
  memsizeMiB: z.number(),
  memfreeMiB: z.number(),
  distances: z.array(z.number()),
  cpus: z.array(z.number()),
});
export const Cpupool = z.object({
  name: z.string(),
  sched: z.string(),
  cpus: z.array(z.number()),
  domainCount: z.number(),
  /** Pool parameters as printed by the scheduler command (tslice, ratelimit...). */
  params: z.record(z.string(), z.string()),
});
export type Cpupool = z.infer<typeof Cpupool>;

export const CpuDomain = z.object({
  name: z.string(),
  domid: z.number(),
  pool: z.string(),
  /** vCPUs online now / the most it can have (maxvcpus). */
  onlineVcpus: z.number(),
  maxVcpus: z.number().nullable(),
  memoryMiB: z.number().nullable(),
  maxMemoryMiB: z.number().nullable(),
  weight: z.number().nullable(),
  cap: z.number().nullable(),
});
export type CpuDomain = z.infer<typeof CpuDomain>;

export const NumaSplitPlan = z.object({
  possible: z.boolean(),
  /** Why there is nothing to split (a key the UI translates): 'single-node' | 'pools-exist'. */
  reason: z.enum(['single-node', 'pools-exist']).nullable(),
  pools: z.array(z.object({ name: z.string(), node: z.number(), cpus: z.array(z.number()), sched: z.string() })),
});
export type NumaSplitPlan = z.infer<typeof NumaSplitPlan>;

export const CpuOverview = z.object({
  scheduler: z.string(),
  nrCpus: z.number(),
  coresPerSocket: z.number().nullable(),
  threadsPerCore: z.number().nullable(),
  topology: z.array(CpuTopologyEntry),
  nodes: z.array(NumaNode),
  pools: z.array(Cpupool),
  /** CPUs in no pool (after cpupool-cpu-remove or cpupool-destroy). */
  freeCpus: z.array(z.number()),
  domains: z.array(CpuDomain),
  numaSplit: NumaSplitPlan,
});
export type CpuOverview = z.infer<typeof CpuOverview>;

export const VcpuPlacement = z.object({
  name: z.string(),
  domid: z.number(),
  vcpu: z.number(),
  cpu: z.number().nullable(),
  running: z.boolean(),
  blocked: z.boolean(),
  offline: z.boolean(),
  timeSeconds: z.number(),
  /** "all" or the CPUs. */
  hard: z.union([z.literal('all'), z.array(z.number())]).nullable(),
  soft: z.union([z.literal('all'), z.array(z.number())]).nullable(),
});
export type VcpuPlacement = z.infer<typeof VcpuPlacement>;

const ForGuest = { hostId: HostId, guest: GuestName, apply: ApplyMode };
/** What a change did: which parts ran, the config file written (if any). */
export const ChangeResult = z.object({ live: z.boolean(), persistent: z.boolean(), configPath: z.string().nullable() });
export type ChangeResult = z.infer<typeof ChangeResult>;

/** One vCPU's affinity: 'all' or a list of pCPUs (non-empty). */
export const Affinity = z.union([z.literal('all'), CpuList.min(1)]);

/** A guest config's cpus= or cpus_soft= as written and as xl reads it on this host. */
export const ConfigAffinityKey = z.object({ text: z.string(), perVcpu: z.array(z.array(z.number()).nullable()), error: z.string().nullable() });
export const ConfigAffinity = z.object({ configPath: z.string().nullable(), hard: ConfigAffinityKey.nullable(), soft: ConfigAffinityKey.nullable() });
export type ConfigAffinity = z.infer<typeof ConfigAffinity>;

export const CpuMethods = {
  'cpu.overview': { input: ForHost, output: CpuOverview },
  /** `xl vcpu-list` now; the CPU view polls it while open. */
  'cpu.vcpus': { input: ForHost, output: z.array(VcpuPlacement) },
  /** What the guest's config file pins (cpus=, cpus_soft=), read with xl's syntax. */
  'cpu.configAffinity': { input: z.object({ hostId: HostId, guest: GuestName }).strict(), output: ConfigAffinity },
  'cpu.setSched': {
    input: z
      .object({ ...ForGuest, weight: z.number().int().min(1).max(65535).optional(), cap: z.number().int().min(0).max(12800).optional() })
      .strict(),
    output: ChangeResult,
  },
  /** Hard/soft affinity per vCPU (index = vCPU number). */
  'cpu.setPinning': {
    input: z.object({ ...ForGuest, hard: z.array(Affinity).min(1).max(512), soft: z.array(Affinity).min(1).max(512) }).strict(),
    output: ChangeResult,
  },
  'cpu.setVcpus': { input: z.object({ ...ForGuest, count: z.number().int().min(1).max(512) }).strict(), output: ChangeResult },
  'cpu.setMemory': { input: z.object({ ...ForGuest, targetMiB: z.number().int().min(32).max(16 * 1024 * 1024) }).strict(), output: ChangeResult },
  'cpu.movePool': { input: z.object({ ...ForGuest, pool: PoolName }).strict(), output: ChangeResult },
  'cpu.poolCreate': {
    input: z.object({ hostId: HostId, name: PoolName, sched: Scheduler, cpus: CpuList.min(1) }).strict(),
    output: z.null(),
  },
  /** Destroys an empty pool and gives its CPUs to returnTo (default Pool-0). */
  'cpu.poolDestroy': {
    input: z.object({ hostId: HostId, name: PoolName, returnTo: PoolName.nullable().optional() }).strict(),
    output: z.null(),
  },
  /** Moves a pCPU: out of its pool (if any) and into `to` (null: leave it free). */
  'cpu.poolMoveCpu': { input: z.object({ hostId: HostId, cpu: CpuIndex, to: PoolName.nullable() }).strict(), output: z.null() },
} as const;
