// PCI passthrough through the UI only, in Chromium against the lab: the host's PCI page marks the
// virtio NIC carrying SSH as needed by dom0 and will not make it assignable until its address is
// typed (then the dialog is cancelled: doing it would cut the lab off); the e1000 (0000:00:05.0)
// is made assignable; on a stopped kit guest's page passthrough is enabled in its config and the
// picker gives it the e1000 in its config; the passthrough line is then taken out by hand (most
// configs give devices without one); the guest is started and has it, it is detached live, and
// though it held its last device, live attach stays offered: attached again with the picker and
// detached, and the e1000 goes back to dom0 with its
// e1000 driver, and every step is a succeeded task. This is the e1000's one full cycle in the
// suite (pci.lab.test.ts keeps the backend's refusals). Only the e1000 is touched; the guest and
// its config are named pt-*.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../../e2e/browserApp';
import { destroyGuest, writeKitConfig } from '../guests';
import { LabHost } from '../labHost';
import { addLabHost } from '../ui';

const E1000 = '0000:00:05.0';
const SSH_NIC = '0000:00:03.0';
const NAME = 'pt-ui';
const CFG = `/etc/xen/${NAME}.cfg`;

describe('lab: pci UI', () => {
  let lab: LabHost;
  let app: BrowserApp;
  const driverOf = async (bdf: string) => (await lab.run(['readlink', `/sys/bus/pci/devices/${bdf}/driver`])).stdout.trim().split('/').pop();
  const pciList = async () => (await lab.run(['xl', 'pci-list', NAME])).stdout;
  const cleanup = async () => {
    await destroyGuest(lab, NAME);
    await lab.run(['rm', '-f', CFG, `${CFG}.bak`]);
    if ((await driverOf(E1000)) !== 'e1000') await lab.run(['xl', 'pci-assignable-remove', '-r', E1000], { timeoutMs: 120_000 });
  };

  beforeAll(async () => {
    lab = await LabHost.connect();
    await cleanup();
    // A stopped persistent kit guest: the kit's PV config under our own name, no devices.
    await writeKitConfig(lab, NAME);
    app = await startBrowserApp();
  });
  afterAll(async () => {
    await app?.close();
    if (lab) await cleanup();
    lab?.close();
  });

  it('lab: pci UI — dom0\'s SSH NIC guarded; the e1000 assignable, in a guest\'s config, attached, detached live, given back', async () => {
    try {
      await throughTheUi();
    } catch (err) {
      await app.page.screenshot({ path: '/tmp/pci-ui-failure.png', fullPage: true }).catch(() => {});
      throw err;
    } finally {
      await cleanup();
    }
    expect(await driverOf(E1000)).toBe('e1000');
    // Under TCG on a shared lab each PCI probe takes 10-20 s and each attach/detach tens of seconds.
  }, 1_200_000);

  async function throughTheUi(): Promise<void> {
    const { page } = app;
    await addLabHost(page, lab);
    // PatternFly puts the Tabs' aria-label on a plain div around the tablist (no role to find it by).
    const hostTabs = page.locator('[aria-label="Host views"]');
    await hostTabs.getByRole('tab', { name: 'PCI devices' }).click();
    const devices = page.getByRole('table', { name: 'PCI devices' });
    await devices.getByRole('row', { name: E1000 }).waitFor({ timeout: 180_000 });

    // The NIC carrying SSH: marked, and its dialog names what stops and wants the address typed.
    const nicRow = devices.getByRole('row', { name: SSH_NIC });
    await nicRow.getByLabel(`${SSH_NIC} is needed by dom0`).waitFor();
    await nicRow.getByRole('button', { name: `Manage ${SSH_NIC}` }).click();
    const nic = page.getByRole('dialog', { name: `PCI device ${SSH_NIC}` });
    await nic.getByText(/Domus's own connection to this host is lost: xenbr0 \(enp0s3\)/).waitFor();
    const makeNic = nic.getByRole('button', { name: 'Make assignable' });
    expect(await makeNic.isDisabled()).toBe(true);
    const typed = nic.getByLabel('Type the device address to confirm');
    await typed.fill('0000:00:03.1');
    expect(await makeNic.isDisabled()).toBe(true);
    await typed.fill(SSH_NIC);
    expect(await makeNic.isEnabled()).toBe(true);
    // Cancel: never really do it (the lab would be cut off).
    await nic.getByRole('button', { name: 'Close' }).click();
    await nic.waitFor({ state: 'hidden' });
    expect(await driverOf(SSH_NIC)).toBe('virtio-pci');

    // The e1000: nothing dom0 needs; made assignable.
    await devices.getByRole('row', { name: E1000 }).getByRole('button', { name: `Manage ${E1000}` }).click();
    const e1000 = page.getByRole('dialog', { name: `PCI device ${E1000}` });
    await e1000.getByRole('button', { name: 'Make assignable' }).click();
    await e1000.getByText('The device is assignable.').waitFor({ timeout: 120_000 });
    expect(await driverOf(E1000)).toBe('pciback');
    await e1000.getByRole('button', { name: 'Close' }).click();
    await devices.getByRole('row', { name: E1000 }).getByText('Assignable', { exact: true }).waitFor({ timeout: 180_000 });

    // The stopped guest's page: the picker gives it the e1000 in its config.
    await hostTabs.getByRole('tab', { name: 'Guests' }).click();
    await page.getByRole('table', { name: 'Guests' }).getByRole('button', { name: `Open ${NAME}` }).click();
    const guestPage = page.getByRole('region', { name: `Guest ${NAME}` });
    await guestPage.waitFor();
    await guestPage.getByRole('tab', { name: 'PCI devices' }).click();
    const atStart = guestPage.getByRole('region', { name: 'At next start (its config)' });
    // Started as it is it could not take devices live later: the tab says so and offers to enable
    // passthrough in its config (so that after a live detach the device can be attached again).
    await atStart.getByText(/must start with passthrough enabled or with devices/).waitFor({ timeout: 180_000 });
    await atStart.getByRole('button', { name: 'Enable passthrough in its config' }).click();
    await guestPage.getByText(/Passthrough is enabled in the config/).waitFor({ timeout: 180_000 });
    expect(await lab.ok(['cat', CFG])).toMatch(/^passthrough = "enabled"$/m);
    await atStart.getByText('passthrough = "enabled".', { exact: false }).waitFor({ timeout: 180_000 });
    const cfgPicker = atStart.getByRole('table', { name: 'Devices for the guest' });
    // dom0's NIC is offered with its mark; picking it explains it must be made assignable first.
    await cfgPicker.getByRole('checkbox', { name: `Select ${SSH_NIC}` }).check();
    await atStart.getByText(`dom0 needs ${SSH_NIC}.`, { exact: false }).waitFor();
    expect(await atStart.getByRole('button', { name: 'Add to config' }).isDisabled()).toBe(true);
    await cfgPicker.getByRole('checkbox', { name: `Select ${SSH_NIC}` }).uncheck();
    await cfgPicker.getByRole('checkbox', { name: `Select ${E1000}` }).check();
    await atStart.getByRole('group', { name: `Options for ${E1000}` }).getByRole('checkbox', { name: /permissive/ }).check();
    await atStart.getByRole('button', { name: 'Add to config' }).click();
    await guestPage.getByText('Added to the guest config; it takes effect at the guest\'s next start.').waitFor({ timeout: 120_000 });
    expect(await lab.ok(['cat', CFG])).toMatch(/^pci\s*=.*0000:00:05\.0,permissive=1/m);
    // The config as it was before the change is kept beside it.
    expect(await lab.ok(['cat', `${CFG}.bak`])).not.toMatch(/^pci/m);
    await atStart.getByRole('table', { name: `PCI devices in ${NAME}'s config` }).getByRole('row', { name: E1000 }).waitFor({ timeout: 180_000 });

    // Most configs give devices without a passthrough= line: take it out again, so the guest starts
    // with the device only and must keep live attach after its last device is detached.
    await lab.ok(['sed', '-i', '/^passthrough = /d', CFG]);
    // Start it from the UI: it comes up with the device.
    await guestPage.getByRole('button', { name: `Start ${NAME}` }).click();
    await guestPage.getByRole('button', { name: `Pause ${NAME}` }).waitFor({ timeout: 240_000 });
    const now = guestPage.getByRole('region', { name: 'Now (running)' });
    const hasNow = now.getByRole('table', { name: `PCI devices ${NAME} has now` });
    await hasNow.getByRole('row', { name: E1000 }).waitFor({ timeout: 120_000 });
    expect(await pciList()).toContain(E1000);

    // Detach live (asks first, naming what it does).
    const detach = async () => {
      await hasNow.getByRole('button', { name: `Detach ${E1000} from ${NAME}` }).click();
      const ask = page.getByRole('dialog', { name: `Detach ${E1000} from ${NAME}?` });
      await ask.getByRole('button', { name: `Detach ${E1000}` }).click();
      await guestPage.getByText('Detached from the guest.').waitFor({ timeout: 180_000 });
      expect(await pciList()).not.toContain(E1000);
    };
    await detach();
    await now.getByText('None.').waitFor({ timeout: 180_000 });

    // Started with a device, so passthrough is on until it stops, though nothing on the host says so
    // any more: live attach stays offered and the picker in "Now" gives the device back.
    const livePicker = now.getByRole('table', { name: 'Devices for the guest' });
    await livePicker.getByRole('checkbox', { name: `Select ${E1000}` }).check();
    await now.getByRole('button', { name: 'Attach now' }).click();
    await guestPage.getByText('Attached to the running guest.').waitFor({ timeout: 180_000 });
    await hasNow.getByRole('row', { name: E1000 }).waitFor({ timeout: 180_000 });
    expect(await pciList()).toContain(E1000);
    await detach();

    // Back on the host's PCI page: the e1000 goes back to dom0 and its driver.
    await guestPage.getByRole('button', { name: /^Back to / }).click();
    await hostTabs.getByRole('tab', { name: 'PCI devices' }).click();
    const manage = devices.getByRole('row', { name: E1000 }).getByRole('button', { name: `Manage ${E1000}` });
    await manage.waitFor({ timeout: 180_000 });
    await manage.click();
    await e1000.getByRole('button', { name: 'Give back to dom0' }).click();
    await e1000.getByText('The device is back with dom0 and its driver.').waitFor({ timeout: 120_000 });
    expect(await driverOf(E1000)).toBe('e1000');
    await e1000.getByRole('button', { name: 'Close' }).click();
    // Every step is in the task log, and every one succeeded.
    const tasks = (await app.backend['tasks.list']({})).filter((t) => t.action.startsWith('pci.'));
    expect(tasks.map((t) => t.action)).toEqual(expect.arrayContaining(['pci.makeAssignable', 'pci.configure', 'pci.detach', 'pci.attach', 'pci.giveBack']));
    expect(tasks.filter((t) => t.state !== 'succeeded')).toEqual([]);
  }
});
