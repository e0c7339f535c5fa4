// monitoring.idle_dom0_cpu_pct: what Domus's monitoring costs dom0 while nothing happens.
// Everything Domus keeps running there hangs under the sshd session of its one SSH connection:
// sshd itself (it encrypts and forwards every byte of the streams), the monitor stream (or
// xentop), the xenstore-watch shell and its children, the pool's shells. The figure is the CPU
// time of that whole process tree (utime+stime of each process, plus cutime+cstime, which holds
// what its children used that have exited) over windows of 30 s, as a percentage of one core:
// while nothing on screen shows live figures (the goal's figure; the monitor samples every
// LIVE_IDLE_SECONDS) and, beside it, while a window does (once a second). The measuring commands
// run over the lab helper's own, separate connection, so they are not counted.
import { XlDriver } from '../electron/drivers/xl/driver';
import { LIVE_IDLE_SECONDS } from '../electron/drivers/xl/monitor';
import { ShellPool } from '../electron/transport/shellPool';
import type { LabHost } from '../test/lab/labHost';
import { fromSamples, type Figures } from './figures';
import { connectDomus } from './labConnection';
import { median } from './stats';

const WINDOWS = 3;

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
}

/** Every process in dom0 from /proc/<pid>/stat, and the clock ticks per second. */
async function procTable(lab: LabHost): Promise<{ hz: number; procs: Map<number, ProcStat>; cmd: Map<number, string> }> {
  // Few processes: every fork costs dom0 tens of ms under the lab's emulation.
  const out = await lab.ok(['bash', '-c', 'getconf CLK_TCK; cat /proc/[0-9]*/stat 2>/dev/null; echo ---; ps -eo pid=,args=; true']);
  const [head, psOut = ''] = out.split('\n---\n');
  const [hzLine, ...lines] = head.trim().split('\n');
  const procs = new Map<number, ProcStat>();
  const cmd = new Map<number, string>();
  for (const line of lines) {
    // pid (comm) state ppid ... utime(14) stime(15) cutime(16) cstime(17); comm may hold spaces.
    const open = line.indexOf('(');
    const close = line.lastIndexOf(')');
    if (open < 0 || close < 0) continue;
    const f = line.slice(close + 2).split(' ');
    const pid = Number(line.slice(0, open));
    procs.set(pid, { pid, ppid: Number(f[1]), comm: line.slice(open + 1, close), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
  }
  for (const line of psOut.split('\n')) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (m) cmd.set(Number(m[1]), m[2].slice(0, 80));
  }
  return { hz: Number(hzLine), procs, cmd };
}

/** root and all its descendants. */
function subtree(procs: Map<number, ProcStat>, root: number): ProcStat[] {
  const kids = new Map<number, number[]>();
  for (const p of procs.values()) kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p.pid]);
  const out: ProcStat[] = [];
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    const p = procs.get(pid);
    if (!p) continue;
    out.push(p);
    todo.push(...(kids.get(pid) ?? []));
  }
  return out;
}

/** The monitor script (its command line starts with the script's first line), or xentop. */
const MONITOR_PROCESS = /python3 -c import ctypes|xentop -b -d 1/;

