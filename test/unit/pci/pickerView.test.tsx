// @vitest-environment jsdom
// The picker as a person uses it, on an inventory built from a recorded lab probe: it lists the
// devices with names and marks, ticking one reports the selection with its options, a device not
// assignable yet is explained, and seize shows its warning.
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { parseXlInfo } from '../../../electron/drivers/xl/parse';
import { availabilityFromXlInfo, buildPciInventory } from '../../../electron/drivers/xl/pci';
import { parsePciProbe } from '../../../electron/drivers/xl/pciSafety';
import type { PciInventory } from '../../../electron/api/pci';
import { PciSelectionList, type PciSelection } from '../../../renderer/src/components/pci/PciPicker';
import { initI18n } from '../../../renderer/src/i18n';

const inv = () => buildPciInventory(parsePciProbe(labFixture('pci-probe').stdout), parseXlInfo(labFixture('xl-info').stdout).virtCaps);

function Harness({ inventory, seen }: { inventory: PciInventory; seen: PciSelection[][] }) {
  const [value, setValue] = useState<PciSelection[]>([]);
  return (
    <PciSelectionList
      inv={inventory}
      value={value}
      onChange={(v) => {
        seen.push(v);
        setValue(v);
      }}
    />
  );
}

describe('pci picker (rendered)', () => {
  beforeAll(async () => {
    await initI18n('en');
  });
  afterEach(cleanup);

  it('lists devices with names and marks; picking the e1000 explains it is not assignable yet; seize warns', async () => {
    const seen: PciSelection[][] = [];
    render(<Harness inventory={inv()} seen={seen} />);
    const table = screen.getByRole('table', { name: 'Devices for the guest' });
    const e1000 = within(table).getByRole('row', { name: '0000:00:05.0' });
    expect(e1000.textContent).toContain('82540EM Gigabit Ethernet Controller');
    expect(e1000.textContent).toContain('Not assignable yet');
    within(table).getByLabelText('0000:00:03.0 is needed by dom0');
    expect(within(table).queryByRole('row', { name: '0000:00:1f.0' })).toBeNull(); // a bridge

    await userEvent.click(screen.getByRole('checkbox', { name: 'Select 0000:00:05.0' }));
    expect(seen.at(-1)).toEqual([{ address: '0000:00:05.0', options: {} }]);
    screen.getByText(/0000:00:05\.0 is not assignable yet: make it assignable first on the host's PCI page/);

    const opts = screen.getByRole('group', { name: 'Options for 0000:00:05.0' });
    await userEvent.click(within(opts).getByRole('checkbox', { name: /seize/ }));
    expect(seen.at(-1)).toEqual([{ address: '0000:00:05.0', options: { seize: true } }]);
    within(opts).getByText(/seize unbinds the device from its dom0 driver/);
    expect(screen.queryByText(/is not assignable yet/)).toBeNull();
  });

  it('without an IOMMU it says why and lists nothing to pick', () => {
    // The availability Domus reads on the alternative lab (recorded xl info, Xen booted iommu=0).
    const i = { ...inv(), availability: availabilityFromXlInfo(labFixture('xl-info-noiommu').stdout) };
    render(<Harness inventory={i} seen={[]} />);
    screen.getByText(/Xen was booted with "iommu=0"/);
    expect(screen.queryByRole('table')).toBeNull();
  });
});
