// PCI passthrough on a host without an IOMMU (the alternative lab: Xen booted with iommu=0). The
// host's PCI page and a guest's PCI tab say passthrough is unavailable and why, and offer no
// assign actions; through the backend API the methods that would fail (or half-do their work:
// pci-assignable-add binds pciback, then fails to quarantine) are refused with that reason before
// anything runs, and the e1000 stays with its dom0 driver. Guest config named pt-*.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp } from '../../e2e/browserApp';
import { connectLabBackend, type LabBackend } from '../backend';
import { labCalls } from '../calls';
import { writeKitConfig } from '../guests';
import { LabHost } from '../labHost';
import { addLabHost } from '../ui';

const E1000 = '0000:00:05.0';
const NAME = 'pt-noiommu';
const CFG = `/etc/xen/${NAME}.cfg`;
const REASON = /iommu=0.*no device can be given to a guest/;

describe('lab-alt: pci without an IOMMU', () => {
  let lab: LabHost;
  let labBackend: LabBackend;
  let calls: ReturnType<typeof labCalls>;
  const driverOf = async (bdf: string) => (await lab.run(['readlink', `/sys/bus/pci/devices/${bdf}/driver`])).stdout.trim().split('/').pop();

  beforeAll(async () => {
    lab = await LabHost.connect();
    // A stopped persistent guest: its config is what configure / enablePassthrough would change.
    await writeKitConfig(lab, NAME);
    labBackend = await connectLabBackend(lab, 'pci-noiommu');
    calls = labCalls(labBackend);
  }, 400_000);

  afterAll(async () => {
    await labBackend?.close();
    if (lab) {
      await lab.run(['rm', '-f', CFG, `${CFG}.bak`]);
      lab.close();
    }
  });

  it('lab-alt: pci — the API refuses what would fail, with the reason, and changes nothing', async () => {
    const { call, refused } = calls;
    const inv = await call('pci.list', {});
    expect(inv.availability).toMatchObject({ available: false, pv: false, hvm: false });
    expect(inv.availability.reason).toMatch(REASON);
    expect(inv.devices.find((d) => d.bdf === E1000)).toMatchObject({ driver: 'e1000', assignable: false });

    const before = await lab.ok(['cat', CFG]);
    for (const [method, input] of [
      ['pci.makeAssignable', { bdf: E1000 }],
      ['pci.attach', { bdf: E1000, guest: NAME, options: {} }],
      ['pci.detach', { bdf: E1000, guest: NAME }],
      ['pci.configure', { bdf: E1000, guest: NAME, options: {}, remove: false }],
      ['pci.enablePassthrough', { guest: NAME }],
    ] as const) {
      const e = await refused(method, input as never);
      expect(e.code, method).toBe('unsupported');
      expect(e.message, method).toMatch(REASON);
    }
    // Nothing changed: the e1000 still has its driver, the config is as it was.
    expect(await driverOf(E1000)).toBe('e1000');
    expect((await lab.ok(['xl', 'pci-assignable-list'])).trim()).toBe('');
    expect(await lab.ok(['cat', CFG])).toBe(before);
    // Showing what a boot-time hide would change still works (it changes nothing).
    expect((await call('pci.persistencePreview', { bdfs: [E1000] })).parameter).toBe(`xen-pciback.hide=(${E1000})`);
  });

  it('lab-alt: pci — the PCI page and the guest tab say why and offer no assign actions', async () => {
    const app = await startBrowserApp({ userKnownHosts: labBackend.knownHosts });
    const { page } = app;
    try {
      await addLabHost(page, lab, { keyKnown: true });
      // PatternFly puts the Tabs' aria-label on a plain div around the tablist.
      const hostTabs = page.locator('[aria-label="Host views"]');
      await hostTabs.getByRole('tab', { name: 'PCI devices' }).click();
      const devices = page.getByRole('table', { name: 'PCI devices' });
      await devices.getByRole('row', { name: E1000 }).waitFor({ timeout: 180_000 });
      const why = page.getByLabel('This host cannot pass devices through');
      await why.waitFor();
      expect(await why.textContent()).toMatch(REASON);
      expect(await devices.getByRole('button', { name: /^Manage / }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /Make assignable|Give .* back to dom0/ }).count()).toBe(0);

      await hostTabs.getByRole('tab', { name: 'Guests' }).click();
      await page.getByRole('table', { name: 'Guests' }).getByRole('button', { name: `Open ${NAME}` }).click();
      const guestPage = page.getByRole('region', { name: `Guest ${NAME}` });
      await guestPage.getByRole('tab', { name: 'PCI devices' }).click();
      const guestWhy = guestPage.getByLabel('This host cannot pass devices through');
      await guestWhy.waitFor({ timeout: 180_000 });
      expect(await guestWhy.textContent()).toMatch(REASON);
      expect(await guestPage.getByRole('table', { name: 'Devices for the guest' }).count()).toBe(0);
      expect(await guestPage.getByRole('button', { name: /Add to config|Attach now|Enable passthrough/ }).count()).toBe(0);
    } catch (err) {
      await page.screenshot({ path: '/tmp/pci-no-iommu-failure.png', fullPage: true }).catch(() => {});
      throw err;
    } finally {
      await app.close();
    }
  }, 600_000);
});
