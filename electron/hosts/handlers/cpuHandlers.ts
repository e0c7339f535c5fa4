// CPU and memory: host overview, live vCPU placement, per-guest scheduling/pinning/vCPUs/memory/
// pool (live, persistent or both) and cpupool management. Every check runs before any command;
// every change runs as a task whose steps show the exact xl commands and xl's refusal text.
import { DomusError } from '../../api/errors';
import type { ApplyMode, ChangeResult, Cpupool, CpuDomain } from '../../api/cpu';
import type { TaskAction } from '../../api/tasks';
import {
  affinityCfgValue,
  checkCap,
  checkMemory,
  checkPinning,
  checkVcpuCount,
  cpuOverview,
  cpupoolCpuAddArgv,
  cpupoolCpuRemoveArgv,
  cpupoolCreateArgv,
  cpupoolDestroyArgv,
  cpupoolMigrateArgv,
  memSetArgv,
  readCpuState,
  readVcpus,
  schedSetArgv,
  vcpuPinArgv,
  vcpuSetArgv,
  type CpuState,
} from '../../drivers/xl/cpu';
import { editCpuKeys, parseGuestConfig, readGuestConfig, writeGuestConfig, type CpuCfgChanges } from '../../drivers/xl/cpuConfigEdit';
import { parseXlError } from '../../drivers/xl/parse';
import { configAffinity, type XlCfg } from '../../drivers/xl/xlcfg';
import type { TaskContext } from '../../tasks/taskLog';
import type { Transport } from '../../transport/types';
import { taskMeta, transportOf, type BackendContext, type Handlers } from '../context';
import type { HostConnection } from '../hostConnection';

type CpuMethodName =
  | 'cpu.overview' | 'cpu.vcpus' | 'cpu.configAffinity' | 'cpu.setSched' | 'cpu.setPinning' | 'cpu.setVcpus' | 'cpu.setMemory'
  | 'cpu.movePool' | 'cpu.poolCreate' | 'cpu.poolDestroy' | 'cpu.poolMoveCpu';

const invalid = (msg: string) => new DomusError('invalid_input', msg);
const wantsLive = (a: ApplyMode) => a !== 'persistent';
const wantsPersistent = (a: ApplyMode) => a !== 'live';

/** Runs argv as a task step; on failure throws with xl's own words as detail. */
async function xlStep(t: TaskContext, transport: Transport, argv: string[], what: string): Promise<void> {
  const r = await t.exec(transport, argv, { timeoutMs: 120_000 });
  if (r.code !== 0) {
    const e = parseXlError(r.stderr);
    // The summary in the message so the refusal is seen at once; every line of stderr as detail.
    throw new DomusError('command_failed', `xl refused to ${what}${e.summary ? `: ${e.summary}` : '.'}`, r.stderr.trim());
  }
}

/** Everything a per-guest change needs to know before it runs. */
interface GuestTarget {
  host: HostConnection;
  transport: Transport;
  state: CpuState;
  /** The running domain, or null when the guest is shut off. */
  dom: CpuDomain | null;
  /** The pool the guest runs in (live) or will start in (its config's pool=, else Pool-0). */
  pool: Cpupool | null;
  configPath: string | null;
  configText: string | null;
  config: XlCfg | null;
  vcpuCount: number;
}

async function target(ctx: BackendContext, hostId: string, guest: string, apply: ApplyMode): Promise<GuestTarget> {
  const { host, transport } = transportOf(ctx, hostId);
  const full = await readCpuState(transport);
  const dom = full.domains.find((d) => d.name === guest) ?? null;
  const inv = host.guests().find((g) => g.name === guest) ?? null;
  if (!dom && !inv) throw new DomusError('not_found', `There is no guest named ${guest} on ${host.profile.name}.`);
  if (wantsLive(apply) && !dom) throw invalid(`${guest} is not running, so nothing can change live; choose "persistent" to change its config.`);
  const configPath = inv?.configPath ?? null;
  let configText: string | null = null;
  let config: XlCfg | null = null;
  if (wantsPersistent(apply)) {
    if (!configPath) throw invalid(`${guest} has no config file Domus knows of, so the change can only be live.`);
    configText = await readGuestConfig(transport, configPath);
    config = parseGuestConfig(configText, configPath);
  }
  const poolName = dom?.pool ?? config?.getString('pool') ?? 'Pool-0';
  const pool = full.pools.find((p) => p.name === poolName) ?? null;
  const vcpuCount = dom?.maxVcpus ?? config?.getNumber('maxvcpus') ?? config?.getNumber('vcpus') ?? 1;
  return { host, transport, state: full, dom, pool, configPath, configText, config, vcpuCount };
}

