// One SSH connection to one host, carrying every command, stream and forwarded port as channels.
// Host keys are never accepted here: the caller's verifyHostKey decides (normally knownHosts), and
// anything but "trusted" fails connect() with a HostKeyError carrying what the UI must show and
// what trust() needs, so the user, not this code, decides.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
// ssh2 is CommonJS: named imports of its values fail under Node's ESM loader (tsx, the serve CLI).
import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig } from 'ssh2';
const { Client, utils } = ssh2;
type Client = InstanceType<typeof Client>;
import { DomusError } from '../api/errors';
import { fingerprintSha256, keyTypeOfBlob, type HostKeyCheck, type KnownHosts } from '../store/knownHosts';
import { commandLine } from './argv';
import { describeConnectFailure, type AttemptFacts } from './connectFailure';
import type { CommandStream, ExecOptions, ExecResult, StreamOptions, Transport } from './types';

export type SshAuth =
  | { method: 'agent'; agentSocket?: string }
  | { method: 'key'; privateKey: Buffer | string; passphrase?: string }
  | { method: 'password'; password: string };

/** Decides about the key the server presented (its SSH wire blob). Only 'trusted' lets the connection proceed. */
export type HostKeyVerifier = (keyBlob: Buffer) => Promise<HostKeyCheck>;

export interface SshOptions {
  host: string;
  port?: number;
  username: string;
  auth: SshAuth;
  verifyHostKey: HostKeyVerifier;
  /** Key types already known for this host (KnownHosts.knownKeyTypes), negotiated first as ssh does. */
  knownKeyTypes?: readonly string[];
  /** Run every command as `sudo -n -- argv…` (non-interactive: fails instead of prompting). */
  sudo?: boolean;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Banner + key exchange + auth. The emulated lab can take well over 20 s. */
  readyTimeoutMs?: number;
  /** Concurrent session channels; OpenSSH's MaxSessions defaults to 10, beyond it opens fail. */
  maxSessions?: number;
  /** An already-open byte stream to the host (e.g. a forwardOut() through a jump host). */
  sock?: Duplex;
}

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'closed';
export interface StateEvent {
  state: ConnectionState;
  /** Why the connection closed, in words a person understands. */
  reason?: string;
}

export class HostKeyError extends DomusError {
  constructor(
    code: 'host_key_unknown' | 'host_key_changed' | 'host_key_revoked',
    message: string,
    readonly host: string,
    readonly port: number,
    /** The presented key, to pass to KnownHosts.trust() if the user accepts it. Public data. */
    readonly keyBlob: Buffer,
    readonly fingerprint: string,
    readonly knownFingerprints: string[] = [],
  ) {
    super(code, message, hostKeyDetail(host, port, keyBlob, fingerprint, knownFingerprints));
    this.name = 'HostKeyError';
  }

  get keyType(): string {
    return keyTypeOfBlob(this.keyBlob);
  }
}

function hostKeyDetail(host: string, port: number, blob: Buffer, fp: string, known: string[]): string {
  const lines = [`host: ${host} port: ${port}`, `presented: ${keyTypeOfBlob(blob)} ${fp}`];
  for (const k of known) lines.push(`known: ${k}`);
  return lines.join('\n');
}

/** The verifier for a KnownHosts store (what the hosts layer normally passes). */
export function knownHostsVerifier(knownHosts: KnownHosts, host: string, port: number): HostKeyVerifier {
  return (blob) => knownHosts.check(host, port, blob);
}

/** argv as it will run on the host, with the sudo prefix when asked for. */
export function remoteArgv(argv: readonly string[], sudo: boolean): string[] {
  if (argv.length === 0) throw new DomusError('invalid_input', 'An empty command cannot be run.');
  // -n: never prompt (there is no terminal to answer); --: argv[0] can never be read as a sudo option.
  return sudo ? ['sudo', '-n', '--', ...argv] : [...argv];
}

// Host key algorithms ssh2 supports, in its default preference. For a key type already in
// known_hosts, its algorithms go first: otherwise a host known by its RSA key would show up as
// "unknown" because the server offered Ed25519 first.
const HOST_KEY_ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

export function hostKeyAlgorithms(knownKeyTypes: readonly string[] = []): string[] {
  const preferred = knownKeyTypes.flatMap((t) => HOST_KEY_ALGORITHMS[t] ?? []);
  const rest = Object.values(HOST_KEY_ALGORITHMS).flat();
  return [...new Set([...preferred, ...rest])];
}

