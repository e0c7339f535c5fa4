// In real Chromium (browser mode, a stand-in backend with one connected host): axe-core checks
// every page and dialog a user reaches — the host list and host page with each of its tabs, the
// add-host dialog, a guest's page with each of its tabs, every step of the create wizard and the
// shortcuts help — and finds no serious or critical violation. A violation is printed in full
// (rule, help, the elements) so the failure says what to fix.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRendererWith } from '../../e2e/browserApp';
import { a11yStandIn, STAND_IN_GUEST } from './standIn';

async function seriousViolations(page: Page, where: string): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  if (process.env.A11Y_VERBOSE) console.log(where, r.passes.length, 'passed', r.violations.map((v) => `${v.id}:${v.impact}`).join(' '));
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary?.split('\n').join(' ')}`).join('\n')}`);
}

/** The page has drawn what it loads: no spinner left on screen. */
async function settled(page: Page) {
  await page.locator('.pf-v6-c-spinner').first().waitFor({ state: 'detached', timeout: 30_000 });
}

describe('no serious or critical accessibility violations on any page (Chromium, axe-core)', () => {
  let page: Page;
  let app: Awaited<ReturnType<typeof openRendererWith>> | undefined;
  const found: string[] = [];
  const check = async (where: string) => {
    const v = await seriousViolations(page, where);
    if (v.length) console.log(v.join('\n'));
    found.push(...v);
    return v;
  };

  beforeAll(async () => {
    app = await openRendererWith(a11yStandIn());
    page = app.page;
    await page.getByRole('table', { name: 'Guests' }).getByRole('row', { name: new RegExp(STAND_IN_GUEST) }).waitFor({ timeout: 60_000 });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  /** Clicks through every tab of the named tab list, checking each once it has drawn. */
  const eachTab = async (list: string, where: string) => {
    const tabs = page.getByRole('tablist', { name: list }).getByRole('tab');
    await tabs.first().waitFor({ timeout: 30_000 });
    const names = (await tabs.allInnerTexts()).map((n) => n.trim());
    expect(names.length).toBeGreaterThan(2);
    for (const name of names) {
      await page.getByRole('tablist', { name: list }).getByRole('tab', { name, exact: true }).click();
      await page.getByRole('tabpanel').first().waitFor({ timeout: 30_000 });
      await settled(page);
      await check(`${where}: ${name}`);
    }
    return names;
  };

  it('the host list and the host page, each tab', { timeout: 180_000 }, async () => {
    const names = await eachTab('Host views', 'host page');
    expect(names).toEqual(expect.arrayContaining(['Guests', 'Consoles', 'PCI devices']));
    await page.getByRole('tablist', { name: 'Host views' }).getByRole('tab', { name: 'Guests', exact: true }).click();
    expect(found).toEqual([]);
  });

  it('the task panel with a task in it', { timeout: 60_000 }, async () => {
    await page.getByRole('region', { name: 'Task log' }).first().waitFor({ timeout: 30_000 });
    expect(await check('task panel')).toEqual([]);
  });

  it('the add-host dialog', { timeout: 60_000 }, async () => {
    await page.getByRole('button', { name: 'Add host' }).first().click();
    await page.getByRole('dialog', { name: 'Add host' }).waitFor({ timeout: 30_000 });
    const v = await check('add-host dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 30_000 });
    expect(v).toEqual([]);
  });

  it('the shortcuts dialog', { timeout: 60_000 }, async () => {
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ timeout: 30_000 });
    const v = await check('shortcuts dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 30_000 });
    expect(v).toEqual([]);
  });

  it('the confirmations: removing the host, forcing a guest off', { timeout: 60_000 }, async () => {
    await page.getByRole('button', { name: 'Remove host' }).click();
    await page.getByRole('dialog', { name: /Remove Synthetic/ }).waitFor({ timeout: 30_000 });
    const v = await check('remove-host dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByRole('button', { name: `Actions for ${STAND_IN_GUEST}` }).click();
    await page.getByRole('menuitem', { name: 'Force off' }).click();
    await page.getByRole('dialog', { name: new RegExp(`Force off ${STAND_IN_GUEST}`) }).waitFor({ timeout: 30_000 });
    v.push(...(await check('force-off dialog')));
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 30_000 });
    expect(v).toEqual([]);
  });

  it('every step of the create wizard', { timeout: 180_000 }, async () => {
    await page.getByRole('button', { name: 'Create guest' }).click();
    const wizard = page.getByRole('dialog', { name: /create/i });
    await wizard.getByRole('textbox', { name: 'Name' }).fill('a11y-guest');
    const next = wizard.getByRole('button', { name: 'Next', exact: true });
    const before = found.length;
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      const step = (await wizard.locator('.pf-v6-c-wizard__nav-link.pf-m-current').innerText()).trim();
      seen.push(step);
      await settled(page);
      await check(`create wizard: ${step}`);
      if (!(await next.isVisible())) break;
      const kernel = wizard.getByRole('textbox', { name: 'Kernel', exact: true });
      if ((await kernel.isVisible()) && !(await kernel.inputValue())) await kernel.fill('/root/kit/vmlinuz');
      await next.click({ timeout: 30_000 });
    }
    // Every step of the wizard was shown, up to the review with its Create button.
    expect(seen.length).toBe(await wizard.locator('.pf-v6-c-wizard__nav-link').count());
    await wizard.getByRole('button', { name: 'Create', exact: true }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 30_000 });
    expect(found.slice(before)).toEqual([]);
  });

  it('the host page and a guest page in dark mode (the system setting)', { timeout: 180_000 }, async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    try {
      await page.locator('html.pf-v6-theme-dark').waitFor({ state: 'attached', timeout: 30_000 });
      const before = found.length;
      await eachTab('Host views', 'dark host page');
      await page.getByRole('tablist', { name: 'Host views' }).getByRole('tab', { name: 'Guests', exact: true }).click();
      await page.getByRole('table', { name: 'Guests' }).getByRole('button', { name: `Open ${STAND_IN_GUEST}` }).click();
      await eachTab('Guest views', 'dark guest page');
      await page.getByRole('button', { name: 'Back to Synthetic' }).click();
      expect(found.slice(before)).toEqual([]);
    } finally {
      await page.emulateMedia({ colorScheme: 'light' });
    }
  });

  it("a guest's page, each tab", { timeout: 180_000 }, async () => {
    await page.getByRole('table', { name: 'Guests' }).getByRole('button', { name: `Open ${STAND_IN_GUEST}` }).click();
    const before = found.length;
    const names = await eachTab('Guest views', 'guest page');
    expect(names).toEqual(expect.arrayContaining(['Overview', 'Graphs', 'Config']));
    // A shut-off guest's page has other actions (Start, Delete…).
    await page.getByRole('button', { name: 'Back to Synthetic' }).click();
    await page.getByRole('table', { name: 'Guests' }).getByRole('button', { name: 'Open g-0009' }).click();
    await page.getByRole('button', { name: 'Start g-0009' }).waitFor({ timeout: 30_000 });
    await settled(page);
    await check('guest page: shut off');
    expect(found.slice(before)).toEqual([]);
  });
});

describe('no serious or critical accessibility violations before the first host (Chromium, axe-core)', () => {
  it('the welcome page', { timeout: 120_000 }, async () => {
    const app = await openRendererWith(a11yStandIn({ 'hosts.list': async () => [] }));
    try {
      await app.page.getByRole('heading', { name: 'Welcome to Domus' }).waitFor({ timeout: 60_000 });
      expect(await seriousViolations(app.page, 'welcome page')).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
