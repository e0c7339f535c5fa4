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
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { EventBus } from '../electron/api/dispatcher';
import { DomusError } from '../electron/api/errors';
import type { Guest } from '../electron/api/guests';
import type { Backend } from '../electron/api/methods';
import { diffGuests } from '../electron/drivers/xl/guestModel';
import { startServer } from '../electron/serve';
import type { Page } from 'playwright-core';
import { ensureRendererBuilt, launchChromium } from '../test/e2e/browserApp';
import type { Figures } from './inventory';
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

// Standalone: `npx tsx bench/renderer.ts` (renderer figures only, no lab).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  benchRenderer(console.log).then((f) => console.log(JSON.stringify(f, null, 2)), (e) => { console.error(e); process.exit(1); });
}
