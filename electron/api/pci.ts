// PCI passthrough: the host's devices, what dom0 needs, and giving devices to guests and back.
import { z } from 'zod';
import { HostId } from './hosts';

/** A PCI address with domain, "0000:00:05.0" (what lspci -D and xl print). */
export const Bdf = z.string().regex(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/, 'A PCI address looks like 0000:00:05.0.');
/** An xl guest name (what xl accepts and what /etc/xen/<name>.cfg is named after). */
export const GuestName = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/);

export const Dom0Need = z.object({
  kind: z.enum(['ssh-nic', 'storage', 'console', 'desktop']),
  /** What stops working if dom0 loses the device: facts (interface and client, mount points). */
  what: z.string(),
  /** Set when the need is inherited: this bridge leads to that device. */
  via: z.string().optional(),
});
export type Dom0Need = z.infer<typeof Dom0Need>;

export const PciDevice = z.object({
  bdf: Bdf,
  className: z.string(),
  classId: z.string().nullable(),
  vendorName: z.string(),
  vendorId: z.string().nullable(),
  deviceName: z.string(),
  deviceId: z.string().nullable(),
  /** The driver bound in dom0 ("pciback" when it is assignable), null when none. */
  driver: z.string().nullable(),
  /** Other functions of the same slot (bus:device). */
  functions: z.array(Bdf),
  /** The PCI bridges between the root and this device. */
  bridges: z.array(Bdf),
  /** Bound to pciback: ready for a guest. */
  assignable: z.boolean(),
  /** A bridge (class 06xx): never given to a guest. */
  isBridge: z.boolean(),
  dom0Needs: z.array(Dom0Need),
  /** Running guests that have it now. */
  runningIn: z.array(z.string()),
  /** Guest configs (/etc/xen/*.cfg) that list it in pci=. */
  configuredIn: z.array(z.object({ guest: z.string(), path: z.string() })),
});
export type PciDevice = z.infer<typeof PciDevice>;

export const PciGuest = z.object({
  name: z.string(),
  running: z.boolean(),
  /** Started with passthrough enabled or with devices: live attach works. */
  liveAttach: z.boolean(),
  devices: z.array(Bdf),
  configPath: z.string().nullable(),
  configPassthrough: z.string().nullable(),
  configDevices: z.array(Bdf),
});
export type PciGuest = z.infer<typeof PciGuest>;

export const PciAvailability = z.object({
  available: z.boolean(),
  pv: z.boolean(),
  hvm: z.boolean(),
  /** Why not, in a sentence, when unavailable. */
  reason: z.string().nullable(),
  virtCaps: z.array(z.string()),
});

export const PciPersistence = z.object({
  /** The dom0 kernel parameter that hides the devices from dom0 drivers at boot. */
  parameter: z.string().nullable(),
  /** Devices hidden on the running dom0's command line. */
  hiddenNow: z.array(Bdf),
  file: z.string().nullable(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** Configured for the next boot but not in effect: a reboot is required. */
  rebootRequired: z.boolean(),
  note: z.string(),
});
export type PciPersistence = z.infer<typeof PciPersistence>;

export const PciInventory = z.object({
  availability: PciAvailability,
  devices: z.array(PciDevice),
  guests: z.array(PciGuest),
  /** The address Domus's SSH connection comes from, as dom0 sees it. */
  clientAddress: z.string().nullable(),
  /** Warnings about multi-function devices split between dom0 and guests. */
  warnings: z.array(z.object({ slot: z.string(), assigned: z.array(Bdf), left: z.array(Bdf) })),
});
export type PciInventory = z.infer<typeof PciInventory>;

export const PciOptions = z
  .object({
    permissive: z.boolean().optional(),
    msitranslate: z.boolean().optional(),
    rdmPolicy: z.enum(['strict', 'relaxed']).optional(),
    seize: z.boolean().optional(),
  })
  .strict();
export type PciOptions = z.infer<typeof PciOptions>;

const ForDevice = { hostId: HostId, bdf: Bdf };

export const PciMethods = {
  'pci.list': { input: z.object({ hostId: HostId }).strict(), output: PciInventory },
  /** Binds the device to pciback. A device dom0 needs requires confirm = its address. */
  'pci.makeAssignable': { input: z.object({ ...ForDevice, confirm: z.string().max(32).optional() }).strict(), output: z.null() },
  /** Gives the device back to dom0 and rebinds its original driver. */
  'pci.giveBack': { input: z.object(ForDevice).strict(), output: z.null() },
  /** What making it survive reboots would change on the host (shown, not applied). */
  'pci.persistencePreview': { input: z.object({ hostId: HostId, bdfs: z.array(Bdf).max(64) }).strict(), output: PciPersistence },
  'pci.attach': { input: z.object({ ...ForDevice, guest: GuestName, options: PciOptions.default({}) }).strict(), output: z.null() },
  'pci.detach': { input: z.object({ ...ForDevice, guest: GuestName }).strict(), output: z.null() },
  /** Adds (or with remove, takes out) the device in the guest config's pci= for its next start. */
  'pci.configure': {
    input: z.object({ ...ForDevice, guest: GuestName, options: PciOptions.default({}), remove: z.boolean().default(false) }).strict(),
    output: z.null(),
  },
  /** Sets passthrough="enabled" in the guest's config so live attach works after its next start. */
  'pci.enablePassthrough': { input: z.object({ hostId: HostId, guest: GuestName }).strict(), output: z.null() },
} as const;
