// The renderer with a large inventory, in Chromium: a synthetic host with 1,000 guests served
// through the real contract (browser-mode server, WebSocket, the backend's zod check of every
// event, the store, React).
// - renderer.first_render_1000_ms: page load until the table holds all 1,000 guests (aria-rowcount)
//   and shows its first rows (the table is virtualised: only the rows in view are in the DOM).
//   The median of FIRST_RENDERS loads, each in a new tab of the signed-in browser (the tab takes
//   the page key from the address, as after sign-in; the one-time sign-in itself is timed beside);
// - renderer.initial_js_kb, renderer.initial_css_kb: the JavaScript and CSS the page had loaded
//   when the table showed (the files' sizes in out/renderer, not gzipped); renderer.total_js_kb:
//   all the renderer's JavaScript, the areas loaded when opened included;
// - renderer.update_1000_ms: one live update (a monitor sample in which every running guest's
//   CPU % changed, turned into events by the driver's own diffGuests: a guests.stats event) from
//   the backend's emit until the table shows it in the first row on screen; beside it the driver's
//   diff that precedes the emit, and the same change sent as whole guests (guests.changed), which
//   is what a change beyond the live fields costs;
// - renderer.scroll_end_1000_ms: scrolling the table to its end until the last guest's row is there.
// And monitoring.idle_dom0_cpu_pct on the lab: the CPU that Domus's monitoring costs dom0 while
// nothing happens (see benchIdleMonitoring).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { EventBus } from '../electron/api/dispatcher';
import { DomusError } from '../electron/api/errors';
import type { Guest } from '../electron/api/guests';
import type { Backend } from '../electron/api/methods';
import { XlDriver } from '../electron/drivers/xl/driver';
import { diffGuests } from '../electron/drivers/xl/guestModel';
import { startServer } from '../electron/serve';
import { ShellPool } from '../electron/transport/shellPool';
import type { Page } from 'playwright-core';
import { ensureRendererBuilt, launchChromium } from '../test/e2e/browserApp';
import type { LabHost } from '../test/lab/labHost';
import type { Figures } from './inventory';
import { connectDomus } from './labConnection';
import { median } from './stats';

const N = 1000;
const UPDATES = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 6;
const FIRST_RENDERS = 5;
const RENDERER_DIR = path.resolve('out/renderer');
const HOST = 'benchhost';

