// The lab itself: Xen answers, and the PV and PVH kit guests boot to a shell on their consoles.
// The HVM kit guest boots in the console suite (lab: console — graphical console …), which needs
// its serial shell and its VNC server anyway: one HVM boot under emulation is 1–2 minutes.
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
});
