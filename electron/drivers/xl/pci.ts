// PCI passthrough on xl hosts: the device list (lspci + sysfs + xl + guest configs, joined), whether
// the host can pass devices through at all, the boot-time hide preview, the argv of each operation
// and xl's failures turned into sentences.
import { DomusError } from '../../api/errors';
import type { PciDevice, PciGuest, PciInventory, PciOptions, PciPersistence } from '../../api/pci';
import { parseLspciDnnmm, parseXlError, parseXlInfo } from './parse';
import { bdfsOfPciSetting, dom0Needs, type PciProbe } from './pciSafety';

export const PCIBACK_DRIVERS = new Set(['pciback', 'xen-pciback']);

const slotOf = (bdf: string) => bdf.slice(0, -2);

/** Whether Xen can pass devices through: virt_caps carries pv_directio / hvm_directio with an active IOMMU. */
export function passthroughAvailability(virtCaps: string[], xenCommandline?: string | null): PciInventory['availability'] {
  const pv = virtCaps.includes('pv_directio');
  const hvm = virtCaps.includes('hvm_directio');
  let reason: string | null = null;
  if (!pv && !hvm) {
    const off = /(^|\s)iommu=(0|off|no|false)\b/.exec(xenCommandline ?? '');
    reason = off
      ? `Xen was booted with "${off[0].trim()}", so the IOMMU is off and no device can be given to a guest.`
      : 'Xen reports no active IOMMU (its capabilities lack pv_directio and hvm_directio): VT-d / AMD-Vi is missing or switched off in the firmware, or Xen was booted without it. No device can be given to a guest until it is on.';
  }
  return { available: pv || hvm, pv, hvm, reason, virtCaps };
}

/** Availability from a full `xl info`: its virt_caps decide, its xen_commandline names the reason. */
export function availabilityFromXlInfo(stdout: string): PciInventory['availability'] {
  const info = parseXlInfo(stdout);
  return passthroughAvailability(info.virtCaps, info.xenCommandline);
}

/**
 * The pci methods that cannot work without an IOMMU, and so are refused up front with the reason
 * instead of leaving xl to half-do them: pci-assignable-add binds pciback and then fails to
 * quarantine (the device ends up half assigned), pci-attach/-detach fail in xc_assign_device, and
 * a config with pci= or passthrough="enabled" no longer starts ("passthrough not supported on this
 * platform"). Giving a device back, removing it from a config and the boot preview stay allowed:
 * they repair or only show.
 */
export function refusedWithoutIommu(method: string, input: { remove?: boolean } = {}): boolean {
  switch (method) {
    case 'pci.makeAssignable':
    case 'pci.attach':
    case 'pci.detach':
    case 'pci.enablePassthrough':
      return true;
    case 'pci.configure':
      return !input.remove;
    default:
      return false;
  }
}

/** The refusal for a method on a host without passthrough, or null when it may run. */
export function passthroughRefusal(availability: PciInventory['availability'], method: string, input: { remove?: boolean } = {}): DomusError | null {
  if (availability.available || !refusedWithoutIommu(method, input)) return null;
  return new DomusError('unsupported', availability.reason ?? 'This host cannot pass devices through.');
}

/** Running guests can take a device live only when they were started with passthrough or with devices. */
export function liveAttachPossible(passthrough: string | null, devices: string[]): boolean {
  return devices.length > 0 || (passthrough !== null && passthrough !== '' && passthrough !== 'disabled');
}