interface InFlight {
  /** The connection went away: settle with connection_lost (execs) or end (streams). */
  lost(detail: string): void;
}

/**
 * A FIFO budget of session channels. The host's real limit (MaxSessions) is not announced, so
 * the budget starts at the configured value and shrinks to what the host proved it accepts.
 */
class Sessions {
  /** Slots handed out: channels open or being opened. */
  private used = 0;
  /** Sessions running now, and the most ever running together: the host accepted that many. */
  private running = 0;
  private peak = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private max: number) {}
  acquire(): Promise<void> {
    if (this.used < this.max) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  started(): void {
    this.running++;
    this.peak = Math.max(this.peak, this.running);
  }
  ended(): void {
    this.running--;
    this.release();
  }
  release(): void {
    if (this.used <= this.max) {
      const next = this.waiting.shift();
      if (next) return next();
    }
    this.used--;
  }
  /**
   * The host refused a session while others were open or opening. Those others bound its limit
   * from above (ssh2 reports success only after the exec request, so "open" cannot be told from
   * "opening"); each further refusal tightens the bound, but never below the number the host has
   * been seen to run at once. Returns false when nothing else holds a slot, i.e. the refusal is
   * not about the limit.
   */
  refusedAtLimit(): boolean {
    const others = this.used - 1;
    if (others < 1) return false;
    this.max = Math.max(this.peak, 1, Math.min(this.max, others));
    return true;
  }
}

/**
 * Ask the host to signal the command. ssh2's channel.signal() silently does nothing once stdin
 * was ended (it checks `writable`), and exec() always ends stdin, so the request is sent through
 * the protocol object directly. Best effort: OpenSSH refuses signals for root sessions when
 * privilege separation is not used for them, and then the command runs on until it ends.
 */
