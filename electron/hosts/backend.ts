// The backend behind the contract: holds every host's connection and live state, routes calls
// to it, and fans driver events out on the bus. Both adapters (Electron, browser mode) use it.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventBus } from '../api/dispatcher';
import { DomusError } from '../api/errors';
import type { HostSummary } from '../api/hosts';
import type { Backend } from '../api/methods';
import { KnownHosts } from '../store/knownHosts';
import { ProfileStore, secretKey, type Profile } from '../store/profiles';
import type { SecretStore } from '../store/secretStore';
import { SshConfigFile } from '../store/sshConfig';
import { HostConnection } from './hostConnection';

export interface BackendOptions {
  configDir: string;
  secrets: SecretStore;
  bus: EventBus;
  mode: 'electron' | 'browser';
  /** Defaults to ~/.ssh/known_hosts; null reads no user file (tests). */
  userKnownHosts?: string | null;
  /** Defaults to ~/.ssh/config. */
  sshConfigFile?: string;
}

export type DomusBackend = Backend & { close(): Promise<void> };

function appVersion(): string {
  try {
    const here = path.dirname(fileURLToPath(import.meta.url));
    for (const rel of ['../../package.json', '../package.json', '../../../package.json']) {
      const p = path.join(here, rel);
      if (existsSync(p)) {
        const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'domus' && pkg.version) return pkg.version;
      }
    }
  } catch {
    // fall through
  }
  return '0.0.0';
}

/** Dom0 exposes /proc/xen/capabilities containing "control_d". */
function runsOnDom0(): boolean {
  try {
    return readFileSync('/proc/xen/capabilities', 'utf8').includes('control_d');
  } catch {
    return false;
  }
}

export async function createBackend(opts: BackendOptions): Promise<DomusBackend> {
  const store = new ProfileStore(opts.configDir);
  const knownHosts = new KnownHosts({
    domusFile: path.join(opts.configDir, 'known_hosts'),
    ...(opts.userKnownHosts !== undefined ? { userFile: opts.userKnownHosts } : {}),
  });
  const { profiles, problem } = await store.load();
  if (problem) console.error(`domus: ${problem}`);
  const hosts = new Map<string, HostConnection>();
  const version = appVersion();

  const announce = (s: HostSummary) => opts.bus.emit('connection.state', s);

  const attach = (profile: Profile): HostConnection => {
    const conn = new HostConnection(profile, { knownHosts, secrets: opts.secrets });
    conn.on('summary', announce);
    conn.on('host', (info) => opts.bus.emit('host.changed', { hostId: profile.id, info }));
    conn.on('guests', (delta) => opts.bus.emit('guests.changed', { hostId: profile.id, ...delta }));
    hosts.set(profile.id, conn);
    return conn;
  };
  for (const p of profiles) attach(p);

  const host = (id: string): HostConnection => {
    const h = hosts.get(id);
    if (!h) throw new DomusError('not_found', 'That host is not in Domus (it may have been removed).');
    return h;
  };
  const persist = () => store.save([...hosts.values()].map((h) => h.profile));

  return {
    async 'app.info'() {
      return { version, mode: opts.mode, localXen: runsOnDom0(), secretsPersistent: opts.secrets.persistent };
    },

    async 'hosts.list'() {
      return [...hosts.values()].map((h) => h.summary());
    },

    async 'hosts.add'({ profile: input }) {
      const id = randomBytes(6).toString('hex');
      let profile: Profile;
      if (input.kind === 'local') {
        if (!runsOnDom0()) throw new DomusError('unsupported', 'This computer is not a Xen control domain (dom0), so Domus cannot manage it directly.');
        profile = { id, kind: 'local', name: input.name };
      } else {
        const dup = [...hosts.values()].find(
          (h) => h.profile.kind === 'ssh' && h.profile.address === input.address && h.profile.port === input.port && h.profile.user === input.user,
        );
        if (dup) throw new DomusError('conflict', `${input.user}@${input.address}:${input.port} is already in Domus as "${dup.profile.name}".`);
        const auth =
          input.auth.method === 'key' ? { method: 'key' as const, keyPath: input.auth.keyPath } : { method: input.auth.method };
        profile = {
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
        if (input.auth.method === 'password') {
          if (!input.auth.password) throw new DomusError('invalid_input', 'Enter the password for this host.');
          await opts.secrets.set(secretKey(id, 'password'), input.auth.password);
        }
        if (input.auth.method === 'key' && input.auth.passphrase) {
          await opts.secrets.set(secretKey(id, 'passphrase'), input.auth.passphrase);
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

    async 'hosts.remove'({ hostId }) {
      const conn = host(hostId);
      conn.disconnect();
      conn.removeAllListeners();
      hosts.delete(hostId);
      await persist();
      await opts.secrets.delete(secretKey(hostId, 'password'));
      await opts.secrets.delete(secretKey(hostId, 'passphrase'));
      opts.bus.emit('connection.state', { ...conn.summary(), removed: true });
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
      const file = await SshConfigFile.read(opts.sshConfigFile);
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

    async close() {
      for (const h of hosts.values()) h.disconnect();
    },
  };
}