export function buildPciInventory(
  probe: PciProbe,
  virtCaps: string[],
  xenCommandline?: string | null,
): PciInventory {
  const lspci = parseLspciDnnmm((probe.sections.lspci ?? []).join('\n'));
  const sysfs = new Map(probe.sysfs.map((s) => [s.bdf, s]));
  const needs = dom0Needs(probe);
  const assignable = new Set(probe.assignable);
  const configs = probe.configs.map((c) => ({ ...c, devices: bdfsOfPciSetting(c.pciText) }));

  const running = new Map<string, string[]>();
  for (const g of probe.guests) for (const d of g.devices) running.set(d.bdf, [...(running.get(d.bdf) ?? []), g.name]);

  const all = lspci.map((d) => d.bdf);
  const devices: PciDevice[] = lspci.map((d) => {
    const s = sysfs.get(d.bdf);
    const driver = s?.driver ?? null;
    return {
      bdf: d.bdf,
      className: d.className,
      classId: d.classId,
      vendorName: d.vendorName,
      vendorId: d.vendorId,
      deviceName: d.deviceName,
      deviceId: d.deviceId,
      driver,
      functions: all.filter((b) => b !== d.bdf && slotOf(b) === slotOf(d.bdf)),
      bridges: (s?.path ?? []).filter((b) => b !== d.bdf),
      assignable: assignable.has(d.bdf) || (driver !== null && PCIBACK_DRIVERS.has(driver)),
      isBridge: (d.classId ?? '').startsWith('06'),
      dom0Needs: needs.get(d.bdf) ?? [],
      runningIn: running.get(d.bdf) ?? [],
      configuredIn: configs.filter((c) => c.devices.includes(d.bdf)).map((c) => ({ guest: c.name ?? c.path, path: c.path })),
    };
  });

  const guestNames = new Set([...probe.guests.map((g) => g.name), ...configs.flatMap((c) => (c.name ? [c.name] : []))]);
  const guests: PciGuest[] = [...guestNames].sort().map((name) => {
    const g = probe.guests.find((x) => x.name === name);
    const c = configs.find((x) => x.name === name);
    const devs = g?.devices.map((d) => d.bdf) ?? [];
    return {
      name,
      running: !!g,
      liveAttach: !!g && liveAttachPossible(g.passthrough, devs),
      devices: devs,
      configPath: c?.path ?? null,
      configPassthrough: c?.passthrough ?? null,
      configDevices: c?.devices ?? [],
    };
  });

  // A multi-function device half given away: the functions share the slot, often its reset too.
  const warnings: PciInventory['warnings'] = [];
  const given = (d: PciDevice) => d.assignable || d.runningIn.length > 0;
  const slots = new Map<string, PciDevice[]>();
  for (const d of devices) slots.set(slotOf(d.bdf), [...(slots.get(slotOf(d.bdf)) ?? []), d]);
  for (const [slot, fns] of slots) {
    if (fns.length < 2 || fns.some((d) => d.isBridge)) continue;
    const assigned = fns.filter(given).map((d) => d.bdf);
    if (assigned.length && assigned.length < fns.length) warnings.push({ slot, assigned, left: fns.filter((d) => !given(d)).map((d) => d.bdf) });
  }

  return {
    availability: passthroughAvailability(virtCaps, xenCommandline),
    devices,
    guests,
    clientAddress: probe.clients[0]?.address ?? null,
    warnings,
  };
}

/** The pci= entry for a device: "0000:00:05.0,permissive=1,rdm_policy=relaxed". */
export function pciSpec(bdf: string, o: PciOptions = {}): string {
  const parts = [bdf];
  if (o.permissive !== undefined) parts.push(`permissive=${o.permissive ? 1 : 0}`);
  if (o.msitranslate !== undefined) parts.push(`msitranslate=${o.msitranslate ? 1 : 0}`);
  if (o.rdmPolicy) parts.push(`rdm_policy=${o.rdmPolicy}`);
  if (o.seize !== undefined) parts.push(`seize=${o.seize ? 1 : 0}`);
  return parts.join(',');
}

export const pciArgv = {
  assignableAdd: (bdf: string) => ['xl', 'pci-assignable-add', bdf],
  assignableRemove: (bdf: string) => ['xl', 'pci-assignable-remove', '-r', bdf],
  attach: (guest: string, bdf: string, o: PciOptions = {}) => ['xl', 'pci-attach', '--', guest, pciSpec(bdf, o)],
  detach: (guest: string, bdf: string) => ['xl', 'pci-detach', '--', guest, bdf],
  probe: (script: string) => ['sh', '-c', script],
};

