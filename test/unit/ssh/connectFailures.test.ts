// Why a connection failed, said in the headline in words an admin acts on, with Node's or ssh2's
// own error kept as the detail. Every cause is produced for real on loopback.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomusError } from '../../../electron/api/errors';
import { HostKeyError, SshConnection, type SshOptions } from '../../../electron/transport/ssh';
import { startFakeSshServer, type FakeSshServer } from '../../support/fakeSshServer';

const USER = 'ops';
const PASSWORD = 'lab password';
let sshServer: FakeSshServer;
const servers: net.Server[] = [];

beforeAll(async () => {
  sshServer = await startFakeSshServer({ username: USER, password: PASSWORD, onExec: (_c, ch) => ch.exit(0) });
});
afterAll(async () => {
  await sshServer.close();
  for (const s of servers) s.close();
});

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

async function failure(opts: Partial<SshOptions>): Promise<DomusError> {
  const c = new SshConnection({
    host: '127.0.0.1',
    username: USER,
    auth: { method: 'password', password: PASSWORD },
    verifyHostKey: async () => ({ status: 'trusted' }),
    readyTimeoutMs: 10_000,
    ...opts,
  });
  const err = await c.connect().then(
    () => new Error('connected, but a failure was expected'),
    (e: unknown) => e,
  );
  c.close();
  expect(err).toBeInstanceOf(DomusError);
  return err as DomusError;
}

describe('a failed connection says why', () => {
  it('a name that does not resolve', async () => {
    const err = await failure({ host: 'xen-host.invalid', port: 22 });
    expect(err.code).toBe('connection_failed');
    expect(err.message).toBe('The name xen-host.invalid does not resolve to an address: check its spelling, or the DNS settings of this computer.');
    expect(err.detail).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });

  it('nothing listens on the port', async () => {
    const closed = net.createServer();
    const port = await listen(closed);
    await new Promise((r) => closed.close(r));
    const err = await failure({ port });
    expect(err.code).toBe('connection_failed');
    expect(err.message).toBe(`Nothing listens on port ${port} of 127.0.0.1: check the port, and that sshd runs there.`);
    expect(err.detail).toMatch(/ECONNREFUSED/);
  });

  it('the port answers, but not in SSH (a web server)', async () => {
    const port = await listen(http.createServer((_req, res) => res.end('hello')));
    const err = await failure({ port });
    expect(err.code).toBe('connection_failed');
    expect(err.message).toBe(`Port ${port} of 127.0.0.1 does not speak SSH: it answered "HTTP/1.1 400 Bad Request". Check the port.`);
    expect(err.detail).toMatch(/HTTP\/1\.1 400/);
  });

  it('the port answers something that is not SSH and then waits', async () => {
    const port = await listen(net.createServer((s) => {
      s.on('data', () => {});
      s.write('220 mail.example ESMTP ready\r\n');
    }));
    const err = await failure({ port, readyTimeoutMs: 1_500 });
    expect(err.message).toBe(`Port ${port} of 127.0.0.1 does not speak SSH: it answered "220 mail.example ESMTP ready". Check the port.`);
  });

  it('the port accepts and says nothing: timed out', async () => {
    const port = await listen(net.createServer((s) => s.on('data', () => {})));
    const err = await failure({ port, readyTimeoutMs: 1_500 });
    expect(err.code).toBe('timeout');
    expect(err.message).toBe(`127.0.0.1:${port} accepted the connection but said nothing for 1.5 s: the host may be overloaded, or something in between holds the connection.`);
    expect(err.detail).toMatch(/Timed out/);
  });

  it('the host refuses the credentials', async () => {
    const err = await failure({ port: sshServer.port, auth: { method: 'password', password: 'wrong' } });
    expect(err.code).toBe('auth_failed');
    expect(err.message).toBe(`127.0.0.1:${sshServer.port} did not accept the password for user ${USER}.`);
    expect(err.detail).toMatch(/authentication methods failed/);
  });

  it('the host key changed', async () => {
    const known = `SHA256:${'B'.repeat(43)}`;
    const err = await failure({
      port: sshServer.port,
      verifyHostKey: async () => ({ status: 'changed', fingerprint: `SHA256:${'C'.repeat(43)}`, knownFingerprints: [known] }),
    });
    expect(err).toBeInstanceOf(HostKeyError);
    expect(err.code).toBe('host_key_changed');
    expect(err.message).toMatch(new RegExp(`^The key of 127\\.0\\.0\\.1:${sshServer.port} has changed`));
    expect(err.message).toContain(known);
  });
});