/** Runs the live steps, then writes the config; says which parts ran. */
async function applyChange(
  ctx: BackendContext,
  g: GuestTarget,
  action: TaskAction,
  guest: string,
  apply: ApplyMode,
  live: (t: TaskContext) => Promise<void>,
  changes: CpuCfgChanges,
): Promise<ChangeResult> {
  // Built before the task so an unreadable config refuses before anything runs.
  const newText = wantsPersistent(apply) && g.configText !== null ? editCpuKeys(g.configText, changes, g.configPath ?? undefined) : null;
  const result = await ctx.tasks.run(taskMeta(g.host, action, guest), async (t) => {
    if (wantsLive(apply)) await live(t);
    if (newText !== null && g.configPath && g.configText !== null) {
      try {
        await writeGuestConfig(t, g.transport, g.configPath, g.configText, newText);
      } catch (err) {
        if (wantsLive(apply) && err instanceof DomusError) {
          throw new DomusError(err.code, `The change is live, but ${err.message.charAt(0).toLowerCase()}${err.message.slice(1)}`, err.detail);
        }
        throw err;
      }
    }
    return { live: wantsLive(apply), persistent: newText !== null, configPath: newText !== null ? g.configPath : null };
  });
  await g.host.refresh().catch(() => undefined);
  return result;
}

function poolByName(state: CpuState, name: string): Cpupool {
  const p = state.pools.find((x) => x.name === name);
  if (!p) throw invalid(`There is no cpupool named ${name}.`);
  return p;
}

