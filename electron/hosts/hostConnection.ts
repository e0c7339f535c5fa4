// One host: its profile, its transport, its driver, and the connection state the UI shows.
// A drop after a good connection is retried with backoff until it works or the user disconnects;
// a host-key problem or refused credentials stop at "failed" with the reason, because retrying
// cannot fix them without the user.
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import type { Duplex } from 'node:stream';
import { DomusError, namingHost } from '../api/errors';
import type { ConnectionState, HostInfo, HostKeyProblem, HostSummary } from '../api/hosts';
import type { Guest, GuestStats } from '../api/guests';
import type { GuestsDelta, HostDriver } from '../drivers/types';
import { XlDriver } from '../drivers/xl/driver';
import type { KnownHosts } from '../store/knownHosts';
import { secretKey, type Profile } from '../store/profiles';
import type { SecretStore } from '../store/secretStore';
import { Backoff } from '../transport/backoff';
import { HostKeyError, SshConnection, type HostKeyVerifier, type SshAuth } from '../transport/ssh';
import type { Transport } from '../transport/types';
import { ShellPool } from '../transport/shellPool';
import { localTransport, localXenNow } from './localXen';
import { MetricsStore } from './metrics';

export interface HostConnectionEvents {
  /** The summary (state, reason, key problem) changed. */
  summary: [HostSummary];
  host: [HostInfo];
  guests: [GuestsDelta];
  stats: [GuestStats];
}

export interface HostDeps {
  knownHosts: KnownHosts;
  secrets: SecretStore;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? os.homedir() + p.slice(1) : p;
}

export class HostConnection extends EventEmitter<HostConnectionEvents> {
  private stateValue: ConnectionState = 'disconnected';
  private reason?: string;
  private detail?: string;
  private hostKey?: HostKeyProblem;
  private pendingKey?: HostKeyError;
  private ssh: SshConnection | null = null;
  private driver: HostDriver | null = null;
  private wanted = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly backoff = new Backoff({ initialMs: 1_000, maxMs: 30_000 });
  /** 10 minutes of per-guest and host metrics, fed by the live inventory. */
  readonly metrics = new MetricsStore();
  /** Bumped on every connect/disconnect so a stale attempt cannot overwrite a newer state. */
  private generation = 0;

  constructor(
    private profileValue: Profile,
    private readonly deps: HostDeps,
  ) {
    super();
    // Every shutdown in progress listens for its domain to go (domainGone): a bulk shutdown of
    // many guests is many listeners at once, not a leak.
    this.setMaxListeners(0);
  }

  get id(): string {
    return this.profileValue.id;
  }

  get profile(): Profile {
    return this.profileValue;
  }

  /**
   * The edited profile (same id). A change to how Domus reaches the host ends the connection and
   * any key question about the old endpoint; a live connection connects again with it.
   */
  updateProfile(next: Profile): void {
    const before = this.profileValue;
    this.profileValue = next;
    const reach = (p: Profile) => (p.kind === 'ssh' ? JSON.stringify([p.address, p.port, p.user, p.auth, p.sudo]) : 'local');
    if (reach(before) === reach(next)) {
      this.emit('summary', this.summary());
      return;
    }
    // A live connection moves to the new endpoint; a failed one waits for the user's Connect.
    const again = this.wanted && (this.stateValue === 'connected' || this.stateValue === 'connecting' || this.stateValue === 'reconnecting');
    this.pendingKey = undefined;
    this.disconnect();
    if (again) this.connect();
  }

  /** Forget the old endpoint's key (after the user cleared Domus's record of it). */
  dropKeyFrom(): boolean {
    const p = this.profileValue;
    if (p.kind !== 'ssh' || !p.keyFrom) return false;
    const { keyFrom: _dropped, ...rest } = p;
    this.profileValue = rest;
    return true;
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** The transport of a connected host, for operations. */
  get transport(): Transport | null {
    return this.stateValue === 'connected' ? this.active : null;
  }
  /**
   * A TCP connection to a port on the host's own loopback (a guest's VNC server listens on dom0's
   * 127.0.0.1): through the SSH connection on an SSH host, directly on this computer.
   */
  async connectHostLoopback(port: number): Promise<Duplex> {
    if (this.stateValue !== 'connected') {
      throw new DomusError('connection_lost', `Domus is not connected to ${this.profile.name}; connect it first.`);
    }
    if (this.ssh) return this.ssh.forwardOut('127.0.0.1', port);
    return connectLoopback(port);
  }
  /** Commands go through a pool of long-lived shells on SSH hosts (no channel + shell per command). */
  private active: Transport | null = null;

  private watched = false;
  /**
   * Whether a window shows this host's live figures now (LiveViewers decides): the driver samples
   * once a second while one does and slower otherwise, which is most of what idle costs dom0.
   */
  setWatched(watched: boolean): void {
    this.watched = watched;
    this.driver?.setWatched(watched);
  }

  /** Re-reads the inventory now, after an operation changed something. */
  async refresh(): Promise<void> {
    await this.driver?.refresh();
  }

  summary(): HostSummary {
    const p = this.profile;
    return {
      id: p.id,
      name: p.name,
      kind: p.kind,
      ...(p.kind === 'ssh'
        ? { address: p.address, port: p.port, user: p.user, authMethod: p.auth.method, ...(p.auth.method === 'key' ? { keyPath: p.auth.keyPath } : {}), sudo: p.sudo }
        : {}),
      state: this.stateValue,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.detail ? { detail: this.detail } : {}),
      ...(this.hostKey ? { hostKey: this.hostKey } : {}),
    };
  }

