// The lab itself: Xen answers, and each kind of kit guest boots to a shell on its console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuestConsole } from '../console';
import { createKitGuest, destroyGuest } from '../guests';
import { LabHost } from '../labHost';

describe('lab: boot', () => {
  let lab: LabHost;
  beforeAll(async () => {
    lab = await LabHost.connect();
  });
  afterAll(() => lab?.close());

  it('lab: boot — xl info answers: Xen 4.17 with PV, HVM and an IOMMU for passthrough', async () => {
    const out = await lab.ok(['xl', 'info']);
    expect(out).toMatch(/^xen_version\s*:\s*4\.17\./m);
    const caps = out.match(/^virt_caps\s*:\s*(.*)$/m)?.[1].split(/\s+/) ?? [];
    expect(caps).toEqual(expect.arrayContaining(['pv', 'hvm', 'pv_directio', 'hvm_directio']));
    expect(out).toMatch(/^nr_cpus\s*:\s*2$/m);
    const list = await lab.ok(['xl', 'list']);
    expect(list).toMatch(/^Domain-0\s+0\s/m);
  });

  const shellCases = [
    { kind: 'PV', cfg: 'pv.cfg', name: 'kit-pv', type: 'pv' as const, guestType: 'PV' },
    { kind: 'PVH', cfg: 'pvh.cfg', name: 'kit-pvh', type: 'pv' as const, guestType: 'PVH' },
  ];
  for (const c of shellCases) {
    it(`lab: boot — a ${c.kind} kit guest reaches its shell through xl console`, async () => {
      try {
        await createKitGuest(lab, c.cfg);
        const con = await GuestConsole.open(lab, c.name, { type: c.type });
        try {
          const out = await con.run('cat /sys/hypervisor/guest_type; uname -r');
          expect(out.split('\n')[0].trim()).toBe(c.guestType);
          expect(out).toMatch(/\d+\.\d+\.\d+/);
        } finally {
          con.close();
        }
      } finally {
        await destroyGuest(lab, c.name);
      }
    });
  }

  it('lab: boot — an HVM kit guest reaches its shell on the serial console and serves VNC on dom0 loopback', async () => {
    try {
      await createKitGuest(lab, 'hvm.cfg');
      const domid = (await lab.ok(['xl', 'domid', 'kit-hvm'])).trim();
      const port = Number((await lab.ok(['xenstore-read', `/local/domain/${domid}/console/vnc-port`])).trim());
      expect(port).toBeGreaterThanOrEqual(5900);
      expect((await lab.ok(['xenstore-read', `/local/domain/${domid}/console/vnc-listen`])).trim()).toBe('127.0.0.1');

      // The RFB greeting through an SSH tunnel to dom0's loopback, as Domus's VNC console will.
      const ch = await lab.forward(port);
      const greeting = await new Promise<string>((resolve, reject) => {
        let buf = '';
        const t = setTimeout(() => reject(new Error(`no RFB greeting, got ${JSON.stringify(buf)}`)), 30_000);
        ch.on('data', (d: Buffer) => {
          buf += d.toString('latin1');
          if (buf.length >= 12) {
            clearTimeout(t);
            resolve(buf.slice(0, 12));
          }
        });
      });
      ch.close();
      expect(greeting).toMatch(/^RFB 003\.00\d\n$/);

      // HVM under emulation boots in about a minute.
      const con = await GuestConsole.open(lab, 'kit-hvm', { type: 'serial', promptTimeoutMs: 180_000, attempts: 2 });
      try {
        expect((await con.run('cat /sys/hypervisor/guest_type')).trim()).toBe('HVM');
      } finally {
        con.close();
      }
    } finally {
      await destroyGuest(lab, 'kit-hvm');
    }
  });
});
