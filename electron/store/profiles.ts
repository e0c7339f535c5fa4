// Connection profiles: hosts.json in the user's config directory, written atomically. Passwords
// and passphrases are never in it: they live in the SecretStore under the profile's id.
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic, readJsonOrQuarantine } from './atomicFile';

export const Profile = z.discriminatedUnion('kind', [
  z.object({
    id: z.string(),
    kind: z.literal('ssh'),
    name: z.string(),
    address: z.string(),
    port: z.number().int(),
    user: z.string(),
    auth: z.discriminatedUnion('method', [
      z.object({ method: z.literal('agent') }),
      z.object({ method: z.literal('key'), keyPath: z.string() }),
      z.object({ method: z.literal('password') }),
    ]),
    sudo: z.boolean(),
    sshConfigAlias: z.string().optional(),
    /**
     * The address and port before an edit moved the profile, until the new endpoint has a key of
     * its own: the key presented there is compared with the one trusted here.
     */
    keyFrom: z.object({ address: z.string(), port: z.number().int() }).optional(),
  }),
  z.object({ id: z.string(), kind: z.literal('local'), name: z.string() }),
]);
export type Profile = z.infer<typeof Profile>;

const ProfilesFile = z.object({ version: z.literal(1), hosts: z.array(Profile) });

export class ProfileStore {
  private readonly file: string;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(configDir: string) {
    this.file = path.join(configDir, 'hosts.json');
  }

  /** The saved profiles, and a sentence for the user when the file was unreadable and set aside. */
  async load(): Promise<{ profiles: Profile[]; problem?: string }> {
    const r = await readJsonOrQuarantine(this.file, ProfilesFile);
    return { profiles: r.value?.hosts ?? [], ...(r.problem ? { problem: r.problem } : {}) };
  }

  save(profiles: readonly Profile[]): Promise<void> {
    const data = JSON.stringify({ version: 1, hosts: profiles }, null, 2) + '\n';
    const run = this.writes.then(() => writeFileAtomic(this.file, data, 0o600));
    this.writes = run.catch(() => undefined);
    return run;
  }
}

export const secretKey = (hostId: string, what: 'password' | 'passphrase') => `host:${hostId}:${what}`;
