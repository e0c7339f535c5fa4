// Creating guests: the wizard's answers, what the host offers for them, the page rules, the
// config preview and the create / duplicate operations, plus the wizard templates kept on this
// computer. The renderer sends answers (intent); the xl driver turns them into an xl.cfg and a
// disk plan. The page rules live here because both sides run them: the wizard before "Next", the
// backend again before anything is created.
import { z } from 'zod';
import { HostId } from './hosts';
import { HostPath, ForGuest, SharedDisks } from './lifecycle';
import { Bdf, GuestName, PciOptions } from './pci';

export const GuestType = z.enum(['pv', 'pvh', 'hvm']);
export type GuestType = z.infer<typeof GuestType>;

/** Image formats Domus creates; vhd is qemu-img's "vpc" and xl's "vhd". */
export const ImageFormat = z.enum(['raw', 'qcow2', 'vhd']);
export type ImageFormat = z.infer<typeof ImageFormat>;

/** An LVM name (volume group or logical volume): what lvcreate accepts, no leading dash. */
const LvmName = z.string().min(1).max(127).regex(/^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$/);
const SizeMiB = z.number().int().min(1).max(64 * 1024 * 1024);

export const DiskAnswer = z.discriminatedUnion('kind', [
  /** A new image file (raw is sparse), made with qemu-img create. */
  z.object({ kind: z.literal('new'), path: HostPath, format: ImageFormat, sizeMiB: SizeMiB }).strict(),
  /** A new logical volume in a volume group. */
  z.object({ kind: z.literal('lvm'), vg: LvmName, lv: LvmName, sizeMiB: SizeMiB }).strict(),
  /** An image or block device already on the host, used in place (format null: a device). */
  z.object({ kind: z.literal('existing'), path: HostPath, format: ImageFormat.nullable() }).strict(),
  /** A copy of an image already on the host (import / duplicate): qemu-img convert. */
  z.object({ kind: z.literal('copy'), source: HostPath, path: HostPath, format: ImageFormat }).strict(),
  /** An HVM CD-ROM drive with an ISO in it, or empty. */
  z.object({ kind: z.literal('cdrom'), path: HostPath.nullable() }).strict(),
]);
export type DiskAnswer = z.infer<typeof DiskAnswer>;

export const BootAnswer = z.discriminatedUnion('kind', [
  /** A kernel (and ramdisk, command line) in dom0's filesystem: PV and PVH boot it, HVM through QEMU. */
  z.object({ kind: z.literal('kernel'), kernel: HostPath, ramdisk: HostPath.nullable(), cmdline: z.string().max(1024).regex(/^[^\n\r\0]*$/) }).strict(),
  /** PV: pygrub reads the kernel from the guest's first disk. */
  z.object({ kind: z.literal('pygrub') }).strict(),
  /** PVH: a firmware image (e.g. grub's PVH build) loaded as the kernel. */
  z.object({ kind: z.literal('firmware'), path: HostPath }).strict(),
  /** HVM: boot the installer ISO (it is the guest's CD-ROM). */
  z.object({ kind: z.literal('iso'), iso: HostPath }).strict(),
  /** HVM: PXE from the first network card. */
  z.object({ kind: z.literal('network') }).strict(),
  /** HVM: boot the first disk. */
  z.object({ kind: z.literal('disk') }).strict(),
]);
export type BootAnswer = z.infer<typeof BootAnswer>;

export const Mac = z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i, 'A MAC address looks like 00:16:3e:12:34:56.');
export const NicModel = z.enum(['e1000', 'rtl8139']);
const Bridge = z.string().min(1).max(15).regex(/^[A-Za-z0-9_.-]+$/);

export const NicAnswer = z.object({ bridge: Bridge, mac: Mac, model: NicModel.nullable() }).strict();
export type NicAnswer = z.infer<typeof NicAnswer>;

export const PciAnswer = z.object({ address: Bdf, options: PciOptions }).strict();

