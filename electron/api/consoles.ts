// Consoles: a guest's text console (`xl console` on a pty) and its graphical console (VNC,
// tunnelled through the host connection), both as byte streams (see wire.ts for the protocol).
import { z } from 'zod';
import { HostId } from './hosts';

/** A domain name as xl accepts it on the command line (no spaces, no leading dash). */
export const ConsoleGuest = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'A guest name has only letters, digits, "_", "." and "-".');

export const ConsoleKind = z.enum(['text', 'vnc']);
export type ConsoleKind = z.infer<typeof ConsoleKind>;
export const TextConsoleType = z.enum(['pv', 'serial']);
export type TextConsoleType = z.infer<typeof TextConsoleType>;

export const StreamId = z.string().regex(/^[0-9a-f]{32}$/);

export const ConsoleOpened = z.object({
  streamId: StreamId,
  /** Spent by the first attach; a stream cannot be attached twice. */
  token: z.string(),
  kind: ConsoleKind,
  textType: TextConsoleType.optional(),
  guest: z.string(),
  /** The domain the console is attached to; a reboot gives the guest a new one. */
  domid: z.number().int().nonnegative(),
});
export type ConsoleOpened = z.infer<typeof ConsoleOpened>;

/**
 * What the host's console daemon does when a console reader falls behind the guest: 'discard'
 * (xenconsoled's default: it drops output beyond 1 MiB), 'keep' (the guest waits, nothing lost),
 * 'unknown' (not found).
 */
export const ConsoleOverflow = z.enum(['discard', 'keep', 'unknown']);
export type ConsoleOverflow = z.infer<typeof ConsoleOverflow>;

export const SysrqKey = z.string().regex(/^[a-z0-9]$/, 'A SysRq key is one lower-case letter or digit.');

export const ConsoleMethods = {
  'console.open': {
    input: z
      .object({
        hostId: HostId,
        guest: ConsoleGuest,
        kind: ConsoleKind,
        /** Omitted: the guest's own (serial for HVM, PV console otherwise). */
        textType: TextConsoleType.optional(),
        cols: z.number().int().min(2).max(1000).optional(),
        rows: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    output: ConsoleOpened,
  },
  'console.close': { input: z.object({ streamId: StreamId }).strict(), output: z.object({ closed: z.boolean() }) },
  /** How the host's xenconsoled treats console output a slow reader has not taken yet. */
  'console.hostCheck': { input: z.object({ hostId: HostId }).strict(), output: z.object({ overflow: ConsoleOverflow }) },
  /** `xl sysrq <guest> <key>` (PV guests and HVM guests with PV drivers). */
  'console.sysrq': { input: z.object({ hostId: HostId, guest: ConsoleGuest, key: SysrqKey }).strict(), output: z.null() },
  /** Ctrl-Alt-Del to an HVM guest's emulated keyboard, through its device model. */
  'console.ctrlAltDel': { input: z.object({ hostId: HostId, guest: ConsoleGuest }).strict(), output: z.null() },
} as const;
