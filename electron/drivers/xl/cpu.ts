// xl's side of CPU and memory management: reading topology, pools, placement and scheduler
// parameters; building the argv of each change; and the checks that run before any of them.
// Weight and cap go through the command of the guest's pool's scheduler: `xl sched-credit` on a
// credit2 pool (or the reverse) fails with "Getting domain sched credit: Invalid argument".
import { DomusError } from '../../api/errors';
import type { CpuDomain, CpuOverview, Cpupool, NumaSplitPlan, VcpuPlacement } from '../../api/cpu';
import type { Transport } from '../../transport/types';
import {
  parseCpupoolList,
  parseSchedCredit,
  parseSchedCredit2,
  parseVcpuList,
  parseXlError,
  parseXlInfoNuma,
  parseXlListCpupool,
  parseXlListLong,
  type XlInfoNuma,
  type XlSched,
} from './parse';

export type Affinity = 'all' | number[];

/** "0-3,6" from [0,1,2,3,6] (sorted, deduplicated, ranges folded). */
export function cpuSetText(cpus: Affinity): string {
  if (cpus === 'all') return 'all';
  const s = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(i === j ? `${s[i]}` : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The xl command that reads and sets weight/cap in a pool with this scheduler. */
export function schedCommand(sched: string): 'sched-credit' | 'sched-credit2' {
  if (sched === 'credit') return 'sched-credit';
  if (sched === 'credit2') return 'sched-credit2';
  throw new DomusError('unsupported', `The ${sched} scheduler has no weight or cap; move the guest to a credit or credit2 pool first.`);
}

// ---- argv of each change (values are validated before they get here) ----

export function schedSetArgv(sched: string, guest: string, p: { weight?: number; cap?: number }): string[] {
  const argv = ['xl', schedCommand(sched), '-d', guest];
  if (p.weight !== undefined) argv.push('-w', String(p.weight));
  if (p.cap !== undefined) argv.push('-c', String(p.cap));
  return argv;
}
export const vcpuPinArgv = (guest: string, vcpu: number, hard: Affinity, soft: Affinity) => [
  'xl', 'vcpu-pin', '--', guest, String(vcpu), cpuSetText(hard), cpuSetText(soft),
];
export const vcpuSetArgv = (guest: string, count: number) => ['xl', 'vcpu-set', '--', guest, String(count)];
export const memSetArgv = (guest: string, mib: number) => ['xl', 'mem-set', '--', guest, `${mib}m`];
export const cpupoolMigrateArgv = (guest: string, pool: string) => ['xl', 'cpupool-migrate', '--', guest, pool];
export const cpupoolCreateArgv = (name: string, sched: string, cpus: number[]) => [
  'xl', 'cpupool-create', `name="${name}"`, `sched="${sched}"`, `cpus="${cpuSetText(cpus)}"`,
];
export const cpupoolDestroyArgv = (name: string) => ['xl', 'cpupool-destroy', name];
export const cpupoolCpuAddArgv = (pool: string, cpu: number) => ['xl', 'cpupool-cpu-add', pool, String(cpu)];
export const cpupoolCpuRemoveArgv = (pool: string, cpu: number) => ['xl', 'cpupool-cpu-remove', pool, String(cpu)];

/** Persistent form of per-vCPU affinities: one string when all vCPUs agree, else a list. */
export function affinityCfgValue(per: Affinity[]): string | string[] | null {
  const texts = per.map(cpuSetText);
  if (texts.every((t) => t === 'all')) return null;
  return texts.every((t) => t === texts[0]) ? texts[0] : texts;
}

// ---- reading ----

async function xl(transport: Transport, argv: string[]): Promise<string> {
  const r = await transport.exec(argv, { timeoutMs: 60_000 });
  if (r.code !== 0) {
    const e = parseXlError(r.stderr);
    throw new DomusError('command_failed', `The host could not answer ${argv.join(' ')}.`, e.summary || r.stderr.trim());
  }
  return r.stdout;
}

export interface CpuState {
  info: XlInfoNuma;
  pools: Cpupool[];
  freeCpus: number[];
  domains: CpuDomain[];
}

/** Joins the outputs of the reading commands (pure: unit-tested on the recorded fixtures). */
export function buildCpuState(o: {
  infoN: string;
  poolList: string;
  poolListC: string;
  listC: string;
  listL: string;
  sched: { credit: string | null; credit2: string | null };
  /** `xl vcpu-list`: the vCPU counts (without it, every domain shows 0 online). */
  vcpuList?: string;
}): CpuState {
  const info = parseXlInfoNuma(o.infoN);
  const plain = parseCpupoolList(o.poolList);
  const withCpus = parseCpupoolList(o.poolListC);
  const scheds: XlSched[] = [
    ...(o.sched.credit !== null ? [parseSchedCredit(o.sched.credit)] : []),
    ...(o.sched.credit2 !== null ? [parseSchedCredit2(o.sched.credit2)] : []),
  ];
  const schedPools = scheds.flatMap((s) => s.pools);
  const pools: Cpupool[] = plain.map((p) => ({
    name: p.name,
    sched: p.sched ?? 'unknown',
    cpus: withCpus.find((c) => c.name === p.name)?.cpus ?? [],
    domainCount: p.domainCount ?? 0,
    params: schedPools.find((s) => s.pool === p.name)?.params ?? {},
  }));
  const inPools = new Set(pools.flatMap((p) => p.cpus));
  const allCpus = info.cpuTopology.length ? info.cpuTopology.map((c) => c.cpu) : [...Array(info.info.nrCpus).keys()];
  const freeCpus = allCpus.filter((c) => !inPools.has(c));
  const long = parseXlListLong(o.listL);
  const domains: CpuDomain[] = parseXlListCpupool(o.listC).map((d) => {
    const l = long.find((x) => x.domid === d.domid);
    const s = schedPools.find((p) => p.pool === d.pool)?.domains.find((x) => x.domid === d.domid);
    return {
      name: d.name,
      domid: d.domid,
      pool: d.pool,
      onlineVcpus: 0,
      maxVcpus: l?.maxVcpus ?? null,
      memoryMiB: l?.targetMemKiB != null ? Math.round(l.targetMemKiB / 1024) : null,
      maxMemoryMiB: l?.maxMemKiB != null ? Math.round(l.maxMemKiB / 1024) : null,
      weight: s?.weight ?? null,
      cap: s?.cap ?? null,
    };
  });
  if (o.vcpuList !== undefined) {
    const vcpus = parseVcpuList(o.vcpuList);
    for (const d of domains) {
      const own = vcpus.filter((v) => v.domid === d.domid);
      d.onlineVcpus = own.filter((v) => !v.offline).length;
      // xl list -l gives no max_vcpus for Domain-0 (no config built it); vcpu-list lists every
      // vCPU a domain has, offline ones too, so their number is its maximum.
      d.maxVcpus ??= own.length || null;
    }
  }
  return { info, pools, freeCpus, domains };
}

/** Reads topology, pools and per-domain scheduling; vCPU counts come from `xl vcpu-list`. */
export async function readCpuState(transport: Transport): Promise<CpuState & { vcpus: VcpuPlacement[] }> {
  const [infoN, poolList, poolListC, listC, listL, vcpuText] = await Promise.all([
    xl(transport, ['xl', 'info', '-n']),
    xl(transport, ['xl', 'cpupool-list']),
    xl(transport, ['xl', 'cpupool-list', '-c']),
    xl(transport, ['xl', 'list', '-c']),
    xl(transport, ['xl', 'list', '-l']),
    xl(transport, ['xl', 'vcpu-list']),
  ]);
  const used = new Set(parseCpupoolList(poolList).map((p) => p.sched));
  // Each scheduler command lists only the pools that use it; ask only for the ones present.
  const [credit, credit2] = await Promise.all([
    used.has('credit') ? xl(transport, ['xl', 'sched-credit']) : Promise.resolve(null),
    used.has('credit2') ? xl(transport, ['xl', 'sched-credit2']) : Promise.resolve(null),
  ]);
  const state = buildCpuState({ infoN, poolList, poolListC, listC, listL, sched: { credit, credit2 }, vcpuList: vcpuText });
  return { ...state, vcpus: vcpuPlacements(vcpuText) };
}

export function vcpuPlacements(text: string): VcpuPlacement[] {
  return parseVcpuList(text).map((v) => ({
    name: v.name,
    domid: v.domid,
    vcpu: v.vcpu,
    cpu: v.cpu,
    running: v.running,
    blocked: v.blocked,
    offline: v.offline,
    timeSeconds: v.timeSeconds,
    hard: v.hardAffinity,
    soft: v.softAffinity,
  }));
}

export async function readVcpus(transport: Transport): Promise<VcpuPlacement[]> {
  return vcpuPlacements(await xl(transport, ['xl', 'vcpu-list']));
}

/** One pool per NUMA node when the host has more than one node and only Pool-0 exists. */
export function numaSplitPlan(info: XlInfoNuma, pools: Cpupool[]): NumaSplitPlan {
  const nodes = [...new Set(info.cpuTopology.map((c) => c.node))].sort((a, b) => a - b);
  if (nodes.length < 2) return { possible: false, reason: 'single-node', pools: [] };
  if (pools.length > 1) return { possible: false, reason: 'pools-exist', pools: [] };
  const sched = pools[0]?.sched ?? info.info.xenScheduler;
  // Pool-0 keeps node 0 (dom0 lives there); each other node gets a pool of its own.
  return {
    possible: true,
    reason: null,
    pools: nodes.slice(1).map((node) => ({
      name: `Pool-node${node}`,
      node,
      cpus: info.cpuTopology.filter((c) => c.node === node).map((c) => c.cpu),
      sched,
    })),
  };
}

export function cpuOverview(state: CpuState): CpuOverview {
  const { info } = state;
  return {
    scheduler: info.info.xenScheduler,
    nrCpus: info.info.nrCpus,
    coresPerSocket: info.info.coresPerSocket,
    threadsPerCore: info.info.threadsPerCore,
    topology: info.cpuTopology,
    nodes: info.numa.map((n) => ({ ...n, cpus: info.cpuTopology.filter((c) => c.node === n.node).map((c) => c.cpu) })),
    pools: state.pools,
    freeCpus: state.freeCpus,
    domains: state.domains,
    numaSplit: numaSplitPlan(info, state.pools),
  };
}

// ---- checks before anything runs ----

const invalid = (msg: string) => new DomusError('invalid_input', msg);

/** Every pin within the CPUs of the pool the guest runs in (or will run in). */
export function checkPinning(hard: Affinity[], soft: Affinity[], vcpuCount: number, poolName: string, poolCpus: number[]): void {
  if (hard.length !== vcpuCount || soft.length !== vcpuCount) {
    throw invalid(`Give an affinity for each of the guest's ${vcpuCount} vCPUs (got ${hard.length} hard, ${soft.length} soft).`);
  }
  const allowed = new Set(poolCpus);
  for (const [kind, list] of [['hard', hard], ['soft', soft]] as const) {
    list.forEach((a, vcpu) => {
      if (a === 'all') return;
      if (a.length === 0) throw invalid(`vCPU ${vcpu} needs at least one physical CPU in its ${kind} affinity.`);
      const outside = a.filter((c) => !allowed.has(c));
      if (outside.length) {
        throw invalid(
          `vCPU ${vcpu} cannot be pinned (${kind}) to CPU ${cpuSetText(outside)}: pool ${poolName} has CPUs ${cpuSetText(poolCpus) || 'none'}.`,
        );
      }
    });
  }
}

export function checkVcpuCount(count: number, max: number | null, guest: string): void {
  if (max !== null && count > max) throw invalid(`${guest} can have at most ${max} vCPUs (maxvcpus); ${count} is too many.`);
  if (count < 1) throw invalid('A guest needs at least one vCPU.');
}

export function checkMemory(targetMiB: number, maxMiB: number | null, guest: string): void {
  if (maxMiB !== null && targetMiB > maxMiB) {
    throw invalid(`${guest} can have at most ${maxMiB} MiB (maxmem); ${targetMiB} MiB is more than that.`);
  }
}

/** credit2 caps are a percentage of one CPU per vCPU: 100 × vCPUs at most. */
export function checkCap(cap: number, vcpus: number): void {
  if (cap > 100 * vcpus) throw invalid(`A cap above ${100 * vcpus}% means nothing for ${vcpus} vCPU(s); use 0 for no cap.`);
}
