// Hosts: connection profiles, their live connection state, and what each host is.
import { z } from 'zod';

export const HostId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

const Hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9._:[\]-]+$/, 'An address has only letters, digits, dots, colons and dashes.');
const Username = z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/);

export const SshAuth = z.discriminatedUnion('method', [
  z.object({ method: z.literal('agent') }),
  z.object({
    method: z.literal('key'),
    keyPath: z.string().min(1).max(4096),
    /** Only on input: stored in the SecretStore, never in the profile. */
    passphrase: z.string().max(1024).optional(),
  }),
  z.object({
    method: z.literal('password'),
    /** Only on input: stored in the SecretStore, never in the profile. */
    password: z.string().max(1024).optional(),
  }),
]);
export type SshAuth = z.infer<typeof SshAuth>;

export const HostProfileInput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ssh'),
    name: z.string().trim().min(1).max(80),
    address: Hostname,
    port: z.number().int().min(1).max(65535).default(22),
    user: Username.default('root'),
    auth: SshAuth,
    /** Run the toolstack through `sudo -n` (for a non-root login). */
    sudo: z.boolean().default(false),
    /** The ~/.ssh/config Host alias this profile came from, if any. */
    sshConfigAlias: z.string().max(255).optional(),
  }),
  z.object({
    kind: z.literal('local'),
    name: z.string().trim().min(1).max(80),
  }),
]);
export type HostProfileInput = z.infer<typeof HostProfileInput>;

/** awaitingKey: the host presented a key Domus does not know; the user checks it before anything else. */
export const ConnectionState = z.enum(['disconnected', 'connecting', 'connected', 'reconnecting', 'awaitingKey', 'failed']);
export type ConnectionState = z.infer<typeof ConnectionState>;

/** Present when the last attempt stopped at the host key: the UI shows it and asks. */
export const HostKeyProblem = z.object({
  kind: z.enum(['unknown', 'changed', 'revoked']),
  keyType: z.string(),
  fingerprint: z.string(),
  knownFingerprints: z.array(z.string()).default([]),
});
export type HostKeyProblem = z.infer<typeof HostKeyProblem>;

export const HostSummary = z.object({
  id: HostId,
  name: z.string(),
  kind: z.enum(['ssh', 'local']),
  address: z.string().optional(),
  port: z.number().optional(),
  user: z.string().optional(),
  authMethod: z.enum(['agent', 'key', 'password']).optional(),
  /** The private key file, for the edit dialog (a path, not a secret). */
  keyPath: z.string().optional(),
  sudo: z.boolean().optional(),
  state: ConnectionState,
  /** Why the connection failed or is reconnecting: a sentence a person understands. */
  reason: z.string().optional(),
  detail: z.string().optional(),
  hostKey: HostKeyProblem.optional(),
});
export type HostSummary = z.infer<typeof HostSummary>;

export const HostInfo = z.object({
  hostname: z.string(),
  xenVersion: z.string(),
  toolstack: z.enum(['xl', 'xapi']),
  nrCpus: z.number(),
  cpuMhz: z.number().optional(),
  nrNodes: z.number().optional(),
  totalMemoryMiB: z.number(),
  freeMemoryMiB: z.number(),
  scheduler: z.string(),
  capabilities: z.object({
    pv: z.boolean(),
    pvh: z.boolean(),
    hvm: z.boolean(),
    passthrough: z.boolean(),
  }),
  virtCaps: z.array(z.string()),
  dom0Kernel: z.string().optional(),
  /** Per physical CPU load in percent, from the live stream when available. */
  updatedAt: z.number(),
});
export type HostInfo = z.infer<typeof HostInfo>;

export const SshConfigAlias = z.object({
  alias: z.string(),
  hostName: z.string(),
  port: z.number(),
  user: z.string().optional(),
  identityFile: z.string().optional(),
});
export type SshConfigAlias = z.infer<typeof SshConfigAlias>;