  hostInfo(): HostInfo | null {
    return this.driver?.hostInfo() ?? null;
  }

  guests(): Guest[] {
    return this.driver?.guests() ?? [];
  }

  /**
   * Resolves true once the live inventory no longer has a domain with this domid (the xenstore
   * watch reports it within a fraction of a second), false when timeoutMs passes first or the
   * connection is not (or no longer) live, since then the inventory cannot tell; rejects when the
   * signal is aborted. No command runs while it waits.
   */
  domainGone(domid: number, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    return this.whenInventory((guests) => !guests.some((g) => g.domid === domid), timeoutMs, signal);
  }

  /**
   * Resolves true once the live inventory satisfies test (checked now and on each of its
   * updates), false when timeoutMs passes first or the connection is not (or no longer) live;
   * rejects when the signal is aborted. No command runs while it waits.
   */
  whenInventory(test: (guests: Guest[]) => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.reject(new Error('aborted'));
    if (this.stateValue !== 'connected') return Promise.resolve(false);
    if (test(this.guests())) return Promise.resolve(true);
    return new Promise((resolve, reject) => {
      const done = (value: boolean | Error) => {
        clearTimeout(timer);
        this.off('guests', check);
        this.off('summary', lost);
        signal?.removeEventListener('abort', aborted);
        if (value instanceof Error) reject(value);
        else resolve(value);
      };
      const check = () => test(this.guests()) && done(true);
      const lost = (s: HostSummary) => s.state !== 'connected' && done(false);
      const aborted = () => done(new Error('aborted'));
      const timer = setTimeout(() => done(false), timeoutMs);
      this.on('guests', check);
      this.on('summary', lost);
      signal?.addEventListener('abort', aborted, { once: true });
    });
  }


  private set(state: ConnectionState, reason?: string, detail?: string, hostKey?: HostKeyProblem): void {
    this.stateValue = state;
    this.reason = reason;
    this.detail = detail;
    this.hostKey = hostKey;
    this.emit('summary', this.summary());
  }

  /** Starts connecting and returns at once; the outcome arrives as summary events. */
  connect(): void {
    if (this.stateValue === 'connecting' || this.stateValue === 'connected') return;
    this.wanted = true;
    this.backoff.reset();
    void this.attempt(false);
  }

  disconnect(): void {
    this.wanted = false;
    this.generation++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.teardown();
    this.set('disconnected');
  }

  /**
   * Decides about the presented key. After an edit moved the profile to a new address or port,
   * a key unknown there is compared with the one trusted at the old endpoint: the same key is
   * trusted for the new one too (the host moved), another is reported as changed.
   */
  private hostKeyVerifier(address: string, port: number): HostKeyVerifier {
    const kh = this.deps.knownHosts;
    return async (blob) => {
      const here = await kh.check(address, port, blob);
      const p = this.profileValue;
      const from = p.kind === 'ssh' ? p.keyFrom : undefined;
      if (here.status !== 'unknown' || !from) return here;
      const before = await kh.check(from.address, from.port, blob);
      if (before.status === 'trusted') {
        await kh.trust(address, port, blob);
        return before;
      }
      return before.status === 'unknown' ? here : before;
    };
  }

  /** The user checked the fingerprint we showed and trusts it. */
  async trustKey(fingerprint: string): Promise<void> {
    const pending = this.pendingKey;
    if (!pending || this.hostKey?.kind !== 'unknown') {
      throw new DomusError('conflict', 'There is no unknown host key waiting to be trusted for this host.');
    }
    if (pending.fingerprint !== fingerprint) {
      throw new DomusError('conflict', 'The fingerprint does not match the key the host presented; nothing was trusted.');
    }
    await this.deps.knownHosts.trust(pending.host, pending.port, pending.keyBlob);
    this.pendingKey = undefined;
    this.connect();
  }

  private teardown(): void {
    this.driver?.stop();
    this.driver?.removeAllListeners();
    this.driver = null;
    if (this.active instanceof ShellPool) this.active.close();
    this.active = null;
    this.ssh?.removeAllListeners();
    this.ssh?.close();
    this.ssh = null;
  }

