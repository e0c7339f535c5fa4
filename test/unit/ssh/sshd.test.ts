// SshConnection against real OpenSSH sshd on a random loopback port.
import { existsSync, promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KnownHosts } from '../../../electron/store/knownHosts';
import { SshConfigFile } from '../../../electron/store/sshConfig';
import { HostKeyError, SshConnection, knownHostsVerifier, type SshAuth, type StateEvent } from '../../../electron/transport/ssh';
import { selfEndingScript } from '../../../electron/drivers/xl/driver';
import { alive } from '../../support/process';
import { makeKeyPair, run, startAgent, startSshd, tempDir, type KeyPair, type Sshd } from '../../support/sshd';

let dir: string;
let sshd: Sshd;
let plainKey: KeyPair;
let lockedKey: KeyPair;
let agentKey: KeyPair;
let strangerKey: KeyPair;
const PASSPHRASE = 'correct horse battery';
const open: SshConnection[] = [];

beforeAll(async () => {
  dir = await tempDir('domus-sshd-test-');
  [plainKey, lockedKey, agentKey, strangerKey] = await Promise.all([
    makeKeyPair(dir, 'plain'),
    makeKeyPair(dir, 'locked', { passphrase: PASSPHRASE }),
    makeKeyPair(dir, 'agent', { type: 'ecdsa' }),
    makeKeyPair(dir, 'stranger'),
  ]);
  sshd = await startSshd({
    authorizedKeys: [plainKey.publicLine, lockedKey.publicLine, agentKey.publicLine],
    extraConfig: ['MaxSessions 2'],
  });
});

afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

