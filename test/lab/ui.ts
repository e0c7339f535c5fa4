// The lab host in Domus's UI, the way a person adds it: the Add host dialog with the lab's key,
// then (when Domus does not know the host key yet) the trust dialog.
import type { Page } from 'playwright-core';
import type { LabHost } from './labHost';
import { imagePaths } from './paths';

/** Fills and submits the Add host dialog for the lab. */
export async function submitAddLabHost(page: Page, lab: LabHost, name = 'Lab'): Promise<void> {
  await page.getByRole('button', { name: 'Add host' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add host' });
  await dialog.getByLabel('Display name').fill(name);
  await dialog.getByLabel('Address').fill('127.0.0.1');
  await dialog.getByLabel('Port').fill(String(lab.state.port));
  await dialog.getByLabel('User').fill('root');
  await dialog.getByLabel('Private key file', { exact: true }).check();
  await dialog.getByLabel('Private key file path').fill(imagePaths().key);
  await dialog.getByRole('button', { name: 'Add and connect' }).click();
}

/** Adds the lab host, trusts its key if asked, and waits for Domain-0 in the guest table. */
export async function addLabHost(page: Page, lab: LabHost, opts: { keyKnown?: boolean } = {}): Promise<void> {
  await submitAddLabHost(page, lab);
  if (!opts.keyKnown) {
    const keyDialog = page.getByRole('dialog', { name: /Is this really/ });
    await keyDialog.waitFor({ state: 'visible', timeout: 120_000 });
    await keyDialog.getByRole('button', { name: 'Trust and connect' }).click();
  }
  await page.getByRole('table', { name: 'Guests' }).getByRole('row', { name: /Domain-0/ }).waitFor({ state: 'visible', timeout: 180_000 });
}
