// Methods of the foundation: the app, host profiles and connections, the live inventory.
import { z } from 'zod';
import { HostId, HostInfo, HostProfileInput, HostSummary, SshConfigAlias } from './hosts';
import { Guest } from './guests';
import { ForHost, None } from './common';

/** "This computer" as a host: offered where Domus runs on dom0 (or xl reaches a hypervisor). */
export const LocalXen = z.object({
  /** The Add host dialog offers "This computer". */
  offered: z.boolean(),
  /** Domus can run the toolstack here now (as root, or through `sudo -n` without a password). */
  available: z.boolean(),
  /** Why it is not offered, or what Domus needs before it can connect: a sentence to show. */
  reason: z.string().nullable(),
  /** For a non-root user without the rights: the sudoers line that gives them. */
  sudoRule: z.string().nullable(),
});
export type LocalXen = z.infer<typeof LocalXen>;

export const HostMethods = {
  'app.info': {
    input: None,
    output: z.object({
      version: z.string(),
      mode: z.enum(['electron', 'browser']),
      /** Same as local.offered (kept for older renderers). */
      localXen: z.boolean(),
      local: LocalXen.optional(),
      /** False when saved secrets only last for this session (SecretStore.persistent): the UI says so. */
      secretsPersistent: z.boolean().optional(),
      /** Sentences about files Domus could not read at start (set aside, not replaced). */
      startupProblems: z.array(z.string()).default([]),
    }),
  },
  'hosts.list': { input: None, output: z.array(HostSummary) },
  'hosts.add': { input: z.object({ profile: HostProfileInput }).strict(), output: HostSummary },
  'hosts.remove': { input: ForHost, output: z.null() },
  /**
   * Changes a profile in place (its id, task history and metrics stay). A password or passphrase
   * left out keeps the saved one. A new address or port keeps the trusted key only if the host
   * presents that same key on the next connection; another key is reported as changed.
   */
  'hosts.update': { input: z.object({ hostId: HostId, profile: HostProfileInput }).strict(), output: HostSummary },
  /**
   * Drops the host keys Domus's own store holds for the host (not the user's ~/.ssh/known_hosts),
   * after the user typed the host's name to confirm, and connects again so the key is checked anew.
   */
  'hosts.forgetKey': {
    input: z.object({ hostId: HostId, confirmName: z.string().max(80) }).strict(),
    output: z.object({ removed: z.number().int().nonnegative(), host: HostSummary }),
  },
  /** Starts connecting; progress and failures arrive as connection.state events. */
  'hosts.connect': { input: ForHost, output: HostSummary },
  'hosts.disconnect': { input: ForHost, output: HostSummary },
  /** Records the key the host presented (the fingerprint the user saw) as trusted, then connects. */
  'hosts.trustKey': {
    input: z.object({ hostId: HostId, fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/) }).strict(),
    output: HostSummary,
  },
  'hosts.sshConfigAliases': { input: None, output: z.array(SshConfigAlias) },
  'host.info': { input: ForHost, output: HostInfo.nullable() },
  'guests.list': { input: ForHost, output: z.array(Guest) },
  /**
   * A window says which hosts' live figures it shows now (none while it is hidden): a lease of
   * LIVE_LEASE_MS that the window renews. Hosts nobody watches are sampled slower.
   */
  'hosts.watchLive': {
    input: z.object({ viewer: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), hostIds: z.array(HostId).max(100) }).strict(),
    output: z.object({ leaseMs: z.number().int().positive() }),
  },
} as const;