function signalChannel(ch: ClientChannel, name: string): void {
  const c = ch as unknown as {
    type?: string;
    outgoing?: { id: number; state: string };
    _client?: { _protocol?: { signal(id: number, name: string): void } };
  };
  try {
    // 'eof' is our side having ended stdin; the channel is still open for requests.
    const out = c.outgoing;
    if (c.type === 'session' && out && (out.state === 'open' || out.state === 'eof')) c._client?._protocol?.signal(out.id, name);
  } catch {
    // The connection may be going away; closing the channel is what matters then.
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

export class SshConnection extends EventEmitter<{ state: [StateEvent] }> implements Transport {
  readonly host: string;
  readonly port: number;
  private client: Client | null = null;
  private stateValue: ConnectionState = 'idle';
  private readonly inFlight = new Set<InFlight>();
  private sessions: Sessions;
  private lastError: Error | null = null;

  constructor(private readonly opts: SshOptions) {
    super();
    this.host = opts.host;
    this.port = opts.port ?? 22;
    this.sessions = new Sessions(opts.maxSessions ?? 10);
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  private setState(state: ConnectionState, reason?: string): void {
    this.stateValue = state;
    this.emit('state', reason === undefined ? { state } : { state, reason });
  }

  /**
   * Opens the connection. Rejects with HostKeyError (host_key_*), or DomusError auth_failed,
   * timeout or connection_failed. May be called again after a failure or close (e.g. once the
   * user trusted the key).
   */
  connect(): Promise<void> {
    if (this.stateValue === 'connecting' || this.stateValue === 'connected') {
      return Promise.reject(new DomusError('conflict', `Domus is already connected to ${this.host}.`));
    }
    let config: ConnectConfig;
    try {
      config = this.connectConfig();
    } catch (err) {
      return Promise.reject(err);
    }
    const client = new Client();
    this.client = client;
    this.lastError = null;
    this.sessions = new Sessions(this.opts.maxSessions ?? 10);
    this.setState('connecting');

    let verdict: { check: HostKeyCheck; blob: Buffer } | null = null;
    let verifierError: unknown = null;
    config.hostVerifier = (blob: Buffer, verify: (ok: boolean) => void) => {
      this.opts.verifyHostKey(blob).then(
        (check) => {
          verdict = { check, blob };
          verify(check.status === 'trusted');
        },
        (err) => {
          verifierError = err;
          verify(false);
        },
      );
    };

    const facts: AttemptFacts = {
      host: this.host,
      port: this.port,
      tcpConnected: false,
      heard: Buffer.alloc(0),
      readyTimeoutMs: config.readyTimeout ?? 20_000,
    };
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      let failure: Error | null = null;
      client.on('error', (err) => {
        this.lastError = err;
        if (!ready && !failure) failure = this.connectError(err, verdict, verifierError, facts);
      });
      client.on('keyboard-interactive', (_name, _instr, _lang, prompts, finish) => {
        // sshd often asks for the password through keyboard-interactive (PAM); answer only
        // prompts that ask for it, so a one-time-code prompt fails instead of receiving it.
        const pw = this.opts.auth.method === 'password' ? this.opts.auth.password : '';
        finish(prompts.map((p) => (/pass/i.test(p.prompt) ? pw : '')));
      });
      client.once('ready', () => {
        ready = true;
        this.setState('connected');
        resolve();
      });
      client.once('close', () => {
        if (this.client === client) this.client = null;
        if (!ready) {
          const err = failure ?? new DomusError('connection_failed', `Domus could not connect to ${this.host}.`, 'The server closed the connection.');
          this.setState('closed', err.message);
          reject(err);
          return;
        }
        const detail = this.lastError?.message ?? 'The server closed the connection.';
        const closedByUs = this.stateValue === 'closed';
        if (!closedByUs) this.setState('closed', `The connection to ${this.host} was lost (${detail}).`);
        for (const op of [...this.inFlight]) op.lost(closedByUs ? 'Domus closed the connection.' : detail);
        this.inFlight.clear();
      });
      try {
        client.connect(config);
        this.listenBeforeHandshake(client, facts, () => ready);
        // Keystrokes are single small packets: Nagle's algorithm held one back whenever a small
        // packet of ours (a window adjust for the monitor's stream) was still unacknowledged,
        // which cost a console echo tens of milliseconds. OpenSSH sets TCP_NODELAY too.
        client.setNoDelay(true);
      } catch (err) {
        // ssh2 throws synchronously for bad options; close will not follow.
        this.client = null;
        const e = new DomusError('connection_failed', `Domus could not connect to ${this.host}.`, (err as Error).message);
        this.setState('closed', e.message);
        reject(e);
      }
    });
  }

  private connectConfig(): ConnectConfig {
    const { opts } = this;
    const config: ConnectConfig = {
      host: opts.host,
      port: this.port,
      username: opts.username,
      readyTimeout: opts.readyTimeoutMs ?? 60_000,
      keepaliveInterval: opts.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: opts.keepaliveCountMax ?? 4,
      algorithms: { serverHostKey: hostKeyAlgorithms(opts.knownKeyTypes) as never },
      ...(opts.sock ? { sock: opts.sock } : {}),
    };
    const { auth } = opts;
    switch (auth.method) {
      case 'agent': {
        const agent = auth.agentSocket ?? process.env.SSH_AUTH_SOCK;
        if (!agent) {
          throw new DomusError('auth_failed', 'No SSH agent is available: SSH_AUTH_SOCK is not set and no agent socket was given.');
        }
        config.agent = agent;
        break;
      }
      case 'key': {
        // Parse here so a wrong passphrase is reported as such, not as a generic connection failure.
        const parsed = utils.parseKey(auth.privateKey, auth.passphrase);
        if (parsed instanceof Error) {
          const needsPass = /passphrase|decrypt|integrity/i.test(parsed.message);
          throw new DomusError(
            'auth_failed',
            needsPass
              ? auth.passphrase
                ? 'The private key could not be unlocked: the passphrase is wrong.'
                : 'The private key is protected by a passphrase; enter it to connect.'
              : 'The private key could not be read; it is not a key format Domus understands.',
            parsed.message,
          );
        }
        config.privateKey = auth.privateKey;
        if (auth.passphrase !== undefined) config.passphrase = auth.passphrase;
        break;
      }
      case 'password':
        config.password = auth.password;
        config.tryKeyboard = true;
        break;
    }
    return config;
  }

  /**
   * Notes whether TCP connected and what the server said first, so a failure can say "nothing
   * listens", "not SSH" or "said nothing". ssh2 keeps its socket private and reports none of it.
   */
  private listenBeforeHandshake(client: Client, facts: AttemptFacts, ready: () => boolean): void {
    const sock = (client as unknown as { _sock?: Socket })._sock;
    if (!sock) return;
    const hear = (data: Buffer) => {
      if (ready() || facts.heard.length >= 512) {
        sock.off('data', hear);
        return;
      }
      facts.heard = Buffer.concat([facts.heard, data]).subarray(0, 512);
    };
    // Registered after ssh2's own listeners, so ssh2 still sees every byte first.
    const connected = () => {
      facts.tcpConnected = true;
      sock.on('data', hear);
    };
    if (this.opts.sock) connected();
    else sock.once('connect', connected);
  }

  private connectError(
    err: Error & { level?: string; code?: string },
    verdict: { check: HostKeyCheck; blob: Buffer } | null,
    verifierError: unknown,
    facts: AttemptFacts,
  ): Error {
    const where = `${this.host}${this.port === 22 ? '' : `:${this.port}`}`;
    if (verdict && verdict.check.status !== 'trusted') {
      const { check, blob } = verdict;
      switch (check.status) {
        case 'unknown':
          return new HostKeyError('host_key_unknown', `${where} is not a known host. Its key fingerprint is ${check.fingerprint}; check it before trusting it.`, this.host, this.port, blob, check.fingerprint);
        case 'changed':
          return new HostKeyError(
            'host_key_changed',
            `The key of ${where} has changed: it now presents ${check.fingerprint}, but the key known for it is ${check.knownFingerprints.join(', ')}. Someone may be intercepting the connection, or the host was reinstalled; Domus refused to connect.`,
            this.host, this.port, blob, check.fingerprint, check.knownFingerprints,
          );
        case 'revoked':
          return new HostKeyError('host_key_revoked', `The key ${check.fingerprint} presented by ${where} is marked as revoked; Domus refused to connect.`, this.host, this.port, blob, check.fingerprint);
      }
    }
    if (verifierError) {
      return new DomusError('internal', `Domus could not check the key of ${where}.`, verifierError instanceof Error ? verifierError.message : String(verifierError));
    }
    if (err.level === 'client-authentication') {
      const how = { agent: 'any key in the SSH agent', key: 'the private key', password: 'the password' }[this.opts.auth.method];
      return new DomusError('auth_failed', `${where} did not accept ${how} for user ${this.opts.username}.`, err.message);
    }
    return describeConnectFailure(err, facts);
  }

  /** Ends the connection; in-flight commands fail with connection_lost. */
  close(): void {
    if (this.stateValue === 'closed' || this.stateValue === 'idle') return;
    this.setState('closed', 'Domus closed the connection.');
    this.client?.end();
  }

  private requireClient(argv: readonly string[]): Client {
    if (this.stateValue !== 'connected' || !this.client) {
      throw new DomusError('connection_lost', `Domus is not connected to ${this.host}, so ${argv[0]} could not run.`);
    }
    return this.client;
  }

  private lostError(argv: readonly string[], detail: string): DomusError {
    return new DomusError('connection_lost', `The connection to ${this.host} was lost while running ${commandLine(argv)}.`, detail);
  }

  /** Opens a session channel running argv, within the MaxSessions budget. */
  private async openExec(argv: readonly string[], pty: StreamOptions['pty'] | undefined): Promise<ClientChannel> {
    const cmd = commandLine(remoteArgv(argv, this.opts.sudo ?? false));
    for (;;) {
      const sessions = this.sessions;
      await sessions.acquire();
      let client: Client;
      try {
        client = this.requireClient(argv);
      } catch (err) {
        sessions.release();
        throw err;
      }
      const opened = await new Promise<ClientChannel | Error>((resolve) => {
        const cb = (err: Error | undefined, ch: ClientChannel) => resolve(err ?? ch);
        if (pty) client.exec(cmd, { pty: { cols: pty.cols, rows: pty.rows, term: pty.term ?? 'xterm-256color' } }, cb);
        else client.exec(cmd, cb);
      });
      if (!(opened instanceof Error)) {
        sessions.started();
        opened.once('close', () => sessions.ended());
        return opened;
      }
      // Refused while others are open: the host's MaxSessions is lower than our budget. Wait
      // in the queue for one of them to end instead of failing the command.
      const atLimit = this.stateValue === 'connected' && sessions.refusedAtLimit();
      sessions.release();
      if (atLimit) continue;
      throw this.stateValue === 'connected'
        ? new DomusError('command_failed', `${this.host} refused to start ${argv[0]}.`, opened.message)
        : this.lostError(argv, opened.message);
    }
  }

  exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve, reject) => {
      const { signal, timeoutMs } = opts;
      if (signal?.aborted) return reject(abortReason(signal));
      let channel: ClientChannel | null = null;
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const op: InFlight = { lost: (detail) => finish(this.lostError(argv, detail)) };
      const onAbort = () => {
        stop();
        finish(abortReason(signal!));
      };
      const stop = () => {
        if (!channel) return;
        // Ask the host to end the command, then drop the channel; without the signal a command
        // that never writes would keep running after the channel is gone (sshd does not kill
        // a command when its non-pty channel closes).
        signalChannel(channel, 'TERM');
        channel.close();
      };
      const finish = (err: unknown, result?: ExecResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.inFlight.delete(op);
        if (err) reject(err);
        else resolve(result!);
      };
      this.inFlight.add(op);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          stop();
          finish(new DomusError('timeout', `${argv[0]} did not finish within ${Math.round(timeoutMs / 100) / 10} s on ${this.host}.`, commandLine(argv)));
        }, timeoutMs);
      }
      this.openExec(argv, undefined).then((ch) => {
        if (settled) {
          ch.close();
          return;
        }
        channel = ch;
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        let exit: { code: number | null; signal?: string } | null = null;
        ch.on('data', (d: Buffer) => out.push(d));
        ch.stderr.on('data', (d: Buffer) => err.push(d));
        ch.on('exit', (code: number | null, sig?: string) => {
          exit = typeof code === 'number' ? { code } : { code: null, ...(sig ? { signal: sig } : {}) };
        });
        ch.on('close', () => {
          // Decode once at the end: a multi-byte character may straddle two packets.
          const result = (e: { code: number | null; signal?: string }): ExecResult => ({
            ...e,
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
          });
          if (exit) return finish(null, result(exit));
          // No exit status: either the link is going down (ssh2 closes channels right after it
          // reports the socket closed) or the host dropped the channel. Look once more after
          // pending I/O before reporting a plain "no exit code".
          setImmediate(() => {
            if (this.stateValue !== 'connected') finish(this.lostError(argv, this.lastError?.message ?? 'The channel closed without an exit status.'));
            else finish(null, result({ code: null }));
          });
        });
        if (opts.stdin !== undefined) ch.end(opts.stdin);
        else ch.end();
      }, (e) => finish(e));
    });
  }

  async stream(argv: readonly string[], opts: StreamOptions = {}): Promise<CommandStream> {
    const ch = await this.openExec(argv, opts.pty);
    let resolveDone!: (v: { code: number | null; signal?: string }) => void;
    const done = new Promise<{ code: number | null; signal?: string }>((r) => (resolveDone = r));
    let exit: { code: number | null; signal?: string } = { code: null };
    ch.on('exit', (code: number | null, sig?: string) => {
      exit = typeof code === 'number' ? { code } : { code: null, ...(sig ? { signal: sig } : {}) };
    });
    const op: InFlight = { lost: () => resolveDone({ code: null }) };
    this.inFlight.add(op);
    ch.once('close', () => {
      this.inFlight.delete(op);
      resolveDone(exit);
    });
    const stream: CommandStream = {
      stdout: ch,
      stderr: ch.stderr,
      stdin: ch,
      done,
      close: () => {
        signalChannel(ch, 'TERM');
        ch.close();
      },
    };
    if (opts.pty) stream.resize = (cols, rows) => ch.setWindow(rows, cols, 0, 0);
    // Like a child process's 'close', `done` follows the end of stdout: a caller that does not
    // want the output must still resume() it, or the channel (and its session slot) stays open.
    return stream;
  }

  /** A TCP connection from the host to host:port (the VNC server of a guest, for instance). */
  forwardOut(host: string, port: number): Promise<Duplex> {
    const client = this.requireClient([`forward to ${host}:${port}`]);
    return new Promise((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, host, port, (err, ch) => {
        if (err) reject(new DomusError('connection_failed', `${this.host} could not open a connection to ${host}:${port}.`, err.message));
        else resolve(ch);
      });
    });
  }
}
