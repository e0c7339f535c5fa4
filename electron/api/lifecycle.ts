// Guest lifecycle: start, shut down, reboot, pause/resume, force off, save/restore, delete,
// autostart; the guest's details, its xl.cfg (read and write) and its metric history.
import { z } from 'zod';
import { ConfigProblem } from './guests';
import { HostId } from './hosts';

/** A guest by its stable id (Guest.id). */
const GuestId = z.string().min(1).max(600);
export const ForGuest = z.object({ hostId: HostId, guestId: GuestId }).strict();

/** An absolute path on the host: no NUL, no newline, no ".." segment. */
export const HostPath = z
  .string()
  .min(2)
  .max(4096)
  .regex(/^\/[^\0\n\r]*$/, 'Give an absolute path on the host (starting with /).')
  .refine((p) => !p.split('/').includes('..'), 'A path on the host may not contain "..".');

export const GuestDiskInfo = z.object({
  /** The image path or device as the config names it. */
  target: z.string(),
  format: z.string().nullable(),
  vdev: z.string().nullable(),
  /** Bytes on the host, null when it could not be read (missing file, no permission). */
  sizeBytes: z.number().nullable(),
  /** A regular file Domus may offer to delete (block devices and CD images are never offered). */
  isFile: z.boolean(),
});
export type GuestDiskInfo = z.infer<typeof GuestDiskInfo>;

export const GuestDetails = z.object({
  configPath: z.string().nullable(),
  autostart: z.boolean(),
  uptimeSeconds: z.number().nullable(),
  /** From the running domain, or from the config while the guest is shut off. */
  disks: z.array(GuestDiskInfo),
  nics: z.array(z.object({ bridge: z.string().nullable(), mac: z.string().nullable() })),
  type: z.string().nullable(),
  kernel: z.string().nullable(),
});
export type GuestDetails = z.infer<typeof GuestDetails>;

/** Another user of a disk: a guest (running or only its config) or dom0 itself (guest null). */
export const DiskUser = z.object({
  guest: z.string().nullable(),
  access: z.enum(['rw', 'ro']),
  running: z.boolean(),
  /** dom0's use ("mounted at /", "swap"); null for a guest. */
  what: z.string().nullable(),
});
export type DiskUser = z.infer<typeof DiskUser>;

/**
 * Disks the user confirmed, by typing each one's path, as shared read-write with another guest on
 * purpose (a cluster filesystem). Never overrides dom0's use. Written to the task log.
 */
export const SharedDisks = z.array(z.string().max(4096)).max(16);

/**
 * A disk refusal's detail has one line per refused disk: "<path>: shared-with <users>" when a
 * typed confirmation may share it (another guest writes it), "<path>: held-by <users>" when not
 * (dom0 holds it). The UI reads the first kind back to offer the confirmation.
 */
export const diskRefusalLine = (target: string, overridable: boolean, users: string) => `${target}: ${overridable ? 'shared-with' : 'held-by'} ${users}`;

export function shareableRefusals(detail: string | undefined): { path: string; users: string }[] {
  return (detail ?? '')
    .split('\n')
    .map((l) => /^(\/.*?): shared-with (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ path: m[1], users: m[2] }));
}

/**
 * A shutdown refused because the guest is paused: the detail's first line says so, the rest is
 * xl's own listing. The UI reads it back to offer Resume and Force off.
 */
export const pausedRefusalDetail = (xlList: string) => `state: paused\n${xlList}`;
export const isPausedRefusal = (e: { code: string; detail?: string }) => e.code === 'conflict' && (e.detail ?? '').startsWith('state: paused\n');

export const DeletePlan = z.object({
  configPath: z.string(),
  autostartLink: z.string().nullable(),
  /** usedBy: the other guests (and dom0) using the disk; ticking such a disk needs its path typed. */
  disks: z.array(GuestDiskInfo.extend({ usedBy: z.array(DiskUser) })),
  /** The config's backups and the save images written for this guest. */
  extras: z.array(z.object({ path: z.string(), kind: z.enum(['backup', 'save']), sizeBytes: z.number().nullable() })),
});
export type DeletePlan = z.infer<typeof DeletePlan>;

/** A save image (`xl save`) on the host, as the host's save directory holds it. */
export const SaveImage = z.object({
  path: z.string(),
  /** The guest the image holds (from the config xl wrote into it), null when unreadable. */
  guest: z.string().nullable(),
  sizeBytes: z.number(),
  /** When the file was last written (ms since the epoch). */
  savedAt: z.number(),
});
export type SaveImage = z.infer<typeof SaveImage>;