export const CreateAnswers = z
  .object({
    name: GuestName,
    type: GuestType,
    boot: BootAnswer,
    vcpus: z.number().int().min(1).max(512),
    maxVcpus: z.number().int().min(1).max(512),
    memoryMiB: z.number().int().min(16).max(16 * 1024 * 1024),
    maxMemoryMiB: z.number().int().min(16).max(16 * 1024 * 1024),
    /** In order: the first is the boot disk. */
    disks: z.array(DiskAnswer).max(16),
    nics: z.array(NicAnswer).max(8),
    pci: z.array(PciAnswer).max(16),
    /** passthrough="enabled": PCI devices can be hot-plugged later even without any now. */
    passthroughEnabled: z.boolean(),
    /** HVM only: a VNC display on dom0's 127.0.0.1. */
    vnc: z.boolean(),
    vncPassword: z.string().max(8).regex(/^[^\n\r\0"'\\]*$/).nullable(),
  })
  .strict();
export type CreateAnswers = z.infer<typeof CreateAnswers>;

export const WizardPage = z.enum(['name', 'boot', 'cpu', 'storage', 'network', 'devices', 'review']);
export type WizardPage = z.infer<typeof WizardPage>;

/** One thing wrong with the answers: where, a code the UI translates, and an English sentence. */
export const Problem = z.object({
  page: WizardPage,
  field: z.string(),
  code: z.string(),
  /** A warning lets the user go on (more vCPUs than the host has); an error does not. */
  severity: z.enum(['error', 'warning']),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  message: z.string(),
});
export type Problem = z.infer<typeof Problem>;

export const TypeOffer = z.object({ available: z.boolean(), reason: z.string().nullable() });

/** What the host offers the wizard, read once when it opens. */
export const CreateFacts = z.object({
  types: z.object({ pv: TypeOffer, pvh: TypeOffer, hvm: TypeOffer }),
  nrCpus: z.number(),
  totalMemoryMiB: z.number(),
  freeMemoryMiB: z.number(),
  /** Names taken by running guests and by configs in /etc/xen. */
  usedNames: z.array(z.string()),
  bridges: z.array(z.string()),
  volumeGroups: z.array(z.object({ name: z.string(), freeMiB: z.number() })),
  storageDir: z.string(),
  configDir: z.string(),
});
export type CreateFacts = z.infer<typeof CreateFacts>;

export const HostEntry = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['dir', 'file', 'link', 'block', 'other']),
  sizeBytes: z.number(),
});
export type HostEntry = z.infer<typeof HostEntry>;

export const DiskPlanStep = z.object({
  action: z.enum(['create', 'lvcreate', 'copy', 'use']),
  target: z.string(),
  format: z.string().nullable(),
  sizeMiB: z.number().nullable(),
  vdev: z.string(),
});

export const CreatePreview = z.object({
  configPath: z.string(),
  configText: z.string(),
  disks: z.array(DiskPlanStep),
  problems: z.array(Problem),
});
export type CreatePreview = z.infer<typeof CreatePreview>;

export const CreateResult = z.object({
  name: z.string(),
  configPath: z.string(),
  /** What this operation made on the host (files, volumes, the config). */
  created: z.array(z.string()),
  started: z.boolean(),
});
export type CreateResult = z.infer<typeof CreateResult>;

export const CreateTemplate = z.object({
  id: z.string(),
  label: z.string(),
  savedAt: z.number(),
  answers: CreateAnswers,
});
export type CreateTemplate = z.infer<typeof CreateTemplate>;

/** What a config says, for the review's summary (from an edited text, or from the answers). */
export const ConfigSummary = z.object({
  name: z.string().nullable(),
  type: GuestType,
  boot: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('kernel'), kernel: z.string(), ramdisk: z.string().nullable(), cmdline: z.string().nullable() }),
    z.object({ kind: z.literal('bootloader'), bootloader: z.string() }),
    /** HVM from its CD-ROM drive (the ISO in it, if any). */
    z.object({ kind: z.literal('iso'), iso: z.string().nullable() }),
    z.object({ kind: z.literal('network') }),
    z.object({ kind: z.literal('disk') }),
    /** PV or PVH with neither a kernel nor a bootloader: xl cannot boot it. */
    z.object({ kind: z.literal('none') }),
  ]),
  /** null: the key is not in the config (xl's default applies). */
  vcpus: z.number().nullable(),
  maxVcpus: z.number().nullable(),
  memoryMiB: z.number().nullable(),
  maxMemoryMiB: z.number().nullable(),
  nics: z.array(z.object({ bridge: z.string().nullable(), mac: z.string().nullable(), model: z.string().nullable() })),
});
export type ConfigSummary = z.infer<typeof ConfigSummary>;

