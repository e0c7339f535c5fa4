// The foundation's methods: app info, host profiles and connections, the live inventory.
import { randomBytes } from 'node:crypto';
import { DomusError } from '../../api/errors';
import type { HostProfileInput, HostSummary } from '../../api/hosts';
import type { KnownHosts } from '../../store/knownHosts';
import { secretKey, type ProfileStore, type Profile } from '../../store/profiles';
import { SshConfigFile } from '../../store/sshConfig';
import { HostConnection } from '../hostConnection';
import { hostOf, type BackendContext, type Handlers } from '../context';
import { appVersion } from '../environment';
import { localXenNow } from '../localXen';
import { LIVE_LEASE_MS, LiveViewers } from '../liveViewers';

type HostMethodName =
  | 'app.info' | 'hosts.list' | 'hosts.add' | 'hosts.update' | 'hosts.remove' | 'hosts.connect' | 'hosts.disconnect'
  | 'hosts.trustKey' | 'hosts.forgetKey' | 'hosts.sshConfigAliases' | 'host.info' | 'guests.list' | 'hosts.watchLive';

type SshInput = Extract<HostProfileInput, { kind: 'ssh' }>;
type SshProfile = Extract<Profile, { kind: 'ssh' }>;

/** The stored form of an SSH profile: secrets are left out (they go to the SecretStore). */
function sshProfile(id: string, input: SshInput): SshProfile {
  const auth = input.auth.method === 'key' ? { method: 'key' as const, keyPath: input.auth.keyPath } : { method: input.auth.method };
  return {
    id,
    kind: 'ssh',
    name: input.name,
    address: input.address,
    port: input.port,
    user: input.user,
    auth,
    sudo: input.sudo,
    ...(input.sshConfigAlias ? { sshConfigAlias: input.sshConfigAlias } : {}),
  };
}

export interface HostRegistry {
  store: ProfileStore;
  knownHosts: KnownHosts;
}

/** Creates a host's connection and wires its events to the bus. */
export function attachHost(ctx: BackendContext, reg: HostRegistry, profile: Profile): HostConnection {
  const conn = new HostConnection(profile, { knownHosts: reg.knownHosts, secrets: ctx.secrets });
  conn.on('summary', (s) => ctx.bus.emit('connection.state', s));
  conn.on('host', (info) => ctx.bus.emit('host.changed', { hostId: profile.id, info }));
  conn.on('guests', (delta) => ctx.bus.emit('guests.changed', { hostId: profile.id, ...delta }));
  conn.on('stats', (stats) => ctx.bus.emit('guests.stats', { hostId: profile.id, stats }));
  ctx.hosts.set(profile.id, conn);
  return conn;
}

