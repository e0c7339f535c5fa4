// Takes the README's screenshot: Domus in browser mode, connected to the running lab with a kit
// guest up. `npx tsx test/e2e/screenshot.ts [out.png]`
import { LabHost } from '../lab/labHost';
import { submitAddLabHost } from '../lab/ui';
import { createKitGuest, destroyGuest } from '../lab/guests';
import { startBrowserApp } from './browserApp';

const out = process.argv[2] ?? 'assets/screenshot.png';
const lab = await LabHost.connect();
const app = await startBrowserApp();
try {
  await createKitGuest(lab, 'pv.cfg');
  await createKitGuest(lab, 'pvh.cfg');
  const { page } = app;
  await submitAddLabHost(page, lab, 'Xen lab');
  await page.getByRole('button', { name: 'Trust and connect' }).click({ timeout: 120_000 });
  await page.getByRole('table', { name: 'Guests' }).getByRole('row', { name: /kit-pvh/ }).waitFor({ timeout: 120_000 });
  await page.waitForTimeout(3000);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await app.close();
  await destroyGuest(lab, 'kit-pv');
  await destroyGuest(lab, 'kit-pvh');
  lab.close();
}