/** A summary, or why the text could not be read as xl.cfg. */
export const DescribedConfig = z.object({ summary: ConfigSummary.nullable(), problem: z.string().nullable() });
export type DescribedConfig = z.infer<typeof DescribedConfig>;

/** A directory to list: like HostPath, but "/" itself is allowed. */
const BrowseDir = z.union([z.literal('/'), HostPath]);

/** Config text the user edited in the review's advanced mode (replaces the generated one). */
const ConfigText = z.string().min(1).max(256_000);

export const DuplicateDisk = z.object({
  /** The disk target in the source config. */
  source: z.string().max(4096),
  mode: z.enum(['copy', 'new', 'share']),
  path: HostPath.nullable(),
  format: ImageFormat.nullable(),
  sizeMiB: SizeMiB.nullable(),
}).strict();

export const CreateMethods = {
  'create.facts': { input: z.object({ hostId: HostId }).strict(), output: CreateFacts },
  /** One directory on the host (no recursion), for picking kernels, ISOs and images. */
  'create.browse': {
    input: z.object({ hostId: HostId, dir: BrowseDir }).strict(),
    output: z.object({ dir: z.string(), entries: z.array(HostEntry) }),
  },
  /** The xl.cfg and disk plan the answers make, with every problem the host shows. Changes nothing. */
  'create.preview': { input: z.object({ hostId: HostId, answers: CreateAnswers, sharedDisks: SharedDisks.optional() }).strict(), output: CreatePreview },
  /** `xl create -n` on edited config text (in a temporary file removed afterwards). */
  'create.dryRun': {
    input: z.object({ hostId: HostId, configText: ConfigText }).strict(),
    output: z.object({ ok: z.boolean(), message: z.string().nullable(), detail: z.string().nullable() }),
  },
  /** What edited config text says (boot, CPU, memory, network), for the review's summary. Reads only the text. */
  'create.describe': { input: z.object({ hostId: HostId, configText: ConfigText }).strict(), output: DescribedConfig },
  /** Creates the disks, writes /etc/xen/<name>.cfg (never over an existing one), starts if asked. */
  'create.create': {
    input: z.object({ hostId: HostId, answers: CreateAnswers, configText: ConfigText.nullable(), start: z.boolean(), sharedDisks: SharedDisks.optional() }).strict(),
    output: CreateResult,
  },
  /** What duplicating a guest would copy: its disks, a suggested name. */
  'create.duplicatePlan': {
    input: ForGuest,
    output: z.object({
      sourceName: z.string(),
      suggestedName: z.string(),
      disks: z.array(z.object({ target: z.string(), format: z.string().nullable(), vdev: z.string().nullable(), isFile: z.boolean(), cdrom: z.boolean(), sizeBytes: z.number().nullable() })),
    }),
  },
  'create.duplicate': {
    input: ForGuest.extend({ name: GuestName, disks: z.array(DuplicateDisk).max(16), start: z.boolean(), sharedDisks: SharedDisks.optional() }).strict(),
    output: CreateResult,
  },
  'create.listTemplates': { input: z.object({}).strict(), output: z.array(CreateTemplate) },
  'create.saveTemplate': {
    input: z.object({ label: z.string().trim().min(1).max(80), answers: CreateAnswers }).strict(),
    output: CreateTemplate,
  },
  'create.deleteTemplate': { input: z.object({ id: z.string().min(1).max(64) }).strict(), output: z.null() },
} as const;