export function guest(i: number, cpu: number): Guest {
  return {
    id: `uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `g-${String(i).padStart(4, '0')}`,
    state: i % 10 === 9 ? 'shut off' : 'running',
    type: 'pv', domid: i % 10 === 9 ? null : i + 1, uuid: null, isControlDomain: false,
    vcpus: 1 + (i % 4), memoryMiB: 512, maxMemoryMiB: 1024,
    cpuPercent: i % 10 === 9 ? null : cpu, cpuSeconds: i, netTxKiB: 0, netRxKiB: 0, diskReads: 0, diskWrites: 0,
    disks: [], nics: [{ bridge: 'xenbr0', mac: '00:16:3e:00:00:01' }], pci: [], configPath: `/etc/xen/g-${i}.cfg`,
  };
}

/** A backend that knows one connected host with N guests; everything else is unsupported. */
export function syntheticBackend(guests: () => Guest[]): Backend {
  const known: Partial<Backend> = {
    'app.info': async () => ({ version: 'bench', mode: 'browser', localXen: false, startupProblems: [] }),
    'hosts.list': async () => [{ id: HOST, name: 'Synthetic', kind: 'ssh', address: '127.0.0.1', port: 22, user: 'root', authMethod: 'agent', sudo: false, state: 'connected' }],
    'host.info': async () => ({
      hostname: 'synthetic', xenVersion: '4.17', toolstack: 'xl', nrCpus: 64, totalMemoryMiB: 1048576, freeMemoryMiB: 524288,
      scheduler: 'credit2', capabilities: { pv: true, pvh: true, hvm: true, passthrough: false }, virtCaps: [], updatedAt: Date.now(),
    }),
    'guests.list': async () => guests(),
    'tasks.list': async () => [],
  };
  return new Proxy(known, {
    get: (t, k: string) => t[k as keyof Backend] ?? (async () => { throw new DomusError('unsupported', `${k} is not part of this benchmark.`); }),
  }) as Backend;
}

const kb = (bytes: number) => Math.round(bytes / 1024);

/** Bytes of the built renderer's files with this extension, all or only the named ones. */
function builtBytes(ext: string, only?: ReadonlySet<string>): number {
  let total = 0;
  for (const f of readdirSync(RENDERER_DIR, { recursive: true, encoding: 'utf8' })) {
    if (f.endsWith(ext) && (!only || only.has(f.split(path.sep).join('/')))) total += statSync(path.join(RENDERER_DIR, f)).size;
  }
  return total;
}

export async function benchRenderer(log: (s: string) => void): Promise<Figures> {
  ensureRendererBuilt();
  const bus = new EventBus();
  let cpu = 1;
  const all = () => Array.from({ length: N }, (_, i) => guest(i, cpu));
  const server = await startServer({ backend: syntheticBackend(all), bus, staticDir: RENDERER_DIR, host: '127.0.0.1' });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
    const tableShown = (p: Page) =>
      p.locator(`table[aria-rowcount="${N + 1}"] tr[data-guest-id="${guest(0, 0).id}"]`).waitFor({ state: 'attached', timeout: 120_000 });
    const load = async (url: string): Promise<{ page: Page; ms: number }> => {
      const p = await context.newPage();
      const t0 = Date.now();
      await p.goto(url);
      await tableShown(p);
      return { page: p, ms: Date.now() - t0 };
    };
    // Sign in once (the one-time link, a refresh to the page), then load the page in new tabs.
    const signIn = await load(server.url);
    const key = (await signIn.page.evaluate(`sessionStorage.getItem('domus.pageKey')`)) as string;
    await signIn.page.close();
    const firstRenders: number[] = [];
    let page: Page | undefined;
    let loadedFiles = new Set<string>();
    for (let k = 0; k < FIRST_RENDERS; k++) {
      await page?.close();
      const run = await load(`${new URL(server.url).origin}/#domus-key=${key}`);
      page = run.page;
      firstRenders.push(run.ms);
      // What the page had fetched of the build when the table showed.
      const urls = (await page.evaluate(`performance.getEntriesByType('resource').map((e) => e.name)`)) as string[];
      loadedFiles = new Set(urls.map((u) => new URL(u).pathname.slice(1)));
    }
    if (!page) throw new Error('no page loaded');
    const firstRender = median(firstRenders);
    const rendered = await page.locator('tr[data-guest-id]').count();
    const sizes = {
      initialJs: kb(builtBytes('.js', loadedFiles)),
      initialCss: kb(builtBytes('.css', loadedFiles)),
      totalJs: kb(builtBytes('.js')),
      totalCss: kb(builtBytes('.css')),
    };
    // The first running guest by name: the top row on screen.
    const watched = guest(0, 0).id;

    // One live update: the clock starts at the emit (validation, JSON, WebSocket, the page's
    // parse, the store, React) and stops when the watched row shows the new CPU %. The driver's
    // diff before it is timed on its own.
    let current = new Map(all().map((g) => [g.id, g]));
    const diffs: number[] = [];
    const asDriverSends = () => {
      const next = all();
      const d0 = performance.now();
      const d = diffGuests(current, next);
      diffs.push(performance.now() - d0);
      current = new Map(next.map((g) => [g.id, g]));
      return () => {
        if (d.upserted.length || d.removed.length) bus.emit('guests.changed', { hostId: HOST, upserted: d.upserted, removed: d.removed, reset: false });
        if (d.stats) bus.emit('guests.stats', { hostId: HOST, stats: d.stats });
      };
    };
    const asWholeGuests = () => {
      const next = all();
      const upserted = next.filter((g) => g.domid !== null);
      current = new Map(next.map((g) => [g.id, g]));
      return () => bus.emit('guests.changed', { hostId: HOST, upserted, removed: [], reset: false });
    };
    const measure = async (k: number, send: () => () => void): Promise<number> => {
      cpu = 2 + k;
      const want = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(cpu / 100);
      // The watched row's CPU cell: in the page, note the wall clock when it shows the new value
      // (timeOrigin + now in both processes: the same clock, to a fraction of a millisecond).
      // A plain-text function: tsx's helpers (__name) do not exist in the page.
      const seen = page.evaluate(`new Promise((resolve) => {
        const row = () => document.querySelector('tr[data-guest-id="${watched}"]');
        const obs = new MutationObserver(() => {
          if (row() && row().textContent.includes(${JSON.stringify(want)})) { obs.disconnect(); resolve(performance.timeOrigin + performance.now()); }
        });
        obs.observe(document.querySelector('tbody'), { subtree: true, childList: true, characterData: true });
      })`) as Promise<number>;
      await new Promise((r) => setTimeout(r, 150));
      const emit = send();
      const sent = performance.timeOrigin + performance.now();
      emit();
      return (await seen) - sent;
    };
    // A few updates of each kind first, not counted: the page's and the backend's code paths are
    // compiled by then, as they are a few seconds into any session.
    for (let k = 0; k < WARMUP; k++) await measure(k, k % 2 ? asWholeGuests : asDriverSends);
    diffs.length = 0;
    const runs: number[] = [];
    const wholeRuns: number[] = [];
    for (let k = WARMUP; k < WARMUP + UPDATES; k++) runs.push(await measure(k, asDriverSends));
    for (let k = WARMUP + UPDATES; k < WARMUP + 2 * UPDATES; k++) wholeRuns.push(await measure(k, asWholeGuests));
    // Scroll to the end: the last guest's row appears (the spacer rows kept the scroll height).
    const scrolls: number[] = [];
    for (let k = 0; k < 5; k++) {
      const ms = (await page.evaluate(`new Promise((resolve) => {
        const box = document.querySelector('.domus-guests-scroll');
        const want = 'tr[data-guest-id="${guest(N - 1, 0).id}"]';
        const first = 'tr[data-guest-id="${guest(0, 0).id}"]';
        const t0 = performance.now();
        const goal = ${k % 2 === 0} ? want : first;
        const obs = new MutationObserver(() => {
          if (document.querySelector(goal)) { obs.disconnect(); resolve(performance.now() - t0); }
        });
        obs.observe(document.querySelector('tbody'), { childList: true });
        box.scrollTop = ${k % 2 === 0} ? box.scrollHeight : 0;
      })`)) as number;
      scrolls.push(ms);
    }
    log(
      `renderer: first render ${firstRenders.join(' ')} ms (median ${firstRender}; sign-in and first load ${signIn.ms} ms; ${rendered} of ${N} rows in the DOM); ` +
        `JavaScript ${sizes.initialJs} kB before the first render of ${sizes.totalJs} kB, CSS ${sizes.initialCss} of ${sizes.totalCss} kB; updates ${runs.map((x) => x.toFixed(1)).join(' ')} ms; ` +
        `driver diff ${diffs.map((x) => x.toFixed(1)).join(' ')} ms; as whole guests ${wholeRuns.map((x) => x.toFixed(1)).join(' ')} ms; scrolls ${scrolls.map((x) => x.toFixed(1)).join(' ')} ms`,
    );
    return {
      'renderer.first_render_1000_ms': { value: firstRender, unit: 'ms', samples: firstRenders, with_sign_in_ms: signIn.ms, rows_in_dom: rendered },
      'renderer.initial_js_kb': { value: sizes.initialJs, unit: 'kB' },
      'renderer.initial_css_kb': { value: sizes.initialCss, unit: 'kB', total_css_kb: sizes.totalCss },
      'renderer.total_js_kb': { value: sizes.totalJs, unit: 'kB' },
      'renderer.update_1000_ms': {
        value: median(runs), unit: 'ms', changed_guests: all().filter((g) => g.domid !== null).length,
        driver_diff_ms: median(diffs), as_whole_guests_ms: median(wholeRuns),
      },
      'renderer.scroll_end_1000_ms': { value: median(scrolls), unit: 'ms' },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

// monitoring.idle_dom0_cpu_pct: what Domus's monitoring costs dom0 while nothing happens. Everything
// Domus keeps running there hangs under the sshd session of its one SSH connection: sshd itself
// (it encrypts and forwards every byte of the streams), the monitor stream (or xentop), the
// xenstore-watch shell and its children, the pool's shells. The figure is the CPU time of that whole process
// tree (utime+stime of each process, plus cutime+cstime, which holds what its children used
// that have exited) over an idle minute, as a percentage of one core. The measuring commands run
// over the lab helper's own, separate connection, so they are not counted.
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

export async function benchIdleMonitoring(lab: LabHost, log: (s: string) => void, seconds = 60): Promise<Figures> {
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
    const t0 = Date.now();
    const commandsBefore = commands;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const b = await procTable(lab);
    const relistCommands = commands - commandsBefore;
    const secs = (Date.now() - t0) / 1000;
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
    const pct = (ticks: number) => ((ticks / b.hz) / secs) * 100;
    const breakdown = [...byCmd].sort((x, y) => y[1] - x[1]).filter(([, v]) => v > 0).map(([k, v]) => `${k}: ${v}`).join('; ');
    log(
      `monitoring: Domus's sshd session tree in dom0 (${treeB.length} processes) used ${used} ticks (${b.hz}/s) in ${secs.toFixed(0)} s = ` +
        `${pct(used).toFixed(2)} % of one core; the live streams alone ${pct(used - poolTicks).toFixed(2)} %, commands run (re-lists after ` +
        `domain events on the shared lab) ${pct(poolTicks).toFixed(2)} % for ${relistCommands} commands [${breakdown}]`,
    );
    // The figure is the idle cost: the streams and sshd. Commands are what events cost; they are
    // reported beside it, since on the shared lab there is rarely a minute without an event.
    return {
      'monitoring.idle_dom0_cpu_pct': { value: pct(used - poolTicks), unit: '%', with_commands: pct(used), commands: relistCommands, seconds: secs },
    };
  } finally {
    driver.stop();
    pool.close();
    ssh.close();
  }
}

// Standalone: `npx tsx bench/renderer.ts` (renderer figures only, no lab).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  benchRenderer(console.log).then((f) => console.log(JSON.stringify(f, null, 2)), (e) => { console.error(e); process.exit(1); });
}
