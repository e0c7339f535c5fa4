// THE CONTRACT: every method the renderer may call, with its input and output schemas. Both
// adapters (ipcMain in main.ts, WebSocket in serve.ts) validate through these before dispatching.
import { z } from 'zod';
import { HostId, HostInfo, HostProfileInput, HostSummary, SshConfigAlias } from './hosts';
import { Guest } from './guests';

const None = z.object({}).strict();
const ForHost = z.object({ hostId: HostId }).strict();

export const Methods = {
  'app.info': {
    input: None,
    output: z.object({
      version: z.string(),
      mode: z.enum(['electron', 'browser']),
      localXen: z.boolean(),
      /** False when saved secrets only last for this session (SecretStore.persistent): the UI says so. */
      secretsPersistent: z.boolean().optional(),
    }),
  },
  'hosts.list': { input: None, output: z.array(HostSummary) },
  'hosts.add': { input: z.object({ profile: HostProfileInput }).strict(), output: HostSummary },
  'hosts.remove': { input: ForHost, output: z.null() },
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
} as const;

export type MethodName = keyof typeof Methods;
export type MethodInput<M extends MethodName> = z.input<(typeof Methods)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.infer<(typeof Methods)[M]['output']>;

/** What the backend (electron/hosts) implements; the dispatcher calls it with validated input. */
export type Backend = {
  [M in MethodName]: (input: z.infer<(typeof Methods)[M]['input']>) => Promise<MethodOutput<M>>;
};
