// The renderer with a large inventory, in Chromium: a synthetic host with 1,000 guests served
// through the real contract (browser-mode server, WebSocket, zod validation, the store, React).
// - renderer.first_render_1000_ms: page load until all 1,000 rows are in the table;
// - renderer.update_1000_ms: one live update (a guests.changed delta in which every running
//   guest's CPU % changed, as a xentop tick does) from the backend's emit until the table shows it.
// And monitoring.idle_dom0_cpu_pct on the lab: the CPU that Domus's monitoring costs dom0 while
// nothing happens — the processes it keeps running there (xentop -b -d 1, the xenstore watches),
// measured from /proc over a minute, as a percentage of one core.
import path from 'node:path';
import { EventBus } from '../electron/api/dispatcher';
import { DomusError } from '../electron/api/errors';
import type { Guest } from '../electron/api/guests';
import type { Backend } from '../electron/api/methods';
import { XlDriver } from '../electron/drivers/xl/driver';
import { startServer } from '../electron/serve';
import { ShellPool } from '../electron/transport/shellPool';
import { ensureRendererBuilt, launchChromium } from '../test/e2e/browserApp';
import type { LabHost } from '../test/lab/labHost';
import type { Figures } from './inventory';
import { connectDomus } from './labConnection';
import { median } from './stats';

const N = 1000;
const UPDATES = Number(process.env.BENCH_RUNS ?? 15);
const HOST = 'benchhost';

function guest(i: number, cpu: number): Guest {
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
function syntheticBackend(guests: () => Guest[]): Backend {
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

export async function benchRenderer(log: (s: string) => void): Promise<Figures> {
  ensureRendererBuilt();
  const bus = new EventBus();
  let cpu = 1;
  const all = () => Array.from({ length: N }, (_, i) => guest(i, cpu));
  const server = await startServer({ backend: syntheticBackend(all), bus, staticDir: path.resolve('out/renderer'), host: '127.0.0.1' });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 } })).newPage();
    const t0 = Date.now();
    await page.goto(server.url);
    await page.locator(`tr[data-guest-id="${guest(N - 2, 0).id}"]`).waitFor({ state: 'attached', timeout: 120_000 });
    const rows = await page.locator('tr[data-guest-id]').count();
    const firstRender = Date.now() - t0;
    if (rows !== N) throw new Error(`expected ${N} rows, found ${rows}`);

    const runs: number[] = [];
    for (let k = 0; k < UPDATES; k++) {
      cpu = 2 + k;
      const want = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(cpu / 100);
      // The last running row's CPU cell: in the page, note the wall clock when it shows the new value.
      // A plain-text function: tsx's helpers (__name) do not exist in the page.
      const seen = page.evaluate(`new Promise((resolve) => {
        const row = () => document.querySelector('tr[data-guest-id="${guest(N - 2, 0).id}"]');
        const obs = new MutationObserver(() => {
          if (row() && row().textContent.includes(${JSON.stringify(want)})) { obs.disconnect(); resolve(Date.now()); }
        });
        obs.observe(document.querySelector('tbody'), { subtree: true, childList: true, characterData: true });
      })`) as Promise<number>;
      await new Promise((r) => setTimeout(r, 150));
      const sent = Date.now();
      bus.emit('guests.changed', { hostId: HOST, upserted: all().filter((g) => g.domid !== null), removed: [], reset: false });
      runs.push((await seen) - sent);
    }
    log(`renderer: first render ${firstRender} ms; updates ${runs.join(' ')} ms`);
    return {
      'renderer.first_render_1000_ms': { value: firstRender, unit: 'ms' },
      'renderer.update_1000_ms': { value: median(runs), unit: 'ms', changed_guests: all().filter((g) => g.domid !== null).length },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

const CPU_TICKS = `getconf CLK_TCK; for p in $(pgrep -f '^xentop -b -d 1|^xenstore-watch'); do echo "$p $(cut -d' ' -f14,15 /proc/$p/stat)"; done`;

export async function benchIdleMonitoring(lab: LabHost, log: (s: string) => void, seconds = 60): Promise<Figures> {
  const ssh = await connectDomus(lab.state);
  const pool = new ShellPool(ssh, { size: 3 });
  const before = new Set((await lab.run(['pgrep', '-f', '^xentop -b -d 1|^xenstore-watch'])).stdout.split('\n').filter(Boolean));
  const driver = new XlDriver(pool);
  driver.on('failed', () => undefined);
  try {
    await driver.start();
    await new Promise((r) => setTimeout(r, 3000));
    const sample = async () => {
      const out = (await lab.ok(['bash', '-c', CPU_TICKS])).trim().split('\n');
      const hz = Number(out[0]);
      const ticks = new Map<string, number>();
      for (const l of out.slice(1)) {
        const [pid, u, s] = l.split(' ');
        if (!before.has(pid)) ticks.set(pid, Number(u) + Number(s));
      }
      return { hz, ticks, at: Date.now() };
    };
    const a = await sample();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const b = await sample();
    let used = 0;
    for (const [pid, t] of b.ticks) used += t - (a.ticks.get(pid) ?? t);
    const pct = ((used / b.hz) / ((b.at - a.at) / 1000)) * 100;
    log(`monitoring: ${b.ticks.size} processes of Domus in dom0 used ${used} ticks (${b.hz}/s) in ${Math.round((b.at - a.at) / 1000)} s`);
    return { 'monitoring.idle_dom0_cpu_pct': { value: pct, unit: '%', processes: b.ticks.size } };
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
