// Editing a host in place, and what becomes of its trusted key: the first connection to an
// unknown key waits for the user (it is not a failure); a profile moved to another port keeps
// its trust only if the host there presents the same key; a changed key can be forgotten from
// Domus's own record once the user typed the host's name.
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../electron/api/dispatcher';
import type { HostSummary } from '../../../electron/api/hosts';
import { createBackend } from '../../../electron/hosts/backend';
import { fingerprintSha256, KnownHosts } from '../../../electron/store/knownHosts';
import { MemorySecretStore } from '../../../electron/store/secretStore';
import { startFakeSshServer, type FakeSshServer } from '../../support/fakeSshServer';
import { until } from '../../support/wait';

const USER = 'ops';
const PASSWORD = 'lab password';
const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** An SSH server whose every command fails: enough to get past the key and authentication. */
async function sshServer(): Promise<FakeSshServer> {
  const s = await startFakeSshServer({ username: USER, password: PASSWORD, onExec: (_c, ch) => { ch.exit(127); ch.end(); } });
  cleanup.push(() => s.close());
  return s;
}

/** Another port in front of the same server: the same host, moved (same key). */
async function forwarder(to: number): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((a) => {
    const b = net.connect(to, '127.0.0.1');
    sockets.add(a).add(b);
    a.pipe(b).pipe(a);
    a.on('error', () => b.destroy());
    b.on('error', () => a.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(r));
  });
  return (server.address() as net.AddressInfo).port;
}

async function setup(userKnownHostsText?: string) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'domus-edit-'));
  cleanup.push(() => fs.rm(dir, { recursive: true, force: true }));
  const userKnownHosts = userKnownHostsText === undefined ? null : path.join(dir, 'user_known_hosts');
  if (userKnownHosts) await fs.writeFile(userKnownHosts, userKnownHostsText!);
  const bus = new EventBus();
  const states: HostSummary[] = [];
  bus.subscribe((m) => m.name === 'connection.state' && states.push(m.payload as HostSummary));
  const backend = await createBackend({ configDir: dir, secrets: new MemorySecretStore(), bus, mode: 'browser', userKnownHosts });
  cleanup.push(() => backend.close());
  const knownHosts = new KnownHosts({ domusFile: path.join(dir, 'known_hosts'), userFile: null });
  /** The next state after `from` events that is settled (neither connecting nor disconnected). */
  const settled = (from: number) =>
    until('a settled connection state', () => states.slice(from).find((s) => !['connecting', 'disconnected', 'reconnecting'].includes(s.state)), 20_000, 50);
  return { backend, states, knownHosts, settled, dir };
}

const profile = (port: number, name = 'Moved') =>
  ({ kind: 'ssh', name, address: '127.0.0.1', port, user: USER, auth: { method: 'password' }, sudo: false }) as const;