afterAll(async () => {
  await sshd?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

async function freshKnownHosts(userText?: string): Promise<KnownHosts> {
  const sub = await fs.mkdtemp(path.join(dir, 'kh-'));
  const userFile = path.join(sub, 'user_known_hosts');
  if (userText !== undefined) await fs.writeFile(userFile, userText);
  return new KnownHosts({ userFile, domusFile: path.join(sub, 'domus', 'known_hosts') });
}

async function trustedKnownHosts(server: Sshd = sshd): Promise<KnownHosts> {
  const kh = await freshKnownHosts();
  await kh.trust(server.host, server.port, server.hostKey.blob);
  return kh;
}

async function keyAuth(key: KeyPair = plainKey): Promise<SshAuth> {
  return { method: 'key', privateKey: await fs.readFile(key.privatePath) };
}

function connection(kh: KnownHosts, auth: SshAuth, server: Sshd = sshd, extra: Partial<ConstructorParameters<typeof SshConnection>[0]> = {}): SshConnection {
  const c = new SshConnection({
    host: server.host,
    port: server.port,
    username: server.user,
    auth,
    verifyHostKey: knownHostsVerifier(kh, server.host, server.port),
    ...extra,
  });
  open.push(c);
  return c;
}

describe('host keys', () => {
  it('an unknown host fails with its SHA256 fingerprint, and connects once the user trusts it', async () => {
    const kh = await freshKnownHosts();
    const first = connection(kh, await keyAuth());
    const err = await first.connect().catch((e) => e);
    expect(err).toBeInstanceOf(HostKeyError);
    expect(err.code).toBe('host_key_unknown');
    expect(err.fingerprint).toBe(sshd.hostKey.fingerprint);
    expect(err.message).toContain(sshd.hostKey.fingerprint);
    expect(err.keyType).toBe('ssh-ed25519');
    expect(first.state).toBe('closed');

    // The user accepted the fingerprint shown: trust exactly the key that was presented.
    await kh.trust(sshd.host, sshd.port, err.keyBlob);
    await first.connect();
    expect((await first.exec(['id', '-un'])).stdout).toBe(`${sshd.user}\n`);
  });

  it('a changed host key is refused with both fingerprints', async () => {
    const server = await startSshd({ authorizedKeys: [plainKey.publicLine] });
    try {
      const kh = await trustedKnownHosts(server);
      const c = connection(kh, await keyAuth(), server);
      await c.connect();
      c.close();
      await server.stop();

      const newKey = await makeKeyPair(dir, `rekeyed-${Date.now()}`);
      const replaced = await startSshd({ port: server.port, hostKey: newKey, authorizedKeys: [plainKey.publicLine] });
      try {
        const err = await connection(kh, await keyAuth(), replaced).connect().catch((e) => e);
        expect(err.code).toBe('host_key_changed');
        expect(err.fingerprint).toBe(newKey.fingerprint);
        expect(err.knownFingerprints).toEqual([server.hostKey.fingerprint]);
        expect(err.message).toContain(newKey.fingerprint);
        expect(err.message).toContain(server.hostKey.fingerprint);
      } finally {
        await replaced.stop();
      }
    } finally {
      await server.stop();
    }
  });

  it('a revoked host key is refused even though it is also trusted', async () => {
    const hostLine = sshd.hostKey.publicLine.split(/\s+/).slice(0, 2).join(' ');
    const kh = await freshKnownHosts(`@revoked * ${hostLine}\n`);
    await kh.trust(sshd.host, sshd.port, sshd.hostKey.blob);
    const err = await connection(kh, await keyAuth()).connect().catch((e) => e);
    expect(err.code).toBe('host_key_revoked');
    expect(err.message).toContain(sshd.hostKey.fingerprint);
  });

  it('a hashed [127.0.0.1]:port entry in the user known_hosts is trusted', async () => {
    const hostLine = sshd.hostKey.publicLine.split(/\s+/).slice(0, 2).join(' ');
    const kh = await freshKnownHosts(`[127.0.0.1]:${sshd.port} ${hostLine}\n`);
    const userFile = (kh as unknown as { userFile: string }).userFile;
    await run('ssh-keygen', ['-q', '-H', '-f', userFile]);
    expect(await fs.readFile(userFile, 'utf8')).not.toContain('127.0.0.1');
    const c = connection(kh, await keyAuth());
    await c.connect();
    expect((await c.exec(['echo', 'ok'])).stdout).toBe('ok\n');
  });

  it('the same key on the default-port name does not vouch for another port', async () => {
    const hostLine = sshd.hostKey.publicLine.split(/\s+/).slice(0, 2).join(' ');
    const kh = await freshKnownHosts(`127.0.0.1 ${hostLine}\n`);
    await expect(connection(kh, await keyAuth()).connect()).rejects.toMatchObject({ code: 'host_key_unknown' });
  });
});

describe('authentication', () => {
  it('uses keys held by an ssh-agent', async () => {
    const agent = await startAgent(await fs.mkdtemp(path.join(dir, 'agent-')), [agentKey.privatePath]);
    try {
      const c = connection(await trustedKnownHosts(), { method: 'agent', agentSocket: agent.socket });
      await c.connect();
      expect((await c.exec(['id', '-un'])).stdout).toBe(`${sshd.user}\n`);
    } finally {
      agent.stop();
    }
  });

  it('an agent without an accepted key fails as auth_failed', async () => {
    const agent = await startAgent(await fs.mkdtemp(path.join(dir, 'agent-')), [strangerKey.privatePath]);
    try {
      const err = await connection(await trustedKnownHosts(), { method: 'agent', agentSocket: agent.socket }).connect().catch((e) => e);
      expect(err.code).toBe('auth_failed');
      expect(err.message).toContain('SSH agent');
    } finally {
      agent.stop();
    }
  });

  it('unlocks a key with the right passphrase', async () => {
    const c = connection(await trustedKnownHosts(), { method: 'key', privateKey: await fs.readFile(lockedKey.privatePath), passphrase: PASSPHRASE });
    await c.connect();
    expect((await c.exec(['true'])).code).toBe(0);
  });

  it('says so when the passphrase is wrong or missing', async () => {
    const privateKey = await fs.readFile(lockedKey.privatePath);
    const wrong = await connection(await trustedKnownHosts(), { method: 'key', privateKey, passphrase: 'nope' }).connect().catch((e) => e);
    expect(wrong.code).toBe('auth_failed');
    expect(wrong.message).toMatch(/passphrase is wrong/);
    const missing = await connection(await trustedKnownHosts(), { method: 'key', privateKey }).connect().catch((e) => e);
    expect(missing.code).toBe('auth_failed');
    expect(missing.message).toMatch(/protected by a passphrase/);
  });

  it('a key the host does not accept fails as auth_failed naming the user', async () => {
    const err = await connection(await trustedKnownHosts(), await keyAuth(strangerKey)).connect().catch((e) => e);
    expect(err.code).toBe('auth_failed');
    expect(err.message).toContain(`user ${sshd.user}`);
  });
});

describe('commands', () => {
  let c: SshConnection;
  beforeAll(async () => {
    c = new SshConnection({
      host: sshd.host,
      port: sshd.port,
      username: sshd.user,
      auth: await keyAuth(),
      verifyHostKey: knownHostsVerifier(await trustedKnownHosts(), sshd.host, sshd.port),
    });
    await c.connect();
  });
  afterAll(() => c.close());

  it('arguments arrive as literal arguments, whatever they contain', async () => {
    const marker = path.join(dir, 'injected');
    const args = ['a b', `it's`, '"double"', `$(touch ${marker})`, `; touch ${marker}`, '`id`', '*', '', 'ünïcødé', 'new\nline', '\\'];
    const r = await c.exec(['printf', '%s|', ...args]);
    expect(r).toEqual({ code: 0, stdout: args.map((a) => `${a}|`).join(''), stderr: '' });
    expect(existsSync(marker)).toBe(false);
  });

  it('reports exit code and stderr, and feeds stdin', async () => {
    const r = await c.exec(['sh', '-c', 'cat; echo oops >&2; exit 7'], { stdin: 'from domus\n' });
    expect(r).toEqual({ code: 7, stdout: 'from domus\n', stderr: 'oops\n' });
  });

  it('queues commands beyond the host MaxSessions instead of failing them', async () => {
    // sshd here allows 2 sessions per connection, the connection's budget starts at 10: the
    // refusals teach it the real limit and all 6 commands still succeed.
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => c.exec(['sh', '-c', `sleep 0.2; echo ${i}`])));
    expect(results.map((r) => r.stdout)).toEqual(['0\n', '1\n', '2\n', '3\n', '4\n', '5\n']);
  });

  it('a host that allows no sessions at all fails the command instead of queueing it forever', async () => {
    const server = await startSshd({ authorizedKeys: [plainKey.publicLine], extraConfig: ['MaxSessions 0'] });
    try {
      const none = connection(await trustedKnownHosts(server), await keyAuth(), server);
      await none.connect();
      const err = await none.exec(['true']).catch((e) => e);
      expect(err.code).toBe('command_failed');
      expect(err.message).toContain('refused to start true');
    } finally {
      await server.stop();
    }
  });

  // These get their own connection: sshd keeps a timed-out command's session until the command
  // ends (the stop signal is refused for root sessions), which would hold the shared one's slots.
  it('a command that overruns its timeout fails with timeout, and the connection still works', async () => {
    const own = connection(await trustedKnownHosts(), await keyAuth());
    await own.connect();
    const started = Date.now();
    const err = await own.exec(['sleep', '3'], { timeoutMs: 300 }).catch((e) => e);
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await own.exec(['echo', 'still here'])).stdout).toBe('still here\n');
  });

  it('an aborted command rejects with the abort reason', async () => {
    const own = connection(await trustedKnownHosts(), await keyAuth());
    await own.connect();
    const ac = new AbortController();
    const p = own.exec(['sleep', '3'], { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('cancelled by user')), 100);
    await expect(p).rejects.toThrow('cancelled by user');
  });

  it('streams with a pty get a terminal of the asked size, and follow resizes', async () => {
    const s = await c.stream(['sh', '-c', 'stty size; read x; stty size'], { pty: { cols: 100, rows: 30 } });
    let out = '';
    s.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    await until(() => out.includes('30 100'));
    s.resize!(120, 40);
    await new Promise((r) => setTimeout(r, 100));
    s.stdin.write('\n');
    expect(await s.done).toEqual({ code: 0 });
    expect(out).toMatch(/30 100[\s\S]*40 120/);
  });

  it('a self-ending script (the xenstore watches) leaves no job behind on the host once the stream is closed', async () => {
    const s = await c.stream(selfEndingScript(['sleep 300 &', 'echo $!']));
    let out = '';
    s.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    await until(() => out.includes('\n'));
    const pid = Number(out.trim());
    expect(alive(pid)).toBe(true);
    s.close();
    await s.done;
    await until(() => !alive(pid));
  });

  it('forwardOut reaches a TCP service through the host', async () => {
    const echo = net.createServer((sock) => sock.pipe(sock));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    try {
      const { port } = echo.address() as net.AddressInfo;
      const ch = await c.forwardOut('127.0.0.1', port);
      const reply = new Promise<string>((r) => ch.once('data', (d: Buffer) => r(d.toString())));
      ch.write('RFB 003.008\n');
      expect(await reply).toBe('RFB 003.008\n');
      ch.end();
    } finally {
      echo.close();
    }
  });
});

