// A guest started with a PCI device keeps passthrough for its whole life, but once its last device
// is detached nothing on the host says so (xl pci-list empty, no pci backend, no passthrough mode in
// xl list -l). The backend remembers the domains it saw with a device, so live attach stays offered.
// Probes recorded on the lab: pci-rec running with the e1000, then the same output with its device
// gone (as the host shows it after xl pci-detach).
import { describe, expect, it } from 'vitest';
import { buildPciInventory } from '../../../electron/drivers/xl/pci';
import { parsePciProbe } from '../../../electron/drivers/xl/pciSafety';
import { parseXlInfo } from '../../../electron/drivers/xl/parse';
import { PassthroughSeen } from '../../../electron/hosts/passthroughSeen';
import { labFixture } from '../../fixtures/lab';

const caps = () => parseXlInfo(labFixture('xl-info').stdout).virtCaps;
const withDevice = () => buildPciInventory(parsePciProbe(labFixture('pci-probe-assigned').stdout), caps()).guests;
const detached = () => {
  const text = labFixture('pci-probe-assigned').stdout.replace('Vdev Device\n00.0 0000:00:05.0\n', '');
  return buildPciInventory(parsePciProbe(text), caps()).guests;
};
const rec = (gs: ReturnType<typeof withDevice>) => gs.find((g) => g.name === 'pci-rec')!;

describe('live attach after the last device is detached', () => {
  it('the host alone no longer tells that pci-rec can take a device live', () => {
    expect(rec(withDevice())).toMatchObject({ running: true, devices: ['0000:00:05.0'], liveAttach: true });
    expect(rec(detached())).toMatchObject({ running: true, devices: [], liveAttach: false });
  });

  it('a domain seen with a device keeps live attach; another domain of that name, or another host, does not', () => {
    const seen = new PassthroughSeen();
    const ids = new Map([['pci-rec', 7], ['pci-rechot', 8]]);
    seen.apply('h1', withDevice(), ids);
    expect(rec(seen.apply('h1', detached(), ids))).toMatchObject({ devices: [], liveAttach: true });
    // Started again: a new domid, started without devices this time.
    expect(rec(seen.apply('h1', detached(), new Map([['pci-rec', 9]])))).toMatchObject({ liveAttach: false });
    // And the old domain is forgotten once it is gone, even if its domid were seen again.
    expect(rec(seen.apply('h1', detached(), ids))).toMatchObject({ liveAttach: false });
    expect(rec(new PassthroughSeen().apply('h2', detached(), ids))).toMatchObject({ liveAttach: false });
  });

  it('a detach Domus ran notes the domain even if no inventory saw the device', () => {
    const seen = new PassthroughSeen();
    seen.note('h1', 'pci-rec', 7);
    expect(rec(seen.apply('h1', detached(), new Map([['pci-rec', 7]])))).toMatchObject({ liveAttach: true });
  });
});