export function cpuHandlers(ctx: BackendContext): Handlers<CpuMethodName> {
  return {
    async 'cpu.overview'({ hostId }) {
      const { transport } = transportOf(ctx, hostId);
      return cpuOverview(await readCpuState(transport));
    },

    async 'cpu.vcpus'({ hostId }) {
      const { transport } = transportOf(ctx, hostId);
      return readVcpus(transport);
    },

    async 'cpu.configAffinity'({ hostId, guest }) {
      const { host, transport } = transportOf(ctx, hostId);
      const configPath = host.guests().find((g) => g.name === guest)?.configPath ?? null;
      if (!configPath) return { configPath: null, hard: null, soft: null };
      const [state, text] = await Promise.all([readCpuState(transport), readGuestConfig(transport, configPath)]);
      const config = parseGuestConfig(text, configPath);
      const topo = { cpus: state.info.cpuTopology.map((c) => ({ cpu: c.cpu, node: c.node })) };
      // xl sizes the affinity array by maxvcpus, else vcpus.
      const vcpus = config.getNumber('maxvcpus') ?? config.getNumber('vcpus') ?? 1;
      const read = (key: string, hard: boolean) => {
        const v = config.get(key);
        return configAffinity(v, vcpus, topo, hard);
      };
      return { configPath, hard: read('cpus', true), soft: read('cpus_soft', false) };
    },

    async 'cpu.setSched'({ hostId, guest, apply, weight, cap }) {
      if (weight === undefined && cap === undefined) throw invalid('Give a weight, a cap or both.');
      const g = await target(ctx, hostId, guest, apply);
      if (cap !== undefined) checkCap(cap, g.vcpuCount);
      const sched = g.pool?.sched ?? g.state.info.info.xenScheduler;
      return applyChange(
        ctx, g, 'cpu.setSched', guest, apply,
        (t) => xlStep(t, g.transport, schedSetArgv(sched, guest, { weight, cap }), `set the scheduling of ${guest}`),
        { ...(weight !== undefined ? { cpu_weight: weight } : {}), ...(cap !== undefined ? { cap } : {}) },
      );
    },

    async 'cpu.setPinning'({ hostId, guest, apply, hard, soft }) {
      const g = await target(ctx, hostId, guest, apply);
      const poolCpus = g.pool?.cpus ?? g.state.info.cpuTopology.map((c) => c.cpu);
      checkPinning(hard, soft, g.vcpuCount, g.pool?.name ?? 'Pool-0', poolCpus);
      return applyChange(
        ctx, g, 'cpu.setPinning', guest, apply,
        async (t) => {
          for (let v = 0; v < hard.length; v++) {
            await xlStep(t, g.transport, vcpuPinArgv(guest, v, hard[v], soft[v]), `pin vCPU ${v} of ${guest}`);
          }
        },
        { cpus: affinityCfgValue(hard), cpus_soft: affinityCfgValue(soft) },
      );
    },

    async 'cpu.setVcpus'({ hostId, guest, apply, count }) {
      const g = await target(ctx, hostId, guest, apply);
      if (wantsLive(apply)) checkVcpuCount(count, g.dom?.maxVcpus ?? null, guest);
      if (wantsPersistent(apply) && g.config) {
        const cfgMax = g.config.getNumber('maxvcpus');
        // Without maxvcpus=, vcpus= sets the maximum too; xl allows up to 128 vCPUs for HVM.
        checkVcpuCount(count, cfgMax ?? 128, guest);
      }
      return applyChange(
        ctx, g, 'cpu.setVcpus', guest, apply,
        (t) => xlStep(t, g.transport, vcpuSetArgv(guest, count), `set the vCPUs of ${guest} to ${count}`),
        { vcpus: count },
      );
    },

    async 'cpu.setMemory'({ hostId, guest, apply, targetMiB }) {
      const g = await target(ctx, hostId, guest, apply);
      if (wantsLive(apply)) checkMemory(targetMiB, g.dom?.maxMemoryMiB ?? null, guest);
      if (wantsPersistent(apply) && g.config) checkMemory(targetMiB, g.config.getNumber('maxmem') ?? null, guest);
      return applyChange(
        ctx, g, 'cpu.setMemory', guest, apply,
        (t) => xlStep(t, g.transport, memSetArgv(guest, targetMiB), `set the memory of ${guest} to ${targetMiB} MiB`),
        { memory: targetMiB },
      );
    },

    async 'cpu.movePool'({ hostId, guest, apply, pool }) {
      const g = await target(ctx, hostId, guest, apply);
      const to = poolByName(g.state, pool);
      if (to.cpus.length === 0) throw invalid(`Pool ${pool} has no CPUs; add one before moving a guest into it.`);
      if (g.dom?.domid === 0 && wantsLive(apply)) throw invalid('Domain-0 cannot be moved to another pool.');
      if (wantsLive(apply) && g.dom?.pool === pool) throw invalid(`${guest} already runs in ${pool}.`);
      return applyChange(
        ctx, g, 'cpu.movePool', guest, apply,
        (t) => xlStep(t, g.transport, cpupoolMigrateArgv(guest, pool), `move ${guest} to pool ${pool}`),
        // Pool-0 is where xl puts a guest without pool=; writing it out would only add noise.
        { pool: pool === 'Pool-0' ? null : pool },
      );
    },

    async 'cpu.poolCreate'({ hostId, name, sched, cpus }) {
      const { host, transport } = transportOf(ctx, hostId);
      const state = await readCpuState(transport);
      if (state.pools.some((p) => p.name === name)) throw new DomusError('conflict', `A cpupool named ${name} exists already.`);
      const all = new Set(state.info.cpuTopology.map((c) => c.cpu));
      const want = [...new Set(cpus)].sort((a, b) => a - b);
      const unknown = want.filter((c) => !all.has(c));
      if (unknown.length) throw invalid(`This host has no CPU ${unknown.join(', ')}.`);
      // CPUs still in a pool leave it first; a pool must keep at least one CPU while it has guests.
      const moves: { cpu: number; from: string }[] = [];
      for (const p of state.pools) {
        const taken = p.cpus.filter((c) => want.includes(c));
        if (!taken.length) continue;
        if (taken.length === p.cpus.length && p.domainCount > 0) {
          throw invalid(`Pool ${p.name} would be left without CPUs while it has ${p.domainCount} domain(s); keep at least one of its CPUs.`);
        }
        for (const cpu of taken) moves.push({ cpu, from: p.name });
      }
      await ctx.tasks.run(taskMeta(host, 'cpu.poolCreate', name), async (t) => {
        const done: { cpu: number; from: string }[] = [];
        try {
          for (const m of moves) {
            await xlStep(t, transport, cpupoolCpuRemoveArgv(m.from, m.cpu), `take CPU ${m.cpu} out of ${m.from}`);
            done.push(m);
          }
          await xlStep(t, transport, cpupoolCreateArgv(name, sched, want), `create cpupool ${name}`);
        } catch (err) {
          // Roll back only what this task did: CPUs go back where they came from.
          for (const m of done.reverse()) await t.exec(transport, cpupoolCpuAddArgv(m.from, m.cpu));
          throw err;
        }
      });
      return null;
    },

    async 'cpu.poolDestroy'({ hostId, name, returnTo }) {
      const { host, transport } = transportOf(ctx, hostId);
      const state = await readCpuState(transport);
      const pool = poolByName(state, name);
      if (name === 'Pool-0') throw invalid('Pool-0 holds Domain-0 and cannot be destroyed.');
      if (pool.domainCount > 0) throw invalid(`Pool ${name} still has ${pool.domainCount} guest(s); move them to another pool first.`);
      const dest = returnTo === undefined ? 'Pool-0' : returnTo;
      if (dest !== null) poolByName(state, dest);
      await ctx.tasks.run(taskMeta(host, 'cpu.poolDestroy', name), async (t) => {
        await xlStep(t, transport, cpupoolDestroyArgv(name), `destroy cpupool ${name}`);
        if (dest !== null) {
          for (const cpu of pool.cpus) await xlStep(t, transport, cpupoolCpuAddArgv(dest, cpu), `give CPU ${cpu} to ${dest}`);
        }
      });
      return null;
    },

    async 'cpu.poolMoveCpu'({ hostId, cpu, to }) {
      const { host, transport } = transportOf(ctx, hostId);
      const state = await readCpuState(transport);
      if (!state.info.cpuTopology.some((c) => c.cpu === cpu)) throw invalid(`This host has no CPU ${cpu}.`);
      const from = state.pools.find((p) => p.cpus.includes(cpu)) ?? null;
      if (to !== null) poolByName(state, to);
      if ((from?.name ?? null) === to) throw invalid(to ? `CPU ${cpu} is in ${to} already.` : `CPU ${cpu} is in no pool already.`);
      if (from && from.cpus.length === 1 && from.domainCount > 0) {
        throw invalid(`CPU ${cpu} is the last CPU of ${from.name}, which has ${from.domainCount} domain(s); it must keep one.`);
      }
      await ctx.tasks.run(taskMeta(host, 'cpu.poolMoveCpu', `CPU ${cpu}`), async (t) => {
        if (from) await xlStep(t, transport, cpupoolCpuRemoveArgv(from.name, cpu), `take CPU ${cpu} out of ${from.name}`);
        if (to !== null) {
          try {
            await xlStep(t, transport, cpupoolCpuAddArgv(to, cpu), `add CPU ${cpu} to ${to}`);
          } catch (err) {
            if (from) await t.exec(transport, cpupoolCpuAddArgv(from.name, cpu));
            throw err;
          }
        }
      });
      return null;
    },
  };
}
