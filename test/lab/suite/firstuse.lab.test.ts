// What a new admin saw on the lab host and stumbled on (issue 15): Domain-0 as "1 of ?" vCPUs
// and above 100 % with one vCPU, a guest's type "—" right after a start, and QEMU's VGA as
// "Vendor / Device". Through Domus's real backend, against the real xl.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Guest } from '../../../electron/api/guests';
import { connectLabBackend, type LabBackend } from '../backend';
import { labCalls } from '../calls';
import { destroyGuest, writeKitConfig } from '../guests';
import { LabHost } from '../labHost';
import { until } from '../../support/wait';

const NAME = 'hl-firstuse';

describe('lab: first use', () => {
  let lab: LabHost;
  let lb: LabBackend;
  let calls: ReturnType<typeof labCalls>;
  beforeAll(async () => {
    lab = await LabHost.connect();
    lb = await connectLabBackend(lab, 'hl');
    calls = labCalls(lb);
  });
  afterAll(async () => {
    await destroyGuest(lab, NAME);
    await lab?.run(['rm', '-f', `/etc/xen/${NAME}.cfg`]);
    await lb?.close();
    lab?.close();
  });

  it("lab: first use — Domain-0's vCPUs are counted, not '1 of ?'", async () => {
    const overview = await calls.call('cpu.overview', {});
    const dom0 = overview.domains.find((d) => d.domid === 0)!;
    const xlVcpus = Number((await lab.ok(['xl', 'list', '0'])).split('\n')[1].trim().split(/\s+/)[3]);
    expect(dom0).toMatchObject({ onlineVcpus: xlVcpus, maxVcpus: xlVcpus });
  });

  it('lab: first use — a busy Domain-0 never shows more CPU than its vCPUs have', async () => {
    // Samples once a second while someone watches.
    await lb.backend['hosts.watchLive']({ viewer: 'hl-firstuse-viewer', hostIds: [lb.hostId] });
    const burn = lab.run(['timeout', '20', 'sh', '-c', 'while :; do :; done'], { timeoutMs: 60_000 });
    const seen: number[] = [];
    let vcpus = 0;
    const end = Date.now() + 18_000;
    while (Date.now() < end) {
      const dom0 = (await lb.backend['guests.list']({ hostId: lb.hostId })).find((g) => g.isControlDomain)!;
      vcpus = dom0.vcpus;
      if (dom0.cpuPercent !== null && seen.at(-1) !== dom0.cpuPercent) seen.push(dom0.cpuPercent);
      await new Promise((r) => setTimeout(r, 500));
    }
    await burn;
    console.log(`Domain-0 (${vcpus} vCPU) CPU % while busy: ${seen.join(' ')}`);
    // The burn did keep it busy (the monitor showed 101–103 % for one vCPU before the cap) …
    expect(Math.max(...seen)).toBeGreaterThan(90 * vcpus);
    // … and no sample claims more than its vCPUs can do.
    expect(Math.max(...seen)).toBeLessThanOrEqual(100 * vcpus);
  });

  it("lab: first use — a guest's type is known from its config, stopped and from the start on", async () => {
    await writeKitConfig(lab, NAME, 'pv.cfg');
    const find = async () => (await lb.backend['guests.list']({ hostId: lb.hostId })).find((g) => g.name === NAME);
    const stopped = await until(`${NAME} listed`, find, 60_000);
    expect(stopped).toMatchObject({ state: 'shut off', type: 'pv' });
    // Every listing from the start on says what it is: no "—" while xl list -l catches up.
    const types: Guest['type'][] = [];
    let started = false;
    const start = calls.call('guests.start', { guestId: stopped.id }).finally(() => (started = true));
    let running: Guest | undefined;
    const end = Date.now() + 180_000;
    while (!running || !started) {
      if (Date.now() > end) throw new Error(`${NAME} did not start; types seen: ${types.join(' ')}`);
      const g = await find();
      if (g) types.push(g.type);
      if (g?.domid != null) running = g;
      else if (started) await start; // a refused start throws here, with xl's reason
      await new Promise((r) => setTimeout(r, 100));
    }
    await start;
    expect(new Set(types)).toEqual(new Set(['pv']));
    expect(running).toMatchObject({ type: 'pv' });
  });

  it("lab: first use — QEMU's VGA is named by its ids, not by lspci's placeholder", async () => {
    const inv = await calls.call('pci.list', {});
    const vga = inv.devices.find((d) => d.classId === '0300')!;
    expect(vga).toMatchObject({ vendorId: '1234', deviceId: '1111', vendorName: '', deviceName: '' });
    // Devices pci.ids knows keep their names.
    expect(inv.devices.find((d) => d.vendorId === '8086' && d.deviceId === '100e')?.vendorName).toBe('Intel Corporation');
  });
});
