// Guests as the UI sees them, free of toolstack details: the xl driver and (later) the XenAPI
// driver both produce this shape.
import { z } from 'zod';

export const GuestState = z.enum(['running', 'blocked', 'paused', 'shutdown', 'crashed', 'dying', 'shut off']);
export type GuestState = z.infer<typeof GuestState>;

export const GuestDisk = z.object({
  target: z.string(),
  vdev: z.string().optional(),
  format: z.string().optional(),
  readOnly: z.boolean().optional(),
  cdrom: z.boolean().optional(),
});

export const GuestNic = z.object({
  mac: z.string().optional(),
  bridge: z.string().optional(),
  model: z.string().optional(),
});

/**
 * One thing in a guest's config that the host checks found (configChecks): a key and line of the
 * config, and a sentence naming both. "error": xl will refuse to start the guest (or the kernel
 * will not boot); "warning": worth knowing, does not stop a start.
 */
export const ConfigProblem = z.object({
  key: z.string(),
  line: z.number().int().nullable(),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  /** The figures in the message, for a UI that words it itself (e.g. memory and floor in MiB). */
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type ConfigProblem = z.infer<typeof ConfigProblem>;

export const Guest = z.object({
  /** Stable across reboots: "uuid:<uuid>", or "config:<path>" for a stopped guest without a UUID. */
  id: z.string(),
  name: z.string(),
  state: GuestState,
  type: z.enum(['pv', 'pvh', 'hvm']).nullable(),
  domid: z.number().nullable(),
  uuid: z.string().nullable(),
  isControlDomain: z.boolean(),
  vcpus: z.number(),
  memoryMiB: z.number(),
  maxMemoryMiB: z.number().nullable(),
  cpuPercent: z.number().nullable(),
  cpuSeconds: z.number().nullable(),
  netTxKiB: z.number().nullable(),
  netRxKiB: z.number().nullable(),
  diskReads: z.number().nullable(),
  diskWrites: z.number().nullable(),
  disks: z.array(GuestDisk),
  nics: z.array(GuestNic),
  pci: z.array(z.string()),
  configPath: z.string().nullable(),
  /** What the host checks found in the config of a guest that is not running; absent when not
   *  checked (running, no config, or the check could not run). */
  configProblems: z.array(ConfigProblem).optional(),
});
export type Guest = z.infer<typeof Guest>;

/** What a live sample changes, once a second, in a guest that is otherwise as it was. */
export const LIVE_GUEST_FIELDS = [
  'state', 'cpuPercent', 'cpuSeconds', 'memoryMiB', 'netTxKiB', 'netRxKiB', 'diskReads', 'diskWrites',
] as const satisfies readonly (keyof Guest)[];

/**
 * The live fields of the guests a sample changed, one column per field (index i of every column
 * is guest ids[i]). A sample of 900 running guests is about a sixth of the same guests in full,
 * and checking columns of numbers costs a fraction of checking 900 guest objects.
 */
export const GuestStats = z
  .object({
    ids: z.array(z.string()),
    state: z.array(GuestState),
    cpuPercent: z.array(z.number().nullable()),
    cpuSeconds: z.array(z.number().nullable()),
    memoryMiB: z.array(z.number()),
    netTxKiB: z.array(z.number().nullable()),
    netRxKiB: z.array(z.number().nullable()),
    diskReads: z.array(z.number().nullable()),
    diskWrites: z.array(z.number().nullable()),
  })
  .refine((s) => LIVE_GUEST_FIELDS.every((f) => s[f].length === s.ids.length), { message: 'every column has one value per id' });
export type GuestStats = z.infer<typeof GuestStats>;
