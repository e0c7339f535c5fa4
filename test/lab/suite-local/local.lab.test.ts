// "This computer" end to end: Domus runs in the lab's dom0 itself (its bundle, the renderer and
// this machine's Node copied in), drives xl as child processes, and is used from Chromium here
// through an SSH port forward. As root: the inventory with live figures, pause/resume, the display
// card refused as the desktop's, a graphical console straight to dom0's loopback, a text console,
// and a stop that leaves no process behind.
// As a user without root: told the exact sudo rule, then working with it, and again no leftover.
// Guests are named lo-*; the user lo-admin and its sudo rule are removed afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createKitGuest, destroyGuest } from '../guests';
import { LabHost } from '../labHost';
import { installDomus, removeDomus, startLocalDomus, stillRunning, type LocalDomus } from '../localDomus';
import { installTap, waitForTail } from '../consoleTap';
import { until } from '../../support/wait';

const PV = 'lo-pv';
const HVM = 'lo-hvm';
const DISPLAY = '0000:00:01.0';
const USER = 'lo-admin';
const SUDOERS = '/etc/sudoers.d/lo-admin';

async function addThisComputer(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Add host' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add host' });
  await dialog.getByLabel('This computer').check({ timeout: 120_000 });
  await dialog.getByLabel('Display name').fill(name);
  await dialog.getByRole('button', { name: 'Add and connect' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

async function domainState(lab: LabHost, name: string): Promise<string> {
  const line = (await lab.ok(['xl', 'list', name])).split('\n')[1] ?? '';
  return line.trim().split(/\s+/)[4] ?? '';
}

/** Stops Domus and checks that nothing it started in dom0 is left (watches, monitor, consoles). */
async function stopLeavesNothing(lab: LabHost, domus: LocalDomus, expectInTree: RegExp[]): Promise<void> {
  const tree = await domus.processTree();
  for (const re of expectInTree) expect(tree.map((p) => p.args), `a process matching ${re} under Domus`).toContainEqual(expect.stringMatching(re));
  const { code } = await domus.stop();
  expect(code, domus.output().slice(-500)).toBe(0);
  const left = await until('every process Domus started gone', async () => ((await stillRunning(lab, tree)).length === 0 ? true : null), 20_000, 500).catch(
    async () => stillRunning(lab, tree),
  );
  expect(left, 'processes left in dom0 after Domus stopped').toBe(true);
}

describe('lab: local', () => {
  let lab: LabHost;
  beforeAll(async () => {
    lab = await LabHost.connect();
    await destroyGuest(lab, PV);
    await destroyGuest(lab, HVM);
    await installDomus(lab);
    await createKitGuest(lab, 'pv.cfg', [`name="${PV}"`]);
  }, 900_000);
  afterAll(async () => {
    if (!lab) return;
    await destroyGuest(lab, PV);
    await destroyGuest(lab, HVM);
    await lab.run(['rm', '-f', SUDOERS]);
    await lab.run(['userdel', '-r', USER]);
    await removeDomus(lab);
    lab.close();
  }, 300_000);

  describe('as root', () => {
    let domus: LocalDomus;
    beforeAll(async () => {
      domus = await startLocalDomus(lab, 'root');
    }, 300_000);
    afterAll(async () => {
      await domus?.close();
    }, 120_000);

    it('lab: local — this computer is offered in dom0; its inventory shows dom0 and a guest with live figures', async () => {
      const { page } = domus;
      await addThisComputer(page, 'Here');
      const table = page.getByRole('table', { name: 'Guests' });
      await table.getByRole('row', { name: /Domain-0/ }).waitFor({ state: 'visible', timeout: 180_000 });
      await table.getByRole('row', { name: new RegExp(PV) }).waitFor({ state: 'visible', timeout: 60_000 });
      await page.getByRole('navigation', { name: 'Hosts' }).getByText('connected', { exact: true }).waitFor({ timeout: 120_000 });
      // The monitor's CPU figure for dom0 arrives as a live sample.
      await until('a CPU figure for Domain-0', async () => /\d %|\d\.\d+ ?%|\d+%/.test((await table.getByRole('row', { name: /Domain-0/ }).textContent()) ?? ''), 120_000);
    }, 400_000);

    it('lab: local — pause and resume a guest through the UI', async () => {
      const { page } = domus;
      await page.getByRole('table', { name: 'Guests' }).getByRole('button', { name: `Open ${PV}` }).click();
      const region = page.getByRole('region', { name: `Guest ${PV}` });
      await region.getByRole('button', { name: `Pause ${PV}` }).click({ timeout: 60_000 });
      await until('lo-pv paused in xl list', async () => (await domainState(lab, PV)).includes('p'), 60_000);
      await region.getByRole('button', { name: `Resume ${PV}` }).click({ timeout: 60_000 });
      await until('lo-pv running again in xl list', async () => !(await domainState(lab, PV)).includes('p'), 60_000);
      await region.getByRole('button', { name: `Pause ${PV}` }).waitFor({ timeout: 60_000 });
      await region.getByRole('button', { name: 'Back to Here' }).click();
    }, 300_000);

    it('lab: local — the display card is refused as the desktop\'s', async () => {
      const { page } = domus;
      const hostTabs = page.locator('[aria-label="Host views"]');
      await hostTabs.getByRole('tab', { name: 'PCI devices' }).click();
      const devices = page.getByRole('table', { name: 'PCI devices' });
      const row = devices.getByRole('row', { name: DISPLAY });
      await row.getByLabel(`${DISPLAY} is needed by dom0`).waitFor({ timeout: 180_000 });
      await row.getByRole('button', { name: `Manage ${DISPLAY}` }).click();
      const dialog = page.getByRole('dialog', { name: `PCI device ${DISPLAY}` });
      await dialog.getByText("This computer's desktop, where Domus is shown, loses its screen, keyboard or mouse: display card0.").waitFor();
      expect(await dialog.getByRole('button', { name: 'Make assignable' }).isDisabled()).toBe(true);
      await dialog.getByRole('button', { name: 'Close' }).click();
      expect((await lab.ok(['readlink', `/sys/bus/pci/devices/${DISPLAY}/driver`])).trim()).toMatch(/bochs-drm$/);
    }, 300_000);

    it('lab: local — a graphical console reaches the guest\'s VNC server on dom0\'s loopback', async () => {
      const { page } = domus;
      // Its VNC server (the device model's) listens from the create on; no boot needs to finish.
      const r = await lab.script(`ok=; for i in 1 2 3; do if xl create /root/kit/hvm.cfg 'name="${HVM}"'; then ok=1; break; fi; sleep 10; done; [ -n "$ok" ]`, 400_000);
      expect(r.code, r.stderr).toBe(0);
      try {
        await page.getByRole('tab', { name: 'Consoles' }).click();
        await page.getByRole('button', { name: `Open the graphical console of ${HVM}`, exact: true }).click({ timeout: 120_000 });
        // "open" is noVNC's connect event: the RFB handshake went through both ways.
        await page.locator(`[data-console-guest="${HVM}"][data-console-phase="open"]`).waitFor({ timeout: 120_000 });
        await page.getByRole('application', { name: `Graphical console of ${HVM}` }).locator('canvas').waitFor();
        await page.getByRole('button', { name: `Close the console of ${HVM}` }).click();
      } finally {
        await destroyGuest(lab, HVM);
      }
    }, 600_000);

    it('lab: local — a text console answers a command', async () => {
      const { page } = domus;
      await installTap(page);
      await page.getByRole('tab', { name: 'Consoles' }).click();
      await page.getByRole('button', { name: `Open the text console of ${PV}`, exact: true }).click({ timeout: 60_000 });
      const term = page.getByRole('application', { name: `Text console of ${PV}` });
      await page.locator(`[data-console-guest="${PV}"][data-console-phase="open"]`).waitFor({ timeout: 60_000 });
      await term.click();
      await waitForTail(page, PV, /[/~] # /, 120_000, () => page.keyboard.press('Enter'));
      await page.keyboard.type('echo $((6*7))-local\n');
      await waitForTail(page, PV, /42-local/, 60_000);
    }, 300_000);

    it('lab: local — stopping Domus leaves no process of it in dom0', async () => {
      // The monitor, the xenstore and config watches and the open console run below Domus now.
      await stopLeavesNothing(lab, domus, [/python3 -c/, /xenstore-watch/, /xl console/]);
    }, 120_000);
  });

  describe('as a user with sudo -n', () => {
    let domus: LocalDomus;
    beforeAll(async () => {
      await lab.run(['userdel', '-r', USER]);
      await lab.ok(['useradd', '-m', '-s', '/bin/sh', USER]);
      domus = await startLocalDomus(lab, USER);
    }, 300_000);
    afterAll(async () => {
      await domus?.close();
    }, 120_000);

    it('lab: local — without rights the dialog gives the exact sudo rule; with it, the inventory; no leftover', async () => {
      const { page } = domus;
      await page.getByRole('button', { name: 'Add host' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Add host' });
      await dialog.getByLabel('This computer').check({ timeout: 120_000 });
      await dialog.getByText('Domus needs the rights to run Xen here').waitFor();
      const rule = `${USER} ALL=(root) NOPASSWD: ALL`;
      expect(await dialog.getByRole('textbox', { name: 'sudoers rule' }).inputValue()).toBe(rule);
      await dialog.getByText(`Give ${USER} the rights with this line in /etc/sudoers.d/domus`, { exact: false }).waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      // The rule exactly as printed, checked by visudo, then the same dialog connects.
      await lab.ok(['sh', '-c', 'printf "%s\\n" "$1" > "$2.tmp" && visudo -cf "$2.tmp" && chmod 440 "$2.tmp" && mv "$2.tmp" "$2"', 'sh', rule, SUDOERS]);
      await page.waitForTimeout(6_000); // the dialog's answer is cached for 5 s
      await addThisComputer(page, 'Here as user');
      const table = page.getByRole('table', { name: 'Guests' });
      await table.getByRole('row', { name: new RegExp(PV) }).waitFor({ state: 'visible', timeout: 180_000 });
      await page.getByRole('navigation', { name: 'Hosts' }).getByText('connected', { exact: true }).waitFor({ timeout: 120_000 });

      // A console through script(1) and sudo, then a stop that must reach root's processes.
      await installTap(page);
      await page.getByRole('tab', { name: 'Consoles' }).click();
      await page.getByRole('button', { name: `Open the text console of ${PV}`, exact: true }).click({ timeout: 60_000 });
      await page.locator(`[data-console-guest="${PV}"][data-console-phase="open"]`).waitFor({ timeout: 60_000 });
      await page.getByRole('application', { name: `Text console of ${PV}` }).click();
      await waitForTail(page, PV, /[/~] # /, 120_000, () => page.keyboard.press('Enter'));
      await stopLeavesNothing(lab, domus, [/sudo -n -- python3 -c/, /xenstore-watch/, /xl console/]);
    }, 600_000);
  });
});
