// A real OpenSSH sshd on a random loopback port, run as the current user with its own host key,
// authorized_keys and config in a temp directory. Nothing outside that directory is touched except
// /run/sshd, the privilege-separation directory sshd insists on when started as root.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export async function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await execFileP(cmd, args, { env: { ...process.env, ...env } });
  return stdout;
}

export async function tempDir(prefix = 'domus-ssh-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface KeyPair {
  privatePath: string;
  publicPath: string;
  /** `type base64 comment` as in authorized_keys. */
  publicLine: string;
  /** The SSH wire blob of the public key. */
  blob: Buffer;
  /** `SHA256:…` as printed by `ssh-keygen -lf`. */
  fingerprint: string;
}

export async function makeKeyPair(dir: string, name: string, opts: { type?: string; passphrase?: string } = {}): Promise<KeyPair> {
  const privatePath = path.join(dir, name);
  await run('ssh-keygen', ['-q', '-t', opts.type ?? 'ed25519', '-N', opts.passphrase ?? '', '-C', name, '-f', privatePath]);
  const publicPath = `${privatePath}.pub`;
  const publicLine = (await fs.readFile(publicPath, 'utf8')).trim();
  // ssh-keygen's own fingerprint is the reference the code under test is compared with.
  const fingerprint = (await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicPath])).split(/\s+/)[1];
  return { privatePath, publicPath, publicLine, blob: Buffer.from(publicLine.split(/\s+/)[1], 'base64'), fingerprint };
}

export interface Sshd {
  host: '127.0.0.1';
  port: number;
  dir: string;
  hostKey: KeyPair;
  user: string;
  authorizedKeysPath: string;
  /** The listening sshd; each connection is served by a child of it. */
  pid: number;
  log(): string;
  stop(): Promise<void>;
}

export interface SshdOptions {
  port?: number;
  hostKey?: KeyPair;
  authorizedKeys?: string[];
  extraConfig?: string[];
}

function waitForListening(child: ChildProcess, logs: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start:\n${logs.join('')}`)), 10_000);
    const onData = (d: Buffer) => {
      logs.push(d.toString());
      if (/Server listening on/.test(logs.join(''))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${code}:\n${logs.join('')}`));
    });
  });
}

export async function startSshd(opts: SshdOptions = {}): Promise<Sshd> {
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = await tempDir('domus-sshd-');
  const hostKey = opts.hostKey ?? (await makeKeyPair(dir, 'host_key'));
  const port = opts.port ?? (await freePort());
  const authorizedKeysPath = path.join(dir, 'authorized_keys');
  await fs.writeFile(authorizedKeysPath, (opts.authorizedKeys ?? []).join('\n') + '\n', { mode: 0o600 });
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey.privatePath}`,
    'PidFile none',
    'UsePAM no',
    'StrictModes no',
    `AuthorizedKeysFile ${authorizedKeysPath}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin yes',
    'LogLevel VERBOSE',
    ...(opts.extraConfig ?? []),
  ];
  const configPath = path.join(dir, 'sshd_config');
  await fs.writeFile(configPath, config.join('\n') + '\n');
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  const logs: string[] = [];
  await waitForListening(child, logs);
  return {
    host: '127.0.0.1',
    port,
    dir,
    hostKey,
    user: os.userInfo().username,
    authorizedKeysPath,
    pid: child.pid!,
    log: () => logs.join(''),
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** An ssh-agent on a private socket holding the given keys. */
export async function startAgent(dir: string, keys: string[]): Promise<{ socket: string; stop(): void }> {
  const socket = path.join(dir, 'agent.sock');
  const child = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await fs.stat(socket).then(() => true, () => false)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const key of keys) await run('ssh-add', ['-q', key], { SSH_AUTH_SOCK: socket });
  return { socket, stop: () => child.kill('SIGTERM') };
}
