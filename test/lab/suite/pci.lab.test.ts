// PCI passthrough against the real lab through the real backend and the contract's validation:
// the e1000 (0000:00:05.0) under emulated VT-d goes to a guest at start, is detached live, attached
// live to a guest started with passthrough enabled, and given back to dom0; the NIC carrying the
// SSH connection is refused. The e1000 is shared with passthrough.lab.test.ts: it is always given
// back in finally. Guests and configs are named pci-*.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomusBackend } from '../../../electron/hosts/backend';
import { GuestConsole } from '../console';
import { destroyGuest, writeKitConfig } from '../guests';
import { LabHost } from '../labHost';
import { connectLabBackend, type LabBackend } from '../backend';
import { labCalls } from '../calls';
import { until } from '../../support/wait';

const E1000 = '0000:00:05.0';
const A = 'pci-a';
const B = 'pci-b';
const cfg = (n: string) => `/etc/xen/${n}.cfg`;


describe('lab: passthrough (Domus)', () => {
  let lab: LabHost;
  let backend: DomusBackend;
  let labBackend: LabBackend;

  let call: ReturnType<typeof labCalls>['call'];
  let refused: ReturnType<typeof labCalls>['refused'];
  const dom0Driver = async (bdf: string) =>
    (await lab.run(['readlink', `/sys/bus/pci/devices/${bdf}/driver`])).stdout.trim().split('/').pop();
  const cleanup = async () => {
    for (const n of [A, B]) {
      await destroyGuest(lab, n);
      await lab.run(['rm', '-f', cfg(n), `${cfg(n)}.bak`]);
    }
    if ((await dom0Driver(E1000)) !== 'e1000') await lab.run(['xl', 'pci-assignable-remove', '-r', E1000], { timeoutMs: 120_000 });
  };

  beforeAll(async () => {
    lab = await LabHost.connect();
    labBackend = await connectLabBackend(lab, 'pci');
    ({ backend } = labBackend);
    ({ call, refused } = labCalls(labBackend));
  }, 400_000);

  afterAll(async () => {
    await labBackend?.close();
    if (lab) {
      await cleanup();
      lab.close();
    }
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

  it('lab: passthrough — the e1000: assignable, to a guest at start (pci=), detached live, attached live, given back', async () => {
    expect(await dom0Driver(E1000)).toBe('e1000');
    try {
      await writeKitConfig(lab, A);
      await writeKitConfig(lab, B);

      await call('pci.makeAssignable', { bdf: E1000 });
      expect(await dom0Driver(E1000)).toBe('pciback');

      // Persistent: in pci-a's config, then started.
      await call('pci.configure', { bdf: E1000, guest: A, options: { permissive: false, rdmPolicy: 'relaxed' } });
      expect(await lab.ok(['cat', cfg(A)])).toMatch(/^pci = \[ '0000:00:05\.0,permissive=0,rdm_policy=relaxed' \]$/m);
      expect(await lab.ok(['cat', `${cfg(A)}.bak`])).not.toMatch(/^pci/m);
      await lab.ok(['xl', 'create', cfg(A)], { timeoutMs: 180_000 });
      let inv = await call('pci.list', {});
      expect(inv.devices.find((d) => d.bdf === E1000)).toMatchObject({ runningIn: [A], configuredIn: [{ guest: A, path: cfg(A) }] });
      const con = await GuestConsole.open(lab, A);
      try {
        expect(await con.run('ls /sys/bus/pci/drivers/e1000')).toMatch(/0000:00:00\.0/);
      } finally {
        con.close();
      }

      await call('pci.detach', { bdf: E1000, guest: A });
      expect((await lab.ok(['xl', 'pci-list', A])).trim()).not.toContain(E1000);

      // pci-b started without passthrough: live attach is refused with why, then enabled for its next start.
      await lab.ok(['xl', 'create', cfg(B)], { timeoutMs: 180_000 });
      expect((await refused('pci.attach', { bdf: E1000, guest: B })).message).toMatch(/started without passthrough/);
      await call('pci.enablePassthrough', { guest: B });
      expect(await lab.ok(['cat', cfg(B)])).toMatch(/^passthrough = "enabled"$/m);
      await destroyGuest(lab, B);
      await lab.ok(['xl', 'create', cfg(B)], { timeoutMs: 180_000 });
      inv = await call('pci.list', {});
      expect(inv.guests.find((g) => g.name === B)).toMatchObject({ running: true, liveAttach: true });
      await call('pci.attach', { bdf: E1000, guest: B, options: {} });
      expect(await lab.ok(['xl', 'pci-list', B])).toContain(E1000);
      await call('pci.detach', { bdf: E1000, guest: B });

      await call('pci.giveBack', { bdf: E1000 });
      expect(await dom0Driver(E1000)).toBe('e1000');
      const tasks = await backend['tasks.list']({});
      expect(tasks.filter((t) => t.action.startsWith('pci.')).every((t) => t.state === 'succeeded')).toBe(true);
    } finally {
      await cleanup();
    }
    expect(await dom0Driver(E1000)).toBe('e1000');
  }, 900_000);
});