export function hostHandlers(ctx: BackendContext, reg: HostRegistry): Handlers<HostMethodName> {
  const { hosts } = ctx;
  const version = appVersion();
  const host = (id: string) => hostOf(ctx, id);
  const viewers = new LiveViewers((id, watched) => hosts.get(id)?.setWatched(watched));
  const attach = (p: Profile) => {
    const conn = attachHost(ctx, reg, p);
    conn.setWatched(viewers.isWatched(p.id));
    return conn;
  };
  const announce = (s: HostSummary) => ctx.bus.emit('connection.state', s);
  const persist = () => reg.store.save([...hosts.values()].map((h) => h.profile));
  const persistOrSay = async () => {
    try {
      await persist();
    } catch (err) {
      throw new DomusError('internal', 'Domus could not save the host list.', (err as Error).message);
    }
  };
  /** One profile per user@address:port; `except` is the profile being edited. */
  const refuseDuplicate = (input: SshInput, except?: string) => {
    const dup = [...hosts.values()].find(
      (h) => h.id !== except && h.profile.kind === 'ssh' && h.profile.address === input.address && h.profile.port === input.port && h.profile.user === input.user,
    );
    if (dup) throw new DomusError('conflict', `${input.user}@${input.address}:${input.port} is already in Domus as "${dup.profile.name}".`);
  };

  return {
    async 'app.info'() {
      const local = await localXenNow();
      return {
        version,
        mode: ctx.mode,
        localXen: local.offered,
        local,
        secretsPersistent: ctx.secrets.persistent,
        startupProblems: ctx.startupProblems,
      };
    },

    async 'hosts.list'() {
      return [...hosts.values()].map((h) => h.summary());
    },

    async 'hosts.add'({ profile: input }) {
      const id = randomBytes(6).toString('hex');
      let profile: Profile;
      if (input.kind === 'local') {
        const local = await localXenNow();
        if (!local.offered) throw new DomusError('unsupported', local.reason ?? 'Domus cannot manage Xen on this computer.');
        if ([...hosts.values()].some((h) => h.profile.kind === 'local')) throw new DomusError('conflict', 'This computer is already in Domus.');
        profile = { id, kind: 'local', name: input.name };
      } else {
        refuseDuplicate(input);
        profile = sshProfile(id, input);
        if (input.auth.method === 'password') {
          if (!input.auth.password) throw new DomusError('invalid_input', 'Enter the password for this host.');
          await ctx.secrets.set(secretKey(id, 'password'), input.auth.password);
        }
        if (input.auth.method === 'key' && input.auth.passphrase) {
          await ctx.secrets.set(secretKey(id, 'passphrase'), input.auth.passphrase);
        }
      }
      const conn = attach(profile);
      try {
        await persist();
      } catch (err) {
        hosts.delete(id);
        throw new DomusError('internal', 'Domus could not save the host list.', (err as Error).message);
      }
      const summary = conn.summary();
      announce(summary);
      return summary;
    },

    async 'hosts.update'({ hostId, profile: input }) {
      const conn = host(hostId);
      const before = conn.profile;
      if (before.kind !== input.kind) {
        throw new DomusError('invalid_input', 'A host cannot change between "this computer" and SSH; remove it and add it again.');
      }
      if (before.kind === 'local' || input.kind === 'local') {
        conn.updateProfile({ ...before, name: input.name });
        await persistOrSay();
        return conn.summary();
      }
      refuseDuplicate(input, hostId);
      const next = sshProfile(hostId, input);
      const moved = before.address !== next.address || before.port !== next.port;
      // The key trusted where the host was is what it must present where it is now.
      const keyFrom = moved ? (before.keyFrom ?? { address: before.address, port: before.port }) : before.keyFrom;
      if (keyFrom && (keyFrom.address !== next.address || keyFrom.port !== next.port)) next.keyFrom = keyFrom;
      const pw = secretKey(hostId, 'password');
      const pass = secretKey(hostId, 'passphrase');
      if (input.auth.method === 'password' && !input.auth.password && !(await ctx.secrets.get(pw))) {
        throw new DomusError('invalid_input', 'Enter the password for this host.');
      }
      // A new secret is saved before the profile changes (a live host reconnects with it at once);
      // secrets the new method does not use go only once the profile is saved.
      if (input.auth.method === 'password' && input.auth.password) await ctx.secrets.set(pw, input.auth.password);
      if (input.auth.method === 'key' && input.auth.passphrase) await ctx.secrets.set(pass, input.auth.passphrase);
      conn.updateProfile(next);
      try {
        await persistOrSay();
      } catch (err) {
        conn.updateProfile(before);
        throw err;
      }
      if (input.auth.method !== 'password') await ctx.secrets.delete(pw);
      if (input.auth.method !== 'key') await ctx.secrets.delete(pass);
      const summary = conn.summary();
      announce(summary);
      return summary;
    },

    async 'hosts.forgetKey'({ hostId, confirmName }) {
      const conn = host(hostId);
      const p = conn.profile;
      if (p.kind !== 'ssh') throw new DomusError('invalid_input', 'This computer has no host key to forget.');
      if (confirmName.trim() !== p.name.trim()) {
        throw new DomusError('invalid_input', `Type the host's name, ${p.name}, to confirm that Domus should forget its key.`);
      }
      const removed = (await reg.knownHosts.forget(p.address, p.port)) + (conn.dropKeyFrom() ? 1 : 0);
      // Nothing of Domus's was in the way (the old key is in ~/.ssh/known_hosts): the question
      // stays as it is, and the dialog says where the key is.
      if (removed === 0) return { removed, host: conn.summary() };
      await persistOrSay();
      conn.disconnect();
      conn.connect();
      return { removed, host: conn.summary() };
    },

    async 'hosts.remove'({ hostId }) {
      const conn = host(hostId);
      conn.disconnect();
      conn.removeAllListeners();
      hosts.delete(hostId);
      await persist();
      await ctx.secrets.delete(secretKey(hostId, 'password'));
      await ctx.secrets.delete(secretKey(hostId, 'passphrase'));
      ctx.bus.emit('connection.state', { ...conn.summary(), removed: true });
      return null;
    },

    async 'hosts.connect'({ hostId }) {
      const conn = host(hostId);
      conn.connect();
      return conn.summary();
    },

    async 'hosts.disconnect'({ hostId }) {
      const conn = host(hostId);
      conn.disconnect();
      return conn.summary();
    },

    async 'hosts.trustKey'({ hostId, fingerprint }) {
      const conn = host(hostId);
      await conn.trustKey(fingerprint);
      return conn.summary();
    },

    async 'hosts.sshConfigAliases'() {
      const file = await SshConfigFile.read(ctx.sshConfigFile);
      return file.aliases().map((alias) => {
        const r = file.resolve(alias);
        return { alias, hostName: r.hostName, port: r.port, user: r.user, ...(r.identityFile[0] ? { identityFile: r.identityFile[0] } : {}) };
      });
    },

    async 'host.info'({ hostId }) {
      return host(hostId).hostInfo();
    },

    async 'guests.list'({ hostId }) {
      return host(hostId).guests();
    },

    async 'hosts.watchLive'({ viewer, hostIds }) {
      viewers.set(viewer, hostIds);
      return { leaseMs: LIVE_LEASE_MS };
    },

  };
}