describe('connection lifecycle', () => {
  it('reports connecting, connected and closed, and refuses commands once closed', async () => {
    const c = connection(await trustedKnownHosts(), await keyAuth());
    const states: StateEvent[] = [];
    c.on('state', (e) => states.push(e));
    await c.connect();
    c.close();
    await until(() => states.length >= 3);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connected', 'closed']);
    await expect(c.exec(['true'])).rejects.toMatchObject({ code: 'connection_lost' });
  });

  it('connects through an alias from ~/.ssh/config', async () => {
    const cfgFile = path.join(dir, 'ssh_config');
    await fs.writeFile(
      cfgFile,
      `Host labxen\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${plainKey.privatePath}\n`,
    );
    const cfg = await SshConfigFile.read(cfgFile);
    expect(cfg.aliases()).toContain('labxen');
    const target = cfg.resolve('labxen');
    const kh = await trustedKnownHosts();
    const c = new SshConnection({
      host: target.hostName,
      port: target.port,
      username: target.user,
      auth: { method: 'key', privateKey: await fs.readFile(target.identityFile[0]) },
      verifyHostKey: knownHostsVerifier(kh, target.hostName, target.port),
    });
    open.push(c);
    await c.connect();
    expect((await c.exec(['id', '-un'])).stdout).toBe(`${sshd.user}\n`);
  });

  it('a refused TCP connection is connection_failed', async () => {
    const server = await startSshd();
    await server.stop();
    const err = await connection(await freshKnownHosts(), await keyAuth(), server).connect().catch((e) => e);
    expect(err.code).toBe('connection_failed');
    expect(err.detail).toMatch(/ECONNREFUSED/);
  });
});

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
