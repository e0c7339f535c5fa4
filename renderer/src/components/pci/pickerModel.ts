// What the PCI picker knows without React: which devices it offers, what a selection changes, and
// what is wrong with a selection (not assignable yet, needed by dom0, already in use, only some
// functions of a multi-function device). Pure, so it is tested on recorded lab inventories.
import type { PciDevice, PciInventory, PciOptions } from '../../../../electron/api/pci';

/** One device given to a guest: its address and its pci= options. */
export type PciSelection = { address: string; options: PciOptions };

/**
 * The devices a guest could be given: every non-bridge device. Assignable ones first; the others
 * are shown with their dom0 marks because they could be made assignable on the host's PCI page.
 */
export function pickerCandidates(inv: PciInventory, exclude: readonly string[] = []): PciDevice[] {
  const rank = (d: PciDevice) => (d.assignable ? 0 : d.dom0Needs.length ? 2 : 1);
  return inv.devices
    .filter((d) => !d.isBridge && !exclude.includes(d.bdf))
    .sort((a, b) => rank(a) - rank(b) || a.bdf.localeCompare(b.bdf));
}

export function isSelected(value: readonly PciSelection[], bdf: string): boolean {
  return value.some((s) => s.address === bdf);
}

/** Selects or unselects one device; a device selected again starts with no options. */
export function toggleSelection(value: readonly PciSelection[], bdf: string, on: boolean): PciSelection[] {
  const rest = value.filter((s) => s.address !== bdf);
  return on ? [...rest, { address: bdf, options: {} }] : rest;
}

/** Options with every default left out, so pci= names only what was chosen. */
export function cleanOptions(options: PciOptions): PciOptions {
  const clean: PciOptions = {};
  if (options.permissive) clean.permissive = true;
  if (options.msitranslate) clean.msitranslate = true;
  if (options.rdmPolicy) clean.rdmPolicy = options.rdmPolicy;
  if (options.seize) clean.seize = true;
  return clean;
}

/** Changes one selected device's options. */
export function setSelectionOptions(value: readonly PciSelection[], bdf: string, options: PciOptions): PciSelection[] {
  return value.map((s) => (s.address === bdf ? { address: bdf, options: cleanOptions(options) } : s));
}

export type SelectionIssue =
  /** dom0 needs it: only the host's PCI page can make it assignable, after typing its address. */
  | { kind: 'dom0-needs'; bdf: string }
  /** Not bound to pciback yet: make it assignable on the host's PCI page first (or seize it). */
  | { kind: 'not-assignable'; bdf: string }
  /** A running guest has it now: a device belongs to one guest at a time. */
  | { kind: 'in-use'; bdf: string; guests: string[] }
  /** Some functions of its slot are picked, others are not. */
  | { kind: 'partial-functions'; bdf: string; missing: string[] }
  /** Not on this host (a selection made before the list was read, or a device since removed). */
  | { kind: 'unknown'; bdf: string }
  /** The host has no active IOMMU at all. */
  | { kind: 'unavailable'; bdf: string };

/** Issues that stop the selection from working (the others are warnings the user may accept). */
export const BLOCKING: ReadonlySet<SelectionIssue['kind']> = new Set(['dom0-needs', 'not-assignable', 'in-use', 'unknown', 'unavailable']);

/**
 * Everything to tell about a selection, per device, in the order picked. `guest` is the guest
 * being given the devices: a device it already has running is not "in use" elsewhere.
 */
export function selectionIssues(inv: PciInventory, value: readonly PciSelection[], guest?: string): SelectionIssue[] {
  const issues: SelectionIssue[] = [];
  const picked = new Set(value.map((s) => s.address));
  for (const s of value) {
    const bdf = s.address;
    if (!inv.availability.available) {
      issues.push({ kind: 'unavailable', bdf });
      continue;
    }
    const d = inv.devices.find((x) => x.bdf === bdf);
    if (!d) {
      issues.push({ kind: 'unknown', bdf });
      continue;
    }
    if (d.dom0Needs.length) issues.push({ kind: 'dom0-needs', bdf });
    else if (!d.assignable && !s.options.seize) issues.push({ kind: 'not-assignable', bdf });
    const others = d.runningIn.filter((g) => g !== guest);
    if (others.length) issues.push({ kind: 'in-use', bdf, guests: others });
    const siblings = inv.devices.filter((x) => d.functions.includes(x.bdf) && !x.isBridge);
    const missing = siblings.filter((x) => !picked.has(x.bdf)).map((x) => x.bdf);
    if (missing.length) issues.push({ kind: 'partial-functions', bdf, missing });
  }
  return issues;
}

/** Whether the selection can be given to a guest as it is (no blocking issue). */
export function selectionUsable(inv: PciInventory, value: readonly PciSelection[], guest?: string): boolean {
  return !selectionIssues(inv, value, guest).some((i) => BLOCKING.has(i.kind));
}
