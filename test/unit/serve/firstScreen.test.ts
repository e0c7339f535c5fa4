// In real Chromium (browser mode, a synthetic backend): what a new admin sees first. The guest
// table owns the host page (its first row on screen without scrolling, even at 1024×700), no
// column header is cut to "N…", the graphs' axis labels stay inside their charts, and Domain-0's
// row says how many vCPUs it has.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Guest } from '../../../electron/api/guests';
import type { HostSeries } from '../../../electron/api/lifecycle';
import type { Backend } from '../../../electron/api/methods';
import type { PciInventory } from '../../../electron/api/pci';
import { parseLspciDnnmm } from '../../../electron/drivers/xl/parse';
import { labFixture } from '../../fixtures/lab';
import { guest, syntheticBackend } from '../../../bench/renderer';
import { openRendererWith } from '../../e2e/browserApp';

const dom0: Guest = {
  ...guest(0, 0),
  id: 'uuid:00000000-0000-0000-0000-000000000000',
  name: 'Domain-0',
  domid: 0,
  isControlDomain: true,
  vcpus: 1,
  cpuPercent: 97.5,
  memoryMiB: 1024,
};

/** A minute of a large host's figures: wide numbers on every axis (MiB in the hundred thousands). */
function hostSeries(): HostSeries {
  const now = Date.now();
  const t = Array.from({ length: 60 }, (_, i) => Math.round(now / 1000) - 60 + i);
  return {
    t,
    cpuPercent: t.map((_, i) => 3000 + 40 * i),
    usedMiB: t.map((_, i) => 524_288 + 1000 * i),
    totalMiB: 1_048_576,
    nrCpus: 64,
    pcpuT: t,
    pcpuPercent: [0, 1, 2, 3].map((c) => t.map((_, i) => (i * 7 + c * 13) % 100)),
  };
}

/** The lab's PCI devices as lspci printed them (QEMU's VGA has no names in pci.ids). */
function pciInventory(): PciInventory {
  const devices = parseLspciDnnmm(labFixture('lspci-Dnnmm').stdout).map((d) => ({
    bdf: d.bdf, className: d.className, classId: d.classId, vendorName: d.vendorName, vendorId: d.vendorId,
    deviceName: d.deviceName, deviceId: d.deviceId, driver: null, functions: [], bridges: [], assignable: false,
    isBridge: (d.classId ?? '').startsWith('06'), dom0Needs: [], runningIn: [], configuredIn: [],
  }));
  return { availability: { available: true, pv: true, hvm: true, reason: null, virtCaps: [] }, devices, guests: [], clientAddress: null, warnings: [] };
}