// xl's texts for the common failures (the lab's NOTES list them) and what they mean to a person.
const MEANINGS: [RegExp, (op: string) => string][] = [
  [/passthrough not supported on this platform/, () => 'This host has no active IOMMU, so it cannot give devices to guests.'],
  [/is not assignable/, () => 'The device is not assignable yet: make it assignable first (bind it to pciback), or use "seize".'],
  [/xc_assign_device failed: Operation not supported/, () =>
    'The guest was started without passthrough, so no device can be attached while it runs. Enable passthrough in its config and start it again (or give it the device in its config).'],
  [/failed to quarantine/, () => 'Xen could not quarantine the device; this host probably has no active IOMMU.'],
  [/failed to de-quarantine/, () => 'Xen could not take the device out of quarantine; this host probably has no active IOMMU.'],
  [/unable to remove device/, () => 'The device is not attached to that guest, so it cannot be detached.'],
  [/is an invalid domain identifier/, () => 'No guest of that name is running.'],
  [/not owned by pciback|No such device|does not exist/i, () => 'There is no such PCI device on this host.'],
];

/** A DomusError that says what failed in a sentence, with xl's own text as the detail. */
export function pciError(op: string, stderr: string): DomusError {
  const e = parseXlError(stderr);
  const hit = MEANINGS.find(([re]) => e.lines.some((l) => re.test(l)));
  const message = hit ? hit[1](op) : `xl could not ${op}${e.summary ? `: ${e.summary}` : '.'}`;
  return new DomusError('command_failed', message, e.lines.join('\n') || undefined);
}

/** xen-pciback.hide=(BDF)(BDF) for the dom0 kernel command line. */
export function hideParameter(bdfs: string[]): string | null {
  return bdfs.length ? `xen-pciback.hide=${[...new Set(bdfs)].sort().map((b) => `(${b})`).join('')}` : null;
}

function hiddenIn(text: string): string[] {
  const m = /xen-pciback\.hide=((?:\([^)]*\))+)/.exec(text);
  return m ? [...m[1].matchAll(/\(([^)]*)\)/g)].map((x) => x[1].toLowerCase()) : [];
}

/**
 * What making the devices survive a reboot would change: the hide parameter on dom0's kernel line
 * (GRUB_CMDLINE_LINUX in /etc/default/grub where GRUB is used). Only shown; Domus does not apply it.
 */
export function persistencePreview(probe: PciProbe, bdfs: string[]): PciPersistence {
  const hiddenNow = hiddenIn(probe.cmdline);
  const parameter = hideParameter([...hiddenNow, ...bdfs]);
  const grubLine = probe.grub.find((l) => /^\s*GRUB_CMDLINE_LINUX=/.test(l)) ?? null;
  const configured = probe.grub.flatMap(hiddenIn);
  const rebootRequired = configured.some((b) => !hiddenNow.includes(b));
  if (!grubLine) {
    return {
      parameter,
      hiddenNow,
      file: null,
      before: probe.cmdline || null,
      after: parameter ? [probe.cmdline.replace(/\s*xen-pciback\.hide=\S+/, ''), parameter].filter(Boolean).join(' ') : null,
      rebootRequired,
      note: 'This host has no /etc/default/grub: add the parameter to the dom0 kernel command line in its boot loader, then reboot.',
    };
  }
  const m = /^(\s*GRUB_CMDLINE_LINUX=)(["']?)(.*?)\2\s*$/.exec(grubLine);
  const value = (m?.[3] ?? '').replace(/\s*xen-pciback\.hide=\S+/, '').trim();
  const q = m?.[2] || '"';
  return {
    parameter,
    hiddenNow,
    file: '/etc/default/grub',
    before: grubLine,
    after: `${m?.[1] ?? 'GRUB_CMDLINE_LINUX='}${q}${[value, parameter].filter(Boolean).join(' ')}${q}`,
    rebootRequired,
    note: 'Then run update-grub and reboot; until the reboot the devices stay as they are now.',
  };
}
