// A local host reaches a guest's VNC server on its own loopback directly (no SSH to forward through).
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectLoopback } from '../../../electron/hosts/hostConnection';

const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

function listen(onConnection: (sock: net.Socket) => void): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer(onConnection);
    servers.push(srv);
    srv.listen(0, '127.0.0.1', () => resolve((srv.address() as net.AddressInfo).port));
  });
}

describe('connectLoopback', () => {
  it('carries bytes both ways to a server on 127.0.0.1', async () => {
    const port = await listen((sock) => {
      sock.write('RFB 003.008\n');
      sock.on('data', (d) => sock.end(`echo:${d.toString()}`));
    });
    const sock = await connectLoopback(port);
    let got = '';
    sock.on('data', (d: Buffer) => {
      got += d.toString();
      if (got === 'RFB 003.008\n') sock.write('hello');
    });
    await new Promise((r) => sock.once('end', r));
    expect(got).toBe('RFB 003.008\necho:hello');
  });

  it('says nothing answers when the port is closed', async () => {
    const port = await listen(() => {});
    servers.pop()!.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(connectLoopback(port)).rejects.toMatchObject({ code: 'connection_failed', message: `Nothing answers on 127.0.0.1:${port} on this computer.` });
  });
});
