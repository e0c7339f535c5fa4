// The lab's real OpenSSH: the first connection waits for the user to check the key (the
// fingerprint `ssh-keygen -l` prints for the image), a profile moved to another port that reaches
// the same sshd keeps its trust, and refusals from the real server read as what they are.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../electron/api/dispatcher';
import type { HostSummary } from '../../../electron/api/hosts';
import { createBackend, type DomusBackend } from '../../../electron/hosts/backend';
import { MemorySecretStore } from '../../../electron/store/secretStore';
import { until } from '../../support/wait';
import { imagePaths } from '../paths';
import { running } from '../vm';

describe('lab: hosts', () => {
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  let dir: string;
  let backend: DomusBackend;
  const states: HostSummary[] = [];

  const listen = async (server: net.Server) => {
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as net.AddressInfo).port;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'domus-hosts-lab-'));
    const bus = new EventBus();
    bus.subscribe((m) => m.name === 'connection.state' && states.push(m.payload as HostSummary));
    backend = await createBackend({
      configDir: dir, secrets: new MemorySecretStore(), bus, mode: 'browser', userKnownHosts: null, sshConfigFile: path.join(dir, 'no-ssh-config'),
    });
  });
  afterAll(async () => {
    await backend?.close();
    for (const s of sockets) s.destroy();
    for (const s of servers) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The next state after `from` that is neither on the way nor disconnected. */
  const settled = (from: number) =>
    until('a settled state', () => states.slice(from).find((s) => ['connected', 'failed', 'awaitingKey'].includes(s.state)), 240_000, 200);

  it('lab: hosts — first contact waits for the key check, a moved profile keeps its trust, refusals say why', async () => {
    const lab = running();
    if (!lab) throw new Error('The lab is not running.');
    const img = imagePaths();
    const labFp = execFileSync('ssh-keygen', ['-lf', img.hostKeyPub], { encoding: 'utf8' }).split(' ')[1];
    // Another port that reaches the same sshd: the host seen under a second address.
    const viaPort = await listen(net.createServer((a) => {
      const b = net.connect(lab.port, '127.0.0.1');
      sockets.add(a).add(b);
      a.pipe(b).pipe(a);
      a.on('error', () => b.destroy());
      b.on('error', () => a.destroy());
    }));
    const profile = (port: number, user = 'root') =>
      ({ kind: 'ssh', name: 'Lab', address: '127.0.0.1', port, user, auth: { method: 'key', keyPath: img.key }, sudo: false }) as const;

    const host = await backend['hosts.add']({ profile: profile(viaPort) });
    await backend['hosts.connect']({ hostId: host.id });
    const asked = await settled(0);
    expect(asked.state, `${asked.reason} | ${asked.detail}`).toBe('awaitingKey');
    expect(asked.hostKey).toMatchObject({ kind: 'unknown', fingerprint: labFp });
    expect(states.some((s) => s.state === 'failed')).toBe(false);
    let mark = states.length;
    await backend['hosts.trustKey']({ hostId: host.id, fingerprint: labFp });
    expect((await settled(mark)).state).toBe('connected');
    expect((await backend['guests.list']({ hostId: host.id })).some((g) => g.name === 'Domain-0')).toBe(true);

    // Moved to the lab's own port: the same key, so no question, and connected again by itself.
    mark = states.length;
    await backend['hosts.update']({ hostId: host.id, profile: profile(lab.port) });
    const moved = await settled(mark);
    expect(moved).toMatchObject({ state: 'connected', port: lab.port });
    expect(moved.hostKey).toBeUndefined();

    // A user sshd refuses: said as such, with ssh2's words as the detail.
    mark = states.length;
    await backend['hosts.update']({ hostId: host.id, profile: profile(lab.port, 'nobody-here') });
    const refused = await settled(mark);
    expect(refused.state).toBe('failed');
    expect(refused.reason).toBe(`127.0.0.1:${lab.port} did not accept the private key for user nobody-here.`);
    expect(refused.detail).toMatch(/authentication methods failed/);

    // A port where a web server listens.
    const webPort = await listen(http.createServer((_q, r) => r.end('ok')));
    mark = states.length;
    await backend['hosts.update']({ hostId: host.id, profile: profile(webPort) });
    await backend['hosts.connect']({ hostId: host.id });
    const notSsh = await settled(mark);
    expect(notSsh.reason).toBe(`Port ${webPort} of 127.0.0.1 does not speak SSH: it answered "HTTP/1.1 400 Bad Request". Check the port.`);
  });
});
