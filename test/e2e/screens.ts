// Takes the screenshot set: every screen the accessibility test visits (test/unit/serve/a11y.test.ts)
// with the running lab's data — the host page and its tabs, the add-host and shortcuts dialogs,
// each step of the create wizard, a guest's page and its tabs — at 1024×700 and 1920×1080, as
// <screen>-<w>x<h>.png. Domus in browser mode adds the lab host and trusts its key; two kit guests
// (screen-pv with a config in /etc/xen, screen-pvh) run while it looks and are removed after.
//   npx tsx test/e2e/screens.ts [dir] [--size WxH]     (dir defaults to docs/screens/)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { LabHost } from '../lab/labHost';
import { submitAddLabHost } from '../lab/ui';
import { createKitGuest, destroyGuest, writeKitConfig } from '../lab/guests';
import { startBrowserApp } from './browserApp';

const HOST = 'Xen lab';
const PV = 'screen-pv';
const PVH = 'screen-pvh';

function parseArgs(argv: string[]): { dir: string; sizes: [number, number][] } {
  let dir = 'docs/screens';
  let sizes: [number, number][] = [[1024, 700], [1920, 1080]];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      console.log('Usage: npx tsx test/e2e/screens.ts [dir] [--size WxH]\nEvery screen of Domus against the running lab, at 1024x700 and 1920x1080 (or only --size), into dir (default docs/screens/).');
      process.exit(0);
    } else if (a === '--size') {
      const m = /^(\d+)x(\d+)$/.exec(argv[++i] ?? '');
      if (!m) throw new Error(`--size wants WIDTHxHEIGHT, such as 1024x700; got "${argv[i] ?? ''}".`);
      sizes = [[Number(m[1]), Number(m[2])]];
    } else if (a.startsWith('-')) throw new Error(`Unknown option ${a} (see --help).`);
    else dir = a;
  }
  return { dir, sizes };
}

const slug = (s: string) => s.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** The page has drawn what it loads: no spinner left, and the live figures have ticked. */
async function settled(page: Page) {
  await page.locator('.pf-v6-c-spinner').first().waitFor({ state: 'detached', timeout: 60_000 });
  await page.waitForTimeout(1500);
}

/** Back on the host page, on its Guests tab. */
async function toHostPage(page: Page) {
  const back = page.getByRole('button', { name: `Back to ${HOST}` });
  if (await back.isVisible()) await back.click();
  await page.getByRole('tablist', { name: 'Host views' }).getByRole('tab', { name: 'Guests', exact: true }).click();
  await page.getByRole('table', { name: 'Guests' }).getByRole('row', { name: new RegExp(PVH) }).waitFor({ timeout: 120_000 });
}

async function closeDialog(page: Page) {
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 30_000 });
}

/** Each screen: shot(name) saves the page as it is under that name. */
async function everyScreen(page: Page, shot: (name: string) => Promise<void>) {
  await toHostPage(page);
  const hostTabs = page.getByRole('tablist', { name: 'Host views' });
  for (const name of (await hostTabs.getByRole('tab').allInnerTexts()).map((n) => n.trim())) {
    await hostTabs.getByRole('tab', { name, exact: true }).click();
    await settled(page);
    await shot(`host-${slug(name)}`);
  }
  await toHostPage(page);

  // Below 1200 px the host list is folded away, and its Add host button with it: the N key.
  const add = page.getByRole('button', { name: 'Add host' }).first();
  if (await add.isVisible()) await add.click();
  else await page.keyboard.press('n');
  await page.getByRole('dialog', { name: 'Add host' }).waitFor({ timeout: 30_000 });
  await shot('add-host');
  await closeDialog(page);

  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ timeout: 30_000 });
  await shot('shortcuts');
  await closeDialog(page);

  await page.getByRole('button', { name: 'Create guest' }).click();
  const wizard = page.getByRole('dialog', { name: /create/i });
  await wizard.getByRole('textbox', { name: 'Name' }).fill('web-01');
  const next = wizard.getByRole('button', { name: 'Next', exact: true });
  for (let i = 1; i <= 12; i++) {
    const step = (await wizard.locator('.pf-v6-c-wizard__nav-link.pf-m-current').innerText()).trim();
    await settled(page);
    await shot(`create-${i}-${slug(step)}`);
    if (!(await next.isVisible())) break;
    const kernel = wizard.getByRole('textbox', { name: 'Kernel', exact: true });
    if ((await kernel.isVisible()) && !(await kernel.inputValue())) await kernel.fill('/root/kit/vmlinuz');
    await next.click({ timeout: 60_000 });
  }
  await closeDialog(page);

  await page.getByRole('table', { name: 'Guests' }).getByRole('button', { name: `Open ${PV}`, exact: true }).click();
  const guestTabs = page.getByRole('tablist', { name: 'Guest views' });
  await guestTabs.getByRole('tab').first().waitFor({ timeout: 30_000 });
  for (const name of (await guestTabs.getByRole('tab').allInnerTexts()).map((n) => n.trim())) {
    await guestTabs.getByRole('tab', { name, exact: true }).click();
    await settled(page);
    await shot(`guest-${slug(name)}`);
  }
  await toHostPage(page);
}

const { dir, sizes } = parseArgs(process.argv.slice(2));
mkdirSync(dir, { recursive: true });
const lab = await LabHost.connect();
const app = await startBrowserApp();
let config: string | null = null;
try {
  config = await writeKitConfig(lab, PV);
  await lab.ok(['xl', 'create', config], { timeoutMs: 180_000 });
  await createKitGuest(lab, 'pvh.cfg', [`name="${PVH}"`]);
  const { page } = app;
  await submitAddLabHost(page, lab, HOST);
  await page.getByRole('button', { name: 'Trust and connect' }).click({ timeout: 120_000 });
  for (const [w, h] of sizes) {
    await page.setViewportSize({ width: w, height: h });
    await everyScreen(page, async (name) => {
      const file = path.join(dir, `${name}-${w}x${h}.png`);
      await page.screenshot({ path: file });
      console.log(`wrote ${file}`);
    });
  }
} finally {
  await app.close();
  await destroyGuest(lab, PV);
  await destroyGuest(lab, PVH);
  if (config) await lab.run(['rm', '-f', config]);
  lab.close();
}