export async function benchIdleMonitoring(lab: LabHost, log: (s: string) => void, seconds = 30): Promise<Figures> {
  const before = await procTable(lab);
  const ssh = await connectDomus(lab.state);
  const pool = new ShellPool(ssh, { size: 3 });
  // Commands the driver runs meanwhile: a re-list (xl list, xl list -l, the config index, xl
  // info) follows every domain event, and on the shared lab other people's tests make those.
  let commands = 0;
  const exec = pool.exec.bind(pool);
  pool.exec = (argv, o) => {
    commands++;
    return exec(argv, o);
  };
  const driver = new XlDriver(pool);
  driver.on('failed', () => undefined);
  try {
    await driver.start();
    // Past the streams' start-up (python3 loading libxenctrl takes seconds under emulation).
    await new Promise((r) => setTimeout(r, 20_000));
    // Domus's session: an sshd process that is new since we connected and has our monitor under it.
    // (Other clients of the shared lab may connect meanwhile: refuse to guess between two.)
    const findRoots = (t: Awaited<ReturnType<typeof procTable>>) =>
      [...t.procs.values()].filter(
        (p) => !before.procs.has(p.pid) && p.comm === 'sshd' && before.procs.has(p.ppid) &&
          subtree(t.procs, p.pid).some((q) => !before.procs.has(q.pid) && MONITOR_PROCESS.test(t.cmd.get(q.pid) ?? '')),
      );
    const a = await procTable(lab);
    const roots = findRoots(a);
    if (roots.length !== 1) throw new Error(`expected one new sshd session serving Domus, found ${roots.length}`);
    const root = roots[0].pid;
    /** One window: the tree's CPU % without the pool's commands, and with them. */
    const window = async (label: string, secs: number): Promise<{ streams: number; all: number; commands: number }> => {
      const a = await procTable(lab);
      const t0 = Date.now();
      const commandsBefore = commands;
      await new Promise((r) => setTimeout(r, secs * 1000));
      const b = await procTable(lab);
      const took = (Date.now() - t0) / 1000;
      const treeA = new Map(subtree(a.procs, root).map((p) => [p.pid, p]));
      const treeB = subtree(b.procs, root);
      let used = 0;
      let poolTicks = 0;
      const byCmd = new Map<string, number>();
      for (const p of treeB) {
        const d = p.ticks - (treeA.get(p.pid)?.ticks ?? 0);
        used += d;
        const name = (b.cmd.get(p.pid) || p.comm).slice(0, 40);
        byCmd.set(name, (byCmd.get(name) ?? 0) + d);
        // The pool's worker shells are plain `sh`; their children are the commands (reaped into
        // the shell's cutime/cstime).
        if (b.cmd.get(p.pid) === 'sh') poolTicks += d;
      }
      // A process of the tree that ended in between: its time is now in its parent's cutime/cstime.
      for (const [pid, p] of treeA) if (!b.procs.has(pid)) used -= p.ticks;
      const pct = (ticks: number) => ((ticks / b.hz) / took) * 100;
      const breakdown = [...byCmd].sort((x, y) => y[1] - x[1]).filter(([, v]) => v > 0).map(([k, v]) => `${k}: ${v}`).join('; ');
      log(
        `monitoring (${label}): ${used} ticks (${b.hz}/s) in ${took.toFixed(0)} s = ${pct(used).toFixed(2)} % of one core; ` +
          `the live streams alone ${pct(used - poolTicks).toFixed(2)} %, commands ${pct(poolTicks).toFixed(2)} % for ${commands - commandsBefore} commands [${breakdown}]`,
      );
      return { streams: pct(used - poolTicks), all: pct(used), commands: commands - commandsBefore };
    };
    // Nothing on screen shows live figures (the monitor samples every LIVE_IDLE_SECONDS): the goal's figure.
    const idle: Awaited<ReturnType<typeof window>>[] = [];
    for (let i = 0; i < WINDOWS; i++) idle.push(await window(`nobody watching ${i + 1}/${WINDOWS}`, seconds));
    // A window shows the host's figures: once a second.
    driver.setWatched(true);
    await new Promise((r) => setTimeout(r, 3000));
    const watched: Awaited<ReturnType<typeof window>>[] = [];
    for (let i = 0; i < WINDOWS; i++) watched.push(await window(`watched ${i + 1}/${WINDOWS}`, seconds));
    // The figure is the idle cost: the streams and sshd. Commands are what events cost; they are
    // reported beside it, since on the shared lab there is rarely a minute without an event.
    const f = fromSamples(idle.map((w) => w.streams), '%', {
      with_commands: median(idle.map((w) => w.all)),
      commands: idle.reduce((n, w) => n + w.commands, 0),
      seconds_each: seconds,
      sample_every_s: LIVE_IDLE_SECONDS,
    });
    return {
      'monitoring.idle_dom0_cpu_pct': { ...f, watched_pct: median(watched.map((w) => w.streams)) },
      'monitoring.watched_dom0_cpu_pct': fromSamples(watched.map((w) => w.streams), '%', { sample_every_s: 1 }),
    };
  } finally {
    driver.stop();
    pool.close();
    ssh.close();
  }
}

