// The guest table with 1,000 guests in real Chromium (browser mode, the real contract and
// WebSocket, a synthetic backend — no lab): only the rows in view are in the DOM, the table still
// says it has 1,000, a guest far down can be scrolled to, selected (mouse and keyboard) and its
// action menu opened; sorting, filtering and live updates work on the whole list.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../electron/api/dispatcher';
import { guest, syntheticBackend } from '../../../bench/renderer';
import { openRendererWith } from '../../e2e/browserApp';

const N = 1000;

describe('guest table with 1,000 guests (Chromium)', () => {
  let page: Page;
  let app: Awaited<ReturnType<typeof openRendererWith>> | undefined;
  const bus = new EventBus();
  let cpu = 1;
  const all = () => Array.from({ length: N }, (_, i) => guest(i, cpu));

  beforeAll(async () => {
    app = await openRendererWith(syntheticBackend(all), bus);
    page = app.page;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('renders only the rows in view, scrolls to a guest far down, selects it and opens its menu', { timeout: 120_000 }, async () => {
    const table = page.getByRole('table', { name: 'Guests' });
    await table.getByRole('row', { name: /g-0000/ }).waitFor({ timeout: 60_000 });
    expect(await table.getAttribute('aria-rowcount')).toBe(String(N + 1));
    const inDom = await page.locator('tr[data-guest-id]').count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(100);
    expect(await table.getByRole('row', { name: /g-0990/ }).count()).toBe(0);

    // Scroll to the end: the last guests are rows now, with their place among all rows.
    await page.locator('.domus-guests-scroll').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    const far = table.getByRole('row', { name: /g-0990/ });
    await far.waitFor({ timeout: 10_000 });
    expect(await far.getAttribute('aria-rowindex')).toBe(String(990 + 2));
    expect(await table.getByRole('row', { name: /g-0000/ }).count()).toBe(0);

    // Select with the mouse, and another with the keyboard.
    await table.getByRole('checkbox', { name: 'Select g-0990' }).click();
    await page.getByText('· 1 selected').waitFor();
    const kb = table.getByRole('checkbox', { name: 'Select g-0987' });
    await kb.focus();
    await page.keyboard.press('Space');
    await page.getByText('· 2 selected').waitFor();
    expect(await kb.isChecked()).toBe(true);
    // The bulk actions act on both (buttons name their count).
    await page.getByRole('button', { name: /Pause.*2/ }).waitFor();

    // The row's action menu: one menu, opened next to this row's toggle, closed by Escape; then
    // the same menu opens at another row.
    const menu = page.getByRole('menu');
    for (const name of ['g-0990', 'g-0987']) {
      const toggle = table.getByRole('button', { name: `Actions for ${name}` });
      await toggle.click();
      await menu.getByRole('menuitem', { name: 'Pause' }).waitFor();
      expect(await menu.count()).toBe(1);
      expect(await page.locator('.pf-v6-c-menu:visible').getAttribute('aria-label')).toBe(`Actions for ${name}`);
      const [tb, mb] = [await toggle.boundingBox(), await menu.boundingBox()];
      expect(Math.abs(mb!.y - (tb!.y + tb!.height))).toBeLessThan(40);
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden' });
    }

    // A live update reaches the rows in view.
    cpu = 42;
    bus.emit('guests.changed', { hostId: 'benchhost', upserted: all().filter((g) => g.domid !== null), removed: [], reset: false });
    await far.getByText('42%').waitFor({ timeout: 10_000 });

    // Sorting and filtering act on all 1,000, not on the rendered rows.
    await page.locator('.domus-guests-scroll').evaluate((el) => {
      el.scrollTop = 0;
    });
    await table.getByRole('button', { name: 'Name' }).click(); // descending
    await table.getByRole('row', { name: /g-0999/ }).waitFor();
    expect(await page.locator('tr[data-guest-id]').first().getAttribute('data-guest-id')).toBe(guest(N - 1, 0).id);
    await page.getByRole('textbox', { name: 'Filter guests by name' }).fill('g-09');
    await page.getByText('100 of 1,000 guests').waitFor();
    expect(await table.getAttribute('aria-rowcount')).toBe('101');
    // The selection survives sorting and filtering (it is by guest).
    expect(await table.getByRole('checkbox', { name: 'Select g-0990' }).isChecked()).toBe(true);
  });
});