describe('editing a host and its trusted key', () => {
  it('waits for the user on an unknown key; a move keeps trust for the same key and reports another as changed', async () => {
    const first = await sshServer();
    const other = await sshServer();
    const samePort = await forwarder(first.port);
    const { backend, states, knownHosts, settled } = await setup();

    const added = await backend['hosts.add']({ profile: { ...profile(first.port), auth: { method: 'password', password: PASSWORD } } });
    await backend['hosts.connect']({ hostId: added.id });
    const asked = await settled(0);
    // A question for the user, not a failure.
    expect(asked.state).toBe('awaitingKey');
    expect(asked.hostKey).toMatchObject({ kind: 'unknown', fingerprint: fingerprintSha256(first.hostKeyBlob) });
    expect(states.some((s) => s.state === 'failed')).toBe(false);
    await backend['hosts.trustKey']({ hostId: added.id, fingerprint: asked.hostKey!.fingerprint });
    const afterTrust = await settled(states.length);
    expect(afterTrust.hostKey).toBeUndefined();

    // Moved to another port where the same host answers: trusted there too, without a question.
    let mark = states.length;
    const moved = await backend['hosts.update']({ hostId: added.id, profile: { ...profile(samePort), name: 'Moved here' } });
    expect(moved).toMatchObject({ id: added.id, name: 'Moved here', port: samePort });
    await backend['hosts.connect']({ hostId: added.id });
    const there = await settled(mark);
    expect(there.hostKey).toBeUndefined();
    // The saved password was kept (the edit left it out): authentication passed.
    expect(there.reason ?? '').not.toMatch(/did not accept/);
    expect(await knownHosts.check('127.0.0.1', samePort, first.hostKeyBlob)).toEqual({ status: 'trusted' });

    // Moved again, to a host with another key: the changed-key question, naming the known key.
    mark = states.length;
    await backend['hosts.update']({ hostId: added.id, profile: profile(other.port) });
    await backend['hosts.connect']({ hostId: added.id });
    const changed = await settled(mark);
    expect(changed.state).toBe('failed');
    expect(changed.hostKey).toMatchObject({
      kind: 'changed',
      fingerprint: fingerprintSha256(other.hostKeyBlob),
      knownFingerprints: [fingerprintSha256(first.hostKeyBlob)],
    });
    // Still one host, the same one.
    expect((await backend['hosts.list']({})).map((h) => [h.id, h.port])).toEqual([[added.id, other.port]]);
  });

  it('forgets a changed key from Domus\'s record only with the host\'s name typed, then asks about the new key', async () => {
    const server = await sshServer();
    const { backend, states, knownHosts, settled } = await setup();
    const stale = await sshServer();
    await knownHosts.trust('127.0.0.1', server.port, stale.hostKeyBlob);
    const added = await backend['hosts.add']({ profile: { ...profile(server.port, 'xen-a'), auth: { method: 'password', password: PASSWORD } } });
    await backend['hosts.connect']({ hostId: added.id });
    expect((await settled(0)).hostKey?.kind).toBe('changed');

    await expect(backend['hosts.forgetKey']({ hostId: added.id, confirmName: 'xen-b' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: "Type the host's name, xen-a, to confirm that Domus should forget its key.",
    });
    expect(await knownHosts.check('127.0.0.1', server.port, stale.hostKeyBlob)).toEqual({ status: 'trusted' });

    const mark = states.length;
    const r = await backend['hosts.forgetKey']({ hostId: added.id, confirmName: 'xen-a' });
    expect(r.removed).toBe(1);
    const asked = await settled(mark);
    expect(asked.state).toBe('awaitingKey');
    expect(asked.hostKey).toMatchObject({ kind: 'unknown', fingerprint: fingerprintSha256(server.hostKeyBlob) });
  });

  it('when the old key is only in ~/.ssh/known_hosts, forgetting says so and changes nothing', async () => {
    const server = await sshServer();
    const stale = await sshServer();
    const { backend, states, settled } = await setup(`[127.0.0.1]:${server.port} ssh-ed25519 ${stale.hostKeyBlob.toString('base64')}\n`);
    const added = await backend['hosts.add']({ profile: { ...profile(server.port, 'xen-c'), auth: { method: 'password', password: PASSWORD } } });
    await backend['hosts.connect']({ hostId: added.id });
    expect((await settled(0)).hostKey?.kind).toBe('changed');
    const mark = states.length;
    const r = await backend['hosts.forgetKey']({ hostId: added.id, confirmName: 'xen-c' });
    expect(r.removed).toBe(0);
    // No pointless reconnect: the question stays as it was, for the dialog to explain.
    expect(r.host.hostKey?.kind).toBe('changed');
    expect(states.length).toBe(mark);
  });

  it('a refused edit changes nothing', async () => {
    const { backend } = await setup();
    const a = await backend['hosts.add']({ profile: { ...profile(2201, 'a'), auth: { method: 'agent' } } });
    await backend['hosts.add']({ profile: { ...profile(2202, 'b'), auth: { method: 'agent' } } });
    await expect(backend['hosts.update']({ hostId: a.id, profile: { ...profile(2202, 'a'), auth: { method: 'agent' } } })).rejects.toMatchObject({ code: 'conflict' });
    await expect(backend['hosts.update']({ hostId: a.id, profile: profile(2201, 'a') })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'Enter the password for this host.',
    });
    expect((await backend['hosts.list']({})).find((h) => h.id === a.id)).toMatchObject({ port: 2201, authMethod: 'agent' });
  });
});
