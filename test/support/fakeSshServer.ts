// An ssh2 Server on a random loopback port, for what real sshd cannot be made to do on demand:
// password auth without a system account, and faults (a link cut mid-command, a host that goes
// silent). Sockets are accepted by our own net.Server and injected, so a test can cut them.
import net from 'node:net';
import ssh2 from 'ssh2';
import type { ServerChannel } from 'ssh2';
const { Server, utils } = ssh2;
type Server = InstanceType<typeof Server>;

export interface ExecContext {
  /** Cut the TCP connection abruptly, as a dropped link would. */
  cutConnection(): void;
  /** Stop reading and answering on the connection while keeping it open (a frozen host). */
  freeze(): void;
}

export interface FakeSshOptions {
  username: string;
  password: string;
  onExec(command: string, channel: ServerChannel, ctx: ExecContext): void;
  /** A `signal` channel request (e.g. "TERM") arrived. */
  onSignal?(name: string): void;
}

export interface FakeSshServer {
  port: number;
  hostKeyBlob: Buffer;
  /** Every command line received, in order. */
  commands: string[];
  close(): Promise<void>;
}

export async function startFakeSshServer(opts: FakeSshOptions): Promise<FakeSshServer> {
  // ssh2's generateKeyPairSync drops a leading zero byte of an Ed25519 public key (about one key
  // in 200), which then does not parse: such a key is generated again.
  let keys = utils.generateKeyPairSync('ed25519');
  let parsed = utils.parseKey(keys.public);
  for (let tries = 0; parsed instanceof Error && tries < 20; tries++) {
    keys = utils.generateKeyPairSync('ed25519');
    parsed = utils.parseKey(keys.public);
  }
  if (parsed instanceof Error) throw parsed;
  const hostKeyBlob = parsed.getPublicSSH();
  const commands: string[] = [];
  const sockets = new Set<net.Socket>();
  // ssh2's Server routes a `signal` request to the session only before exec starts, and answers
  // later ones with a failure; its protocol debug stream still shows what arrived.
  const watchSignals = (line: string) => {
    const m = /Inbound: CHANNEL_REQUEST \(r:\d+, signal: (\w+)\)/.exec(line);
    if (m) opts.onSignal?.(m[1]);
  };
  const ssh = new Server({ hostKeys: [keys.private], debug: watchSignals }, (client, info) => {
    // ssh2 hands us the Connection without its socket; find it by the client's source port.
    const sock = [...sockets].find((s) => s.remotePort === info.port);
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && ctx.username === opts.username && ctx.password === opts.password) ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('session', (accept) => {
      const session = accept();
      session.on('exec', (acceptExec, _reject, info) => {
        commands.push(info.command);
        const channel = acceptExec();
        opts.onExec(info.command, channel, {
          cutConnection: () => sock?.destroy(),
          freeze: () => {
            sock?.pause();
            sock?.removeAllListeners('data');
          },
        });
      });
    });
  });
  const tcp = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    ssh.injectSocket(sock);
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  return {
    port: (tcp.address() as net.AddressInfo).port,
    hostKeyBlob,
    commands,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        tcp.close(() => resolve());
      }),
  };
}
