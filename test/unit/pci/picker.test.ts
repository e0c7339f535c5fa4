// The PCI picker's rules on inventories built from recorded lab probes: which devices it offers,
// and what it says about a selection (needed by dom0, not assignable yet, in use, partial slot).
import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { parseXlInfo } from '../../../electron/drivers/xl/parse';
import { buildPciInventory } from '../../../electron/drivers/xl/pci';
import { parsePciProbe } from '../../../electron/drivers/xl/pciSafety';
import {
  pickerCandidates,
  selectionIssues,
  selectionUsable,
  setSelectionOptions,
  toggleSelection,
} from '../../../renderer/src/components/pci/pickerModel';

const LAB_CAPS = parseXlInfo(labFixture('xl-info').stdout).virtCaps;
const idle = () => buildPciInventory(parsePciProbe(labFixture('pci-probe').stdout), LAB_CAPS);
const assigned = () => buildPciInventory(parsePciProbe(labFixture('pci-probe-assigned').stdout), LAB_CAPS);
const E1000 = '0000:00:05.0';
const SSH_NIC = '0000:00:03.0';

describe('pci picker', () => {
  it('offers every non-bridge device, assignable first, devices dom0 needs last', () => {
    const list = pickerCandidates(assigned()).map((d) => d.bdf);
    expect(list[0]).toBe(E1000);
    expect(list).not.toContain('0000:00:00.0'); // host bridge
    expect(list).not.toContain('0000:00:1f.0'); // ISA bridge
    expect(list.indexOf(SSH_NIC)).toBeGreaterThan(list.indexOf('0000:00:1f.3'));
    expect(pickerCandidates(assigned(), [E1000]).map((d) => d.bdf)).not.toContain(E1000);
  });

  it('select, set options (defaults left out), unselect', () => {
    let v = toggleSelection([], E1000, true);
    expect(v).toEqual([{ address: E1000, options: {} }]);
    v = setSelectionOptions(v, E1000, { permissive: true, msitranslate: false, rdmPolicy: 'relaxed', seize: false });
    expect(v).toEqual([{ address: E1000, options: { permissive: true, rdmPolicy: 'relaxed' } }]);
    expect(toggleSelection(v, E1000, false)).toEqual([]);
  });

  it('the e1000 still bound to e1000 must be made assignable first, unless seized', () => {
    const inv = idle();
    const v = toggleSelection([], E1000, true);
    expect(selectionIssues(inv, v)).toEqual([{ kind: 'not-assignable', bdf: E1000 }]);
    expect(selectionUsable(inv, v)).toBe(false);
    expect(selectionUsable(inv, setSelectionOptions(v, E1000, { seize: true }))).toBe(true);
  });

  it('the NIC carrying SSH is needed by dom0: blocking, and seize does not lift it', () => {
    const inv = idle();
    const v = setSelectionOptions(toggleSelection([], SSH_NIC, true), SSH_NIC, { seize: true });
    expect(selectionIssues(inv, v)).toEqual([{ kind: 'dom0-needs', bdf: SSH_NIC }]);
    expect(selectionUsable(inv, v)).toBe(false);
  });

  it('an assignable device a running guest has is in use, except for that guest itself', () => {
    const inv = assigned();
    const v = toggleSelection([], E1000, true);
    expect(selectionIssues(inv, v)).toEqual([{ kind: 'in-use', bdf: E1000, guests: ['pci-rec'] }]);
    expect(selectionUsable(inv, v, 'pci-rec')).toBe(true);
  });

  it('warns (without blocking) when only some functions of a multi-function device are picked', () => {
    // The lab's multi-function slot 00:1f holds a bridge (never counted), SATA and SMBus; with the
    // SATA function made assignable, picking it alone leaves the SMBus function behind.
    const p = parsePciProbe(labFixture('pci-probe').stdout);
    p.assignable = ['0000:00:1f.2', '0000:00:1f.3'];
    const inv = buildPciInventory(p, LAB_CAPS);
    inv.devices.find((d) => d.bdf === '0000:00:1f.2')!.dom0Needs = [];
    const one = toggleSelection([], '0000:00:1f.2', true);
    expect(selectionIssues(inv, one)).toEqual([{ kind: 'partial-functions', bdf: '0000:00:1f.2', missing: ['0000:00:1f.3'] }]);
    expect(selectionUsable(inv, one)).toBe(true);
    expect(selectionIssues(inv, toggleSelection(one, '0000:00:1f.3', true))).toEqual([]);
  });

  it('without an IOMMU (recorded no-IOMMU xl info) every selection is refused', () => {
    const f = labFixture('xl-info-noiommu');
    // The reference kept only the virt_caps and xen_commandline lines of that xl info.
    const caps = /^virt_caps\s*:\s*(.*)$/m.exec(f.stdout)![1].split(/\s+/);
    const inv = buildPciInventory(parsePciProbe(labFixture('pci-probe').stdout), caps);
    expect(selectionIssues(inv, toggleSelection([], E1000, true))).toEqual([{ kind: 'unavailable', bdf: E1000 }]);
  });

  it('a selection of an address the host does not have is refused', () => {
    expect(selectionIssues(idle(), toggleSelection([], '0000:09:00.0', true))).toEqual([{ kind: 'unknown', bdf: '0000:09:00.0' }]);
  });
});
