// In real Chromium (browser mode, a stand-in backend with one connected host), by keyboard only:
// - every tab set moves with the arrow keys (WAI-ARIA tabs: Left/Right/Home/End move and select,
//   only the selected tab is in the Tab order);
// - `?` lists the shortcuts of the page it is pressed on (the host page's are not the guest page's);
// - a dialog keeps Tab inside it, and closing it puts focus back on what opened it.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRendererWith } from '../../e2e/browserApp';
import { a11yStandIn, STAND_IN_GUEST } from './standIn';

describe('keyboard use (Chromium)', () => {
  let page: Page;
  let app: Awaited<ReturnType<typeof openRendererWith>> | undefined;

  beforeAll(async () => {
    app = await openRendererWith(a11yStandIn());
    page = app.page;
    await page.getByRole('table', { name: 'Guests' }).getByRole('row', { name: new RegExp(STAND_IN_GUEST) }).waitFor({ timeout: 60_000 });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const hostTabs = () => page.getByRole('tablist', { name: 'Host views' });
  const guestTabs = () => page.getByRole('tablist', { name: 'Guest views' });
  /** The focused element's accessible role and name, as a user of a screen reader hears it. */
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { role: el?.getAttribute('role') ?? el?.tagName.toLowerCase() ?? '', name: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '', selected: el?.getAttribute('aria-selected') };
    });
  const selectedTab = async (list: Locator) => (await list.getByRole('tab', { selected: true }).innerText()).trim();
  const tabStops = (list: Locator) => list.getByRole('tab').evaluateAll((els) => els.filter((e) => e.getAttribute('tabindex') !== '-1').map((e) => e.textContent?.trim()));
  const closeDialog = async () => {
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 30_000 });
  };

  it('moves between the host page tabs with the arrow keys, Home and End', { timeout: 120_000 }, async () => {
    const tabs = hostTabs();
    await tabs.getByRole('tab', { name: 'Guests', exact: true }).focus();
    const names = (await tabs.getByRole('tab').allInnerTexts()).map((n) => n.trim());
    expect(names.slice(0, 2)).toEqual(['Guests', 'Consoles']);
    // One Tab stop for the whole set: the selected tab.
    expect(await tabStops(tabs)).toEqual(['Guests']);

    await page.keyboard.press('ArrowRight');
    expect(await focused()).toEqual({ role: 'tab', name: 'Consoles', selected: 'true' });
    expect(await selectedTab(tabs)).toBe('Consoles');
    expect(await tabStops(tabs)).toEqual(['Consoles']);

    await page.keyboard.press('End');
    expect(await focused()).toMatchObject({ role: 'tab', name: names.at(-1), selected: 'true' });
    await page.keyboard.press('ArrowRight'); // wraps to the first
    expect(await focused()).toMatchObject({ name: 'Guests', selected: 'true' });
    await page.keyboard.press('ArrowLeft'); // wraps to the last
    expect(await selectedTab(tabs)).toBe(names.at(-1));
    await page.keyboard.press('Home');
    expect(await focused()).toMatchObject({ name: 'Guests', selected: 'true' });
    await page.getByRole('table', { name: 'Guests' }).getByRole('row', { name: new RegExp(STAND_IN_GUEST) }).waitFor({ timeout: 30_000 });
  });

  it('lists the host page’s shortcuts on `?`, and returns focus to the tab it was pressed on', { timeout: 60_000 }, async () => {
    await hostTabs().getByRole('tab', { name: 'Guests', exact: true }).focus();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor({ timeout: 30_000 });
    const text = await help.innerText();
    expect(text).toContain('Filter the guests');
    expect(text).toContain('Connect the selected host');
    expect(text).toContain('Move between tabs');
    expect(text).not.toContain('Start the guest');
    await closeDialog();
    expect(await focused()).toMatchObject({ role: 'tab', name: 'Guests' });
  });

  it('keeps Tab inside every dialog of the host page and returns focus to the button that opened it', { timeout: 120_000 }, async () => {
    const openers: [string, RegExp][] = [
      ['Add host', /Add host/],
      ['Keyboard shortcuts', /Keyboard shortcuts/],
      ['Remove host', /Remove Synthetic/],
      ['Create guest', /Create/],
    ];
    for (const [button, dialogName] of openers) {
      const opener = page.getByRole('button', { name: button, exact: true }).first();
      await opener.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('dialog', { name: dialogName }).waitFor({ timeout: 30_000 });
      for (let i = 0; i < 25; i++) {
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]')), `${button}: Tab ${i + 1} left the dialog`).toBe(true);
      }
      await closeDialog();
      expect(await opener.evaluate((el) => el === document.activeElement), `${button}: focus not back on its button`).toBe(true);
    }
  });

  it('returns focus to a guest row’s menu after its confirmation closes', { timeout: 60_000 }, async () => {
    const toggle = page.getByRole('button', { name: `Actions for ${STAND_IN_GUEST}` });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Force off' }).click();
    await page.getByRole('dialog', { name: new RegExp(`Force off ${STAND_IN_GUEST}`) }).waitFor({ timeout: 30_000 });
    await closeDialog();
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('moves between a guest page’s tabs with the arrow keys and lists the guest keys on `?`', { timeout: 120_000 }, async () => {
    await page.getByRole('table', { name: 'Guests' }).getByRole('button', { name: `Open ${STAND_IN_GUEST}` }).click();
    const tabs = guestTabs();
    await tabs.getByRole('tab', { name: 'Overview', exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await focused()).toEqual({ role: 'tab', name: 'Graphs', selected: 'true' });
    expect(await tabStops(tabs)).toEqual(['Graphs']);
    await page.keyboard.press('Home');
    expect(await selectedTab(tabs)).toBe('Overview');

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor({ timeout: 30_000 });
    const text = await help.innerText();
    expect(text).toContain('Start the guest');
    expect(text).toContain('Force off the guest');
    expect(text).toContain('Move between tabs');
    expect(text).not.toContain('Filter the guests');
    await closeDialog();
    expect(await focused()).toMatchObject({ role: 'tab', name: 'Overview' });
  });
});
