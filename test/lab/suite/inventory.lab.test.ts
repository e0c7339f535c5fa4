// End to end in Chromium against the lab host: add it, trust its key, see it live.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../e2e/browserApp';
import { createKitGuest, destroyGuest } from '../guests';
import { LabHost } from '../labHost';
import { submitAddLabHost } from '../ui';
import { imagePaths } from '../paths';

describe('lab: inventory', () => {
  let lab: LabHost;
  let app: BrowserApp;
  beforeAll(async () => {
    lab = await LabHost.connect();
    app = await startBrowserApp();
  });
  afterAll(async () => {
    await app?.close();
    await destroyGuest(lab, 'kit-pv');
    lab?.close();
  });

  it('lab: inventory — add the lab host, trust its key, and watch a guest made in a shell come and go', async () => {
    const { page } = app;
    const img = imagePaths();
    const expectedFp = execFileSync('ssh-keygen', ['-lf', img.hostKeyPub], { encoding: 'utf8' }).split(' ')[1];

    await submitAddLabHost(page, lab);

    // Unknown key: the fingerprint exactly as OpenSSH prints it, then trust.
    const keyDialog = page.getByRole('dialog', { name: /Is this really/ });
    await keyDialog.waitFor({ state: 'visible', timeout: 120_000 });
    expect(await keyDialog.textContent()).toContain(expectedFp);
    await keyDialog.getByRole('button', { name: 'Trust and connect' }).click();

    const table = page.getByRole('table', { name: 'Guests' });
    await table.getByRole('row', { name: /Domain-0/ }).waitFor({ state: 'visible', timeout: 180_000 });
    // The first listing shows before the live streams are open; "connected" follows.
    await page.getByRole('navigation', { name: 'Hosts' }).getByText('connected', { exact: true }).waitFor({ timeout: 120_000 });

    // A guest created from a shell on the host appears by itself (xenstore watch), and goes.
    const t0 = Date.now();
    await createKitGuest(lab, 'pv.cfg');
    const created = Date.now();
    await table.getByRole('row', { name: /kit-pv/ }).waitFor({ state: 'visible', timeout: 15_000 });
    console.log(`kit-pv appeared ${Date.now() - t0} ms after xl create started (xl create took ${created - t0} ms)`);
    await destroyGuest(lab, 'kit-pv');
    await table.getByRole('row', { name: /kit-pv/ }).waitFor({ state: 'detached', timeout: 15_000 });
  });
});