  private async openTransport(): Promise<Transport> {
    const p = this.profile;
    if (p.kind === 'local') {
      // Told before anything runs: without the rights every command would fail one by one.
      const local = await localXenNow(0);
      if (!local.available) throw new DomusError('permission_denied', local.reason ?? 'Domus cannot manage Xen on this computer.', local.sudoRule ?? undefined);
      this.active = localTransport();
      return this.active;
    }
    let auth: SshAuth;
    if (p.auth.method === 'agent') auth = { method: 'agent' };
    else if (p.auth.method === 'key') {
      let key: Buffer;
      try {
        key = await fs.readFile(expandHome(p.auth.keyPath));
      } catch (err) {
        throw new DomusError('auth_failed', `The private key file ${p.auth.keyPath} cannot be read.`, (err as Error).message);
      }
      const passphrase = await this.deps.secrets.get(secretKey(p.id, 'passphrase'));
      auth = { method: 'key', privateKey: key, ...(passphrase ? { passphrase } : {}) };
    } else {
      const password = await this.deps.secrets.get(secretKey(p.id, 'password'));
      if (!password) throw new DomusError('auth_failed', 'No password is saved for this host; edit the host and enter it.');
      auth = { method: 'password', password };
    }
    const ssh = new SshConnection({
      host: p.address,
      port: p.port,
      username: p.user,
      auth,
      sudo: p.sudo,
      verifyHostKey: this.hostKeyVerifier(p.address, p.port),
      // After a move, the old endpoint's key types too: its key is what the host must present.
      knownKeyTypes: [
        ...(await this.deps.knownHosts.knownKeyTypes(p.address, p.port)),
        ...(p.keyFrom ? await this.deps.knownHosts.knownKeyTypes(p.keyFrom.address, p.keyFrom.port) : []),
      ],
    });
    this.ssh = ssh;
    await ssh.connect();
    this.active = new ShellPool(ssh, { size: 3 });
    return this.active;
  }

  private async attempt(retry: boolean): Promise<void> {
    const gen = ++this.generation;
    this.teardown();
    this.set(retry ? 'reconnecting' : 'connecting', retry ? this.reason : undefined);
    try {
      const transport = await this.openTransport();
      if (gen !== this.generation) return;
      const driver = new XlDriver(transport, { log: (line) => console.warn(`domus: ${this.profile.name}: ${line}`) });
      this.driver = driver;
      driver.setWatched(this.watched);
      driver.on('host', (info) => this.emit('host', info));
      driver.on('guests', (delta) => {
        this.metrics.record(driver.guests());
        this.emit('guests', delta);
      });
      driver.on('stats', (stats) => {
        this.metrics.record(driver.guests());
        this.emit('stats', stats);
      });
      driver.on('pcpus', (busy) => this.metrics.recordPcpus(busy));
      driver.on('failed', (err) => gen === this.generation && this.dropped(namingHost(err, this.profile.name) as Error));
      this.ssh?.on('state', (ev) => {
        if (ev.state === 'closed' && gen === this.generation && this.stateValue === 'connected') {
          this.dropped(new DomusError('connection_lost', ev.reason ?? 'The connection was lost.'));
        }
      });
      await driver.start();
      if (gen !== this.generation) return;
      this.backoff.reset();
      this.set('connected');
    } catch (caught) {
      if (gen !== this.generation) return;
      this.teardown();
      // Output Domus cannot read: the message says which host printed it.
      const err = namingHost(caught, this.profile.name);
      if (err instanceof HostKeyError) {
        this.pendingKey = err;
        const kind = err.code === 'host_key_unknown' ? 'unknown' : err.code === 'host_key_changed' ? 'changed' : 'revoked';
        // An unknown key is a question for the user, not a failure: the UI asks, and waits.
        this.set(kind === 'unknown' ? 'awaitingKey' : 'failed', err.message, err.detail, {
          kind,
          keyType: err.keyType,
          fingerprint: err.fingerprint,
          knownFingerprints: err.knownFingerprints,
        });
        return;
      }
      const e = err instanceof DomusError ? err : new DomusError('connection_failed', 'Domus could not connect.', String(err));
      // Credentials and permissions need the user; anything else is worth another try when
      // the host had been reachable before (a drop), not on a first attempt that never worked.
      if (retry && this.wanted && e.code !== 'auth_failed' && e.code !== 'permission_denied') this.scheduleRetry(e);
      else this.set('failed', e.message, e.detail);
    }
  }

  private dropped(err: Error): void {
    const e = err instanceof DomusError ? err : new DomusError('connection_lost', err.message);
    this.teardown();
    if (!this.wanted) return;
    this.backoff.reset();
    this.scheduleRetry(e);
  }

  private scheduleRetry(e: DomusError): void {
    const delay = this.backoff.next();
    const secs = Math.max(1, Math.round(delay / 1000));
    this.set('reconnecting', `${e.message} Trying again in ${secs} s.`, e.detail);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.wanted) void this.attempt(true);
    }, delay);
  }
}

/** A TCP connection to 127.0.0.1:port on this computer, once it is established. */
export function connectLoopback(port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.off('error', failed);
      resolve(sock);
    });
    const failed = (err: Error) => {
      sock.destroy();
      reject(new DomusError('connection_failed', `Nothing answers on 127.0.0.1:${port} on this computer.`, err.message));
    };
    sock.once('error', failed);
  });
}
