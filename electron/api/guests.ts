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
});
export type Guest = z.infer<typeof Guest>;
