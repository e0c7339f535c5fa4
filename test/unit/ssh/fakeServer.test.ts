// SshConnection against ssh2's Server: password auth and faults real sshd cannot produce on demand.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerChannel } from 'ssh2';
import { DomusError } from '../../../electron/api/errors';
import { SshConnection, remoteArgv, type SshOptions, type StateEvent } from '../../../electron/transport/ssh';
import { startFakeSshServer, type ExecContext, type FakeSshServer } from '../../support/fakeSshServer';

const USER = 'ops';
const PASSWORD = 'lab password';
let server: FakeSshServer;
let onExec: (cmd: string, ch: ServerChannel, ctx: ExecContext) => void;
const signals: string[] = [];
const open: SshConnection[] = [];

beforeAll(async () => {
  server = await startFakeSshServer({
    username: USER,
    password: PASSWORD,
    onExec: (cmd, ch, ctx) => onExec(cmd, ch, ctx),
    onSignal: (name) => signals.push(name),
  });
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});
afterAll(() => server.close());

function connection(extra: Partial<SshOptions> = {}): SshConnection {
  const c = new SshConnection({
    host: '127.0.0.1',
    port: server.port,
    username: USER,
    auth: { method: 'password', password: PASSWORD },
    // The fake server's key is the only one accepted here; anything else would be a test bug.
    verifyHostKey: async (blob) => (blob.equals(server.hostKeyBlob) ? { status: 'trusted' } : { status: 'unknown', fingerprint: '?' }),
    ...extra,
  });
  open.push(c);
  return c;
}

function answer(ch: ServerChannel, stdout: string, code: number): void {
  ch.write(stdout);
  ch.exit(code);
  ch.end();
}

describe('password authentication', () => {
  it('connects with the right password', async () => {
    onExec = (_cmd, ch) => answer(ch, 'hello\n', 0);
    const c = connection();
    await c.connect();
    expect(await c.exec(['echo', 'hello'])).toEqual({ code: 0, stdout: 'hello\n', stderr: '' });
  });

  it('a wrong password is auth_failed, with a sentence naming user and method', async () => {
    const err = await connection({ auth: { method: 'password', password: 'wrong' } }).connect().catch((e) => e);
    expect(err).toBeInstanceOf(DomusError);
    expect(err.code).toBe('auth_failed');
    expect(err.message).toBe(`127.0.0.1:${server.port} did not accept the password for user ${USER}.`);
  });
});

describe('what the host receives', () => {
  it('argv arrives as one quoted command line the remote shell cannot misread', async () => {
    onExec = (_cmd, ch) => answer(ch, '', 0);
    const c = connection();
    await c.connect();
    await c.exec(['xl', 'create', '/etc/xen/my guest.cfg', "name='x'; rm -rf /"]);
    expect(server.commands.at(-1)).toBe(`xl create '/etc/xen/my guest.cfg' 'name='\\''x'\\''; rm -rf /'`);
  });

  it('with sudo, every command is prefixed with sudo -n --', async () => {
    onExec = (_cmd, ch) => answer(ch, '', 0);
    const c = connection({ sudo: true });
    await c.connect();
    await c.exec(['xl', 'list']);
    expect(server.commands.at(-1)).toBe('sudo -n -- xl list');
    const s = await c.stream(['xentop', '-b']);
    s.stdout.resume();
    await s.done;
    expect(server.commands.at(-1)).toBe('sudo -n -- xentop -b');
  });

  it('remoteArgv keeps a leading dash from being read as a sudo option', () => {
    expect(remoteArgv(['-u', 'root', 'id'], true)).toEqual(['sudo', '-n', '--', '-u', 'root', 'id']);
    expect(remoteArgv(['id'], false)).toEqual(['id']);
    expect(() => remoteArgv([], true)).toThrow(DomusError);
  });

  it('a timed-out command is asked to stop (TERM) before its channel is closed', async () => {
    onExec = () => {}; // never answers
    const c = connection();
    await c.connect();
    signals.length = 0;
    await expect(c.exec(['sleep', '100'], { timeoutMs: 200 })).rejects.toMatchObject({ code: 'timeout' });
    await until(() => signals.length > 0);
    expect(signals).toEqual(['TERM']);
  });
});

describe('faults', () => {
  it('a link cut mid-command rejects the command with connection_lost, never success', async () => {
    onExec = (_cmd, ch, ctx) => {
      ch.write('partial output\n');
      setTimeout(() => ctx.cutConnection(), 100);
    };
    const c = connection();
    const states: StateEvent[] = [];
    c.on('state', (e) => states.push(e));
    await c.connect();
    const err = await c.exec(['xl', 'list']).catch((e) => e);
    expect(err).toBeInstanceOf(DomusError);
    expect(err.code).toBe('connection_lost');
    expect(err.message).toBe('The connection to 127.0.0.1 was lost while running xl list.');
    expect(states.at(-1)?.state).toBe('closed');
    expect(states.at(-1)?.reason).toMatch(/lost/);
    expect(c.state).toBe('closed');

    // Every command in flight fails the same way, and later ones are refused immediately.
    await expect(c.exec(['true'])).rejects.toMatchObject({ code: 'connection_lost' });

    // A new connection afterwards works.
    onExec = (_cmd, ch) => answer(ch, 'back\n', 0);
    const again = connection();
    await again.connect();
    expect((await again.exec(['echo', 'back'])).stdout).toBe('back\n');
  });

  it('several commands in flight all fail when the link drops, and streams end', async () => {
    const pending: ExecContext[] = [];
    onExec = (_cmd, _ch, ctx) => pending.push(ctx);
    const c = connection();
    await c.connect();
    const s = await c.stream(['xenstore-watch', '/local/domain']);
    const execs = [c.exec(['a']), c.exec(['b'])].map((p) => p.catch((e) => e));
    await until(() => pending.length === 3);
    pending[0].cutConnection();
    const errs = await Promise.all(execs);
    expect(errs.map((e) => e.code)).toEqual(['connection_lost', 'connection_lost']);
    expect(await s.done).toEqual({ code: null });
  });

  it('a host that goes silent is detected by keepalive and the command fails with connection_lost', async () => {
    onExec = (_cmd, _ch, ctx) => setTimeout(() => ctx.freeze(), 50);
    const c = connection({ keepaliveIntervalMs: 200, keepaliveCountMax: 2 });
    await c.connect();
    const started = Date.now();
    const err = await c.exec(['xl', 'list']).catch((e) => e);
    expect(err.code).toBe('connection_lost');
    expect(err.detail).toMatch(/Keepalive timeout/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a command the host ends without an exit status resolves with code null, not 0', async () => {
    onExec = (_cmd, ch) => {
      ch.write('half');
      ch.end();
    };
    const c = connection();
    await c.connect();
    expect(await c.exec(['x'])).toEqual({ code: null, stdout: 'half', stderr: '' });
  });

  it('a verifier that throws fails the connection instead of accepting the key', async () => {
    const err = await connection({
      verifyHostKey: async () => {
        throw new Error('disk on fire');
      },
    })
      .connect()
      .catch((e) => e);
    expect(err.code).toBe('internal');
    expect(err.detail).toBe('disk on fire');
  });
});

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