/** One guest's history: parallel arrays, oldest first, one sample a second (at most 10 min). */
export const GuestSeries = z.object({
  t: z.array(z.number()),
  cpuPercent: z.array(z.number().nullable()),
  memoryMiB: z.array(z.number().nullable()),
  netRxKiBs: z.array(z.number().nullable()),
  netTxKiBs: z.array(z.number().nullable()),
  diskReadsPs: z.array(z.number().nullable()),
  diskWritesPs: z.array(z.number().nullable()),
});
export type GuestSeries = z.infer<typeof GuestSeries>;

export const HostSeries = z.object({
  t: z.array(z.number()),
  /** The sum of every domain's CPU %, over all physical CPUs (100 % = one CPU busy). */
  cpuPercent: z.array(z.number().nullable()),
  /** Memory held by domains (the sum of their current memory). */
  usedMiB: z.array(z.number().nullable()),
  totalMiB: z.number().nullable(),
  nrCpus: z.number().nullable(),
  /** Times of the per-physical-CPU samples (their own stream, so their own clock ticks). */
  pcpuT: z.array(z.number()),
  /** Busy % of each physical CPU (pcpuPercent[cpu][sample], 100 = that CPU never idle); empty
   *  when the host cannot measure it. */
  pcpuPercent: z.array(z.array(z.number().nullable())),
});
export type HostSeries = z.infer<typeof HostSeries>;

const Nothing = z.null();

export const LifecycleMethods = {
  /** Refused (conflict) when a running guest writes one of its disks or dom0 holds one. */
  'guests.start': { input: ForGuest.extend({ paused: z.boolean().optional(), sharedDisks: SharedDisks.optional() }).strict(), output: Nothing },
  /** Asks the guest to shut down and waits; fails with code "timeout" when it does not. */
  'guests.shutdown': {
    input: ForGuest.extend({ timeoutSeconds: z.number().int().min(5).max(3600).optional() }).strict(),
    output: Nothing,
  },
  'guests.reboot': { input: ForGuest, output: Nothing },
  'guests.pause': { input: ForGuest, output: Nothing },
  'guests.resume': { input: ForGuest, output: Nothing },
  /** Force off: `xl destroy`. */
  'guests.destroy': { input: ForGuest, output: Nothing },
  'guests.save': { input: ForGuest.extend({ path: HostPath }).strict(), output: z.object({ path: z.string() }) },
  'guests.restore': {
    input: z.object({ hostId: HostId, path: HostPath, paused: z.boolean().optional() }).strict(),
    output: Nothing,
  },
  /** The save images in the host's save directory (/var/lib/xen/save), newest first. */
  'guests.saveImages': { input: z.object({ hostId: HostId }).strict(), output: z.array(SaveImage) },
  'guests.deletePlan': { input: ForGuest, output: DeletePlan },
  /**
   * Removes the config, its autostart link and exactly the disk images listed in `disks` and the
   * backups / save images listed in `extras`. A disk another guest uses must also be in
   * `sharedDisks` (its path typed by the user); a disk dom0 uses is never removed.
   */
  'guests.delete': {
    input: ForGuest.extend({
      disks: z.array(z.string().max(4096)).max(64),
      extras: z.array(z.string().max(4096)).max(256).optional(),
      sharedDisks: SharedDisks.optional(),
    }).strict(),
    output: z.object({ removed: z.array(z.string()) }),
  },
  'guests.setAutostart': { input: ForGuest.extend({ enabled: z.boolean() }).strict(), output: Nothing },
  'guests.details': { input: ForGuest, output: GuestDetails },
  'guests.readConfig': { input: ForGuest, output: z.object({ path: z.string(), text: z.string() }) },
  /**
   * Runs the host checks (boot files, bridges, disks, PCI devices, memory floor, maxmem, maxvcpus,
   * unique name) and `xl create -n` on `text`, then replaces the file atomically and keeps the
   * previous version as <path>.bak. `baseText` is what the user started editing from: when the
   * file changed since, nothing is written (conflict). A disk another guest writes or dom0 holds
   * is refused (conflict) unless listed in sharedDisks (guest-vs-guest only). When a host check
   * finds an error nothing is written (`written: false` and the problems) unless `saveAnyway`,
   * which the task records.
   */
  'guests.writeConfig': {
    input: ForGuest.extend({ text: z.string().max(256_000), baseText: z.string().max(256_000), sharedDisks: SharedDisks.optional(), saveAnyway: z.boolean().optional() }).strict(),
    output: z.object({ path: z.string(), written: z.boolean(), backupPath: z.string().nullable(), problems: z.array(ConfigProblem) }),
  },
  'metrics.guest': { input: ForGuest, output: GuestSeries },
  'metrics.host': { input: z.object({ hostId: HostId }).strict(), output: HostSeries },
} as const;
