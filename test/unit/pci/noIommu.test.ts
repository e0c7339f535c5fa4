// A host without an IOMMU (xl info recorded on the lab booted without the emulated VT-d): the PCI
// page says passthrough is unavailable and why, and the methods that would fail (or half-do their
// work, like pci-assignable-add binding pciback and then failing to quarantine) are refused up
// front with that reason. What repairs or only shows stays allowed.
import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { availabilityFromXlInfo, buildPciInventory, passthroughAvailability, passthroughRefusal, refusedWithoutIommu } from '../../../electron/drivers/xl/pci';
import { parsePciProbe } from '../../../electron/drivers/xl/pciSafety';
import { PciMethods } from '../../../electron/api/pci';

// xl info of the alternative lab (booted with iommu=0), and of the usual lab (emulated VT-d).
const noIommu = () => availabilityFromXlInfo(labFixture('xl-info-noiommu').stdout);
const withIommu = () => availabilityFromXlInfo(labFixture('xl-info').stdout);

describe('pci without an IOMMU', () => {
  it('availability is off with a reason a person understands, naming iommu=0', () => {
    const a = noIommu();
    expect(a).toMatchObject({ available: false, pv: false, hvm: false });
    expect(a.reason).toBe('Xen was booted with "iommu=0", so the IOMMU is off and no device can be given to a guest.');
    // Without Xen's command line (capabilities alone) the reason still says what is missing.
    expect(passthroughAvailability(a.virtCaps).reason).toMatch(/no active IOMMU/);
    expect(buildPciInventory(parsePciProbe(labFixture('pci-probe').stdout), a.virtCaps).availability.available).toBe(false);
  });

  it('refuses every method that would fail, with that reason, and nothing else', () => {
    const a = noIommu();
    const refused = Object.keys(PciMethods).filter((m) => passthroughRefusal(a, m) !== null);
    expect(refused.sort()).toEqual(['pci.attach', 'pci.configure', 'pci.detach', 'pci.enablePassthrough', 'pci.makeAssignable']);
    for (const m of refused) expect(passthroughRefusal(a, m)).toMatchObject({ code: 'unsupported', message: a.reason });
    // Taking a device out of a config, giving one back (after a half-done assignable-add) and the
    // boot preview are allowed: they repair or only show.
    expect(passthroughRefusal(a, 'pci.configure', { remove: true })).toBeNull();
    expect(passthroughRefusal(a, 'pci.giveBack')).toBeNull();
    expect(passthroughRefusal(a, 'pci.persistencePreview')).toBeNull();
  });

  it('with the lab\'s IOMMU nothing is refused', () => {
    const a = withIommu();
    expect(a.available).toBe(true);
    for (const m of Object.keys(PciMethods)) expect(passthroughRefusal(a, m)).toBeNull();
    expect(refusedWithoutIommu('pci.attach')).toBe(true);
  });
});
