// PCI passthrough against the real lab through the real backend and the contract's validation:
// the inventory names the devices, and the NIC carrying the SSH connection is refused with why.
// The e1000's whole cycle (assignable, in a config, started with it, detached and attached live,
// given back) runs once, through the UI, in pci-ui.lab.test.ts; the refusal of a live attach to a
// guest started without passthrough is decided from xl's recorded answers in test/unit/pci.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabHost } from '../labHost';
import { connectLabBackend, type LabBackend } from '../backend';
import { labCalls } from '../calls';

const E1000 = '0000:00:05.0';

describe('lab: passthrough (Domus)', () => {
  let lab: LabHost;
  let labBackend: LabBackend;

  let call: ReturnType<typeof labCalls>['call'];
  let refused: ReturnType<typeof labCalls>['refused'];
  const dom0Driver = async (bdf: string) =>
    (await lab.run(['readlink', `/sys/bus/pci/devices/${bdf}/driver`])).stdout.trim().split('/').pop();

  beforeAll(async () => {
    lab = await LabHost.connect();
    labBackend = await connectLabBackend(lab, 'pci');
    ({ call, refused } = labCalls(labBackend));
  }, 400_000);

  afterAll(async () => {
    await labBackend?.close();
    lab?.close();
  }, 300_000);

  it('lab: passthrough — the NIC carrying the SSH connection is marked and refused with the explanation', async () => {
    const inv = await call('pci.list', {});
    expect(inv.availability.available).toBe(true);
    const sshNic = inv.devices.find((d) => d.dom0Needs.some((n) => n.kind === 'ssh-nic'));
    expect(sshNic).toMatchObject({ deviceName: 'Virtio network device', driver: 'virtio-pci' });
    expect(inv.devices.find((d) => d.bdf === E1000)).toMatchObject({ deviceName: '82540EM Gigabit Ethernet Controller', dom0Needs: [] });
    const e = await refused('pci.makeAssignable', { bdf: sshNic!.bdf });
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/network connection Domus uses .*xenbr0.*SSH connection from 10\.0\.2\.2.*Type its address to confirm/);
    expect(await dom0Driver(sshNic!.bdf)).toBe('virtio-pci');
  }, 180_000);
});
