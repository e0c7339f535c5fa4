// PCI passthrough on the lab's emulated VT-d: the spare e1000 goes to a guest and comes back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuestConsole } from '../console';
import { createKitGuest, destroyGuest } from '../guests';
import { LabHost } from '../labHost';

const E1000 = '0000:00:05.0';

describe('lab: passthrough', () => {
  let lab: LabHost;
  beforeAll(async () => {
    lab = await LabHost.connect();
  });
  afterAll(() => lab?.close());

  const dom0Driver = async () =>
    (await lab.run(['readlink', `/sys/bus/pci/devices/${E1000}/driver`])).stdout.trim().split('/').pop();

  it('lab: passthrough — the e1000 is given to a PV guest (its driver binds there) and returned to dom0', async () => {
    expect(await dom0Driver()).toBe('e1000');
    try {
      await lab.ok(['xl', 'pci-assignable-add', E1000]);
      expect(await dom0Driver()).toBe('pciback');
      expect(await lab.ok(['xl', 'pci-assignable-list'])).toContain(E1000);

      await createKitGuest(lab, 'pv-pci.cfg');
      expect(await lab.ok(['xl', 'pci-list', 'kit-pvpci'])).toContain(E1000);
      const con = await GuestConsole.open(lab, 'kit-pvpci');
      try {
        const out = await con.run('cat /sys/bus/pci/devices/*/vendor /sys/bus/pci/devices/*/device; ls /sys/bus/pci/drivers/e1000');
        expect(out).toContain('0x8086');
        expect(out).toContain('0x100e');
        // The guest's e1000 driver bound the device behind pcifront.
        expect(out).toMatch(/0000:00:00\.0/);
      } finally {
        con.close();
      }
    } finally {
      await destroyGuest(lab, 'kit-pvpci');
      await lab.run(['xl', 'pci-assignable-remove', '-r', E1000]);
    }
    expect(await dom0Driver()).toBe('e1000');
    expect(await lab.ok(['xl', 'pci-assignable-list'])).not.toContain(E1000);
  });
});