describe('the first screen (Chromium)', () => {
  let page: Page;
  let app: Awaited<ReturnType<typeof openRendererWith>> | undefined;

  beforeAll(async () => {
    const base = syntheticBackend(() => [dom0, ...Array.from({ length: 40 }, (_, i) => guest(i + 1, 12.5))]);
    const backend = new Proxy(base, {
      get: (t, k: string) => {
        if (k === 'hosts.watchLive') return async () => ({ leaseMs: 45_000 });
        if (k === 'metrics.host') return async () => hostSeries();
        if (k === 'pci.list') return async () => pciInventory();
        return t[k as keyof Backend];
      },
    });
    app = await openRendererWith(backend);
    page = app.page;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const guestsTable = () => page.getByRole('table', { name: 'Guests' });
  const firstRow = () => guestsTable().locator('tbody tr[data-guest-id]').first();

  for (const [width, height] of [[1024, 700], [1920, 1080]] as const) {
    it(`shows the first guest without scrolling at ${width}×${height}`, { timeout: 90_000 }, async () => {
      await page.setViewportSize({ width, height });
      await page.getByRole('tab', { name: 'Guests' }).click();
      await firstRow().waitFor({ timeout: 60_000 });
      // Nothing scrolled: the row is where the page first put it.
      const scrolled = await page.evaluate(`[document.scrollingElement, ...document.querySelectorAll('.pf-v6-c-page__main-container, .pf-v6-c-page__main')].some((e) => e && e.scrollTop > 0)`);
      expect(scrolled).toBe(false);
      const box = await firstRow().boundingBox();
      expect(box).not.toBeNull();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height).toBeLessThanOrEqual(height);
    });
  }

  it("opens the host's facts on demand and closes them again", { timeout: 90_000 }, async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
    const facts = page.getByLabel('Host facts', { exact: true });
    expect(await facts.count()).toBe(0);
    await page.getByRole('button', { name: 'Details' }).click();
    await facts.waitFor({ timeout: 30_000 });
    expect(await facts.textContent()).toContain('credit2');
    await page.getByRole('button', { name: 'Hide details' }).click();
    await facts.waitFor({ state: 'detached', timeout: 30_000 });
  });

  for (const width of [1024, 1400]) {
    it(`cuts no column header of the guest table at ${width} px`, { timeout: 90_000 }, async () => {
      await page.setViewportSize({ width, height: 800 });
      await page.getByRole('tab', { name: 'Guests' }).click();
      await firstRow().waitFor({ timeout: 60_000 });
      // Every element in a header cell whose text does not fit (the ellipsis shows).
      const cut = (await guestsTable().evaluate((table) =>
        [...table.querySelectorAll('thead th, thead th *')]
          .filter((e) => e.scrollWidth > e.clientWidth + 1 && e.textContent?.trim())
          .map((e) => `${e.textContent?.trim()} (${e.clientWidth} of ${e.scrollWidth} px)`),
      )) as string[];
      expect(cut).toEqual([]);
    });
  }

  it('keeps every axis label of the host graphs inside its chart', { timeout: 90_000 }, async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByRole('tab', { name: 'Graphs' }).click();
    const charts = page.locator('.domus-chart canvas');
    await charts.nth(2).waitFor({ timeout: 60_000 });
    // uPlot draws the labels on a canvas: a label too wide for its axis leaves ink in the canvas's
    // outermost columns (cut at the edge). The plot area (lines, grid) never reaches them.
    const inkAtEdges = (await charts.evaluateAll((canvases) =>
      (canvases as HTMLCanvasElement[]).map((c) => {
        const ctx = c.getContext('2d');
        if (!ctx) return -1;
        let ink = 0;
        for (const x of [0, 1, c.width - 2, c.width - 1]) {
          const px = ctx.getImageData(x, 0, 1, c.height).data;
          for (let i = 3; i < px.length; i += 4) if (px[i] > 0) ink++;
        }
        return ink;
      }),
    )) as number[];
    expect(inkAtEdges.length).toBeGreaterThanOrEqual(3);
    expect(inkAtEdges).toEqual(inkAtEdges.map(() => 0));
    await page.getByRole('tab', { name: 'Guests' }).click();
  });

  it("shows Domain-0's vCPUs and a CPU figure that says what 100 % is", { timeout: 90_000 }, async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
    const row = guestsTable().locator(`tr[data-guest-id="${dom0.id}"]`);
    await row.waitFor({ timeout: 60_000 });
    await expect.poll(() => row.locator('td[data-label="vCPUs"]').textContent()).toBe('1');
    const cpu = row.locator('td[data-label="CPU %"]');
    expect(await cpu.textContent()).toBe('97.5%');
    expect(await cpu.getAttribute('title')).toBe('97.5% of one vCPU; it has 1 vCPU');
    const header = guestsTable().getByRole('columnheader', { name: 'CPU %' });
    expect(await header.getAttribute('title')).toBe('CPU time used, where 100 % is one vCPU busy all the time');
  });

  it("names a PCI device pci.ids does not know by its ids, not by lspci's placeholder", { timeout: 90_000 }, async () => {
    await page.getByRole('tab', { name: 'PCI devices' }).click();
    const vga = page.getByRole('table', { name: 'PCI devices' }).getByRole('row', { name: '0000:00:01.0' });
    await vga.waitFor({ timeout: 60_000 });
    const cells = (await vga.getByRole('cell').allTextContents()).slice(0, 4);
    expect(cells).toEqual(['0000:00:01.0', 'VGA compatible controller', '1234', '1234:1111']);
    const nic = page.getByRole('table', { name: 'PCI devices' }).getByRole('row', { name: '0000:00:05.0' });
    expect((await nic.getByRole('cell').allTextContents()).slice(2, 4)).toEqual(['Intel Corporation', '82540EM Gigabit Ethernet Controller']);
    await page.getByRole('tab', { name: 'Guests' }).click();
  });
});
