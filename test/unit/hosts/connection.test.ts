// The hosts layer over real OpenSSH: add a host, meet its unknown key, trust it, see its
// inventory; lose the connection and see Domus say so, retry, and come back by itself.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../electron/api/dispatcher';
import type { HostSummary } from '../../../electron/api/hosts';
import { createBackend, type DomusBackend } from '../../../electron/hosts/backend';
import { MemorySecretStore } from '../../../electron/store/secretStore';
import { makeRecordedHost } from '../../support/recordedHost';
import { until } from '../../support/wait';
import { makeKeyPair, startSshd, tempDir, type KeyPair, type Sshd } from '../../support/sshd';
import { execFileSync } from 'node:child_process';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** Backend state changes quickly here (a recorded host on loopback): look often. */
const soon = <T>(fn: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000) =>
  until(what, fn, timeoutMs, 50);

async function recordedSshd(dir: string, client: KeyPair, hostKey?: KeyPair, port?: number, monitor = true): Promise<Sshd> {
  const config = await makeRecordedHost(dir, { monitor });
  return startSshd({
    authorizedKeys: [client.publicLine],
    extraConfig: config,
    ...(hostKey ? { hostKey } : {}),
    ...(port ? { port } : {}),
  });
}

describe('hosts over SSH', () => {
  it('an unknown key waits for the user ("awaitingKey") with the fingerprint; trusting it connects and shows the inventory', async () => {
    const dir = await tempDir();
    cleanup.push(() => fs.rm(dir, { recursive: true, force: true }));
    const client = await makeKeyPair(dir, 'client');
    const sshd = await recordedSshd(dir, client);
    cleanup.push(() => sshd.stop());
    const bus = new EventBus();
    const states: HostSummary[] = [];
    bus.subscribe((m) => m.name === 'connection.state' && states.push(m.payload as HostSummary));
    const backend: DomusBackend = await createBackend({
      configDir: path.join(dir, 'config'), secrets: new MemorySecretStore(), bus, mode: 'browser', userKnownHosts: null,
    });
    cleanup.push(() => backend.close());

    const host = await backend['hosts.add']({
      profile: { kind: 'ssh', name: 'Recorded', address: '127.0.0.1', port: sshd.port, user: sshd.user, auth: { method: 'key', keyPath: client.privatePath }, sudo: false },
    });
    await backend['hosts.connect']({ hostId: host.id });
    const failed = await soon(() => states.find((s) => s.state === 'awaitingKey'), 'the key question');
    expect(failed.hostKey).toMatchObject({ kind: 'unknown', fingerprint: sshd.hostKey.fingerprint });

    // A fingerprint other than the one shown is never trusted.
    await expect(backend['hosts.trustKey']({ hostId: host.id, fingerprint: `SHA256:${'A'.repeat(43)}` })).rejects.toThrow(/does not match/);
    await backend['hosts.trustKey']({ hostId: host.id, fingerprint: failed.hostKey!.fingerprint });
    await soon(() => states.some((s) => s.state === 'connected'), 'connected');

    const guests = await backend['guests.list']({ hostId: host.id });
    expect(guests.find((g) => g.isControlDomain)?.name).toBe('Domain-0');
    expect(guests.length).toBeGreaterThan(1);
    const info = await backend['host.info']({ hostId: host.id });
    expect(info?.xenVersion).toMatch(/^4\.17\./);

    // Live figures from the monitor script: CPU % from its second block on, each pCPU's load.
    const live = await soon(async () => {
      const g = (await backend['guests.list']({ hostId: host.id })).find((x) => x.name === 'kit-pv');
      return g?.cpuPercent !== null && g;
    }, 'a CPU % from the monitor stream');
    expect(live.memoryMiB).toBe(128);
    const pcpus = await soon(async () => {
      const m = await backend['metrics.host']({ hostId: host.id });
      return m.pcpuT.length > 0 && m.pcpuPercent;
    }, 'per-CPU figures');
    expect(pcpus).toHaveLength(2);

    // The key was recorded hashed, in Domus's own known_hosts.
    const kh = await fs.readFile(path.join(dir, 'config', 'known_hosts'), 'utf8');
    expect(kh).toMatch(/^\|1\|/);
    expect(kh).not.toContain('127.0.0.1');
  });

  it('a dropped connection shows "reconnecting" with the reason, and comes back by itself', async () => {
    const dir = await tempDir();
    cleanup.push(() => fs.rm(dir, { recursive: true, force: true }));
    const client = await makeKeyPair(dir, 'client');
    // The host key outlives the first sshd (stop() removes that sshd's own directory).
    const hostKey = await makeKeyPair(dir, 'host');
    let sshd = await recordedSshd(dir, client, hostKey);
    cleanup.push(() => sshd.stop());
    const bus = new EventBus();
    const states: HostSummary[] = [];
    bus.subscribe((m) => m.name === 'connection.state' && states.push(m.payload as HostSummary));
    const configDir = path.join(dir, 'config');
    await fs.mkdir(configDir, { recursive: true });
    // Known already: trusted in the user's known_hosts as [127.0.0.1]:port.
    const userKnownHosts = path.join(dir, 'known_hosts');
    await fs.writeFile(userKnownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostKey.publicLine}\n`);
    const backend = await createBackend({ configDir, secrets: new MemorySecretStore(), bus, mode: 'browser', userKnownHosts });
    cleanup.push(() => backend.close());
    const host = await backend['hosts.add']({
      profile: { kind: 'ssh', name: 'Recorded', address: '127.0.0.1', port: sshd.port, user: sshd.user, auth: { method: 'key', keyPath: client.privatePath }, sudo: false },
    });
    await backend['hosts.connect']({ hostId: host.id });
    await soon(() => states.some((s) => s.state === 'connected'), 'connected');

    // The host goes away: the listener stops and every session process dies.
    const { port, pid } = sshd;
    execFileSync('pkill', ['-KILL', '-P', String(pid)]);
    await sshd.stop();
    const lost = await soon(() => states.find((s) => s.state === 'reconnecting'), 'reconnecting');
    expect(lost.reason).toMatch(/lost|ended|connect/i);

    // It comes back on the same address with the same key: Domus reconnects without being asked.
    states.length = 0;
    const sshdDir = await tempDir();
    cleanup.push(() => fs.rm(sshdDir, { recursive: true, force: true }));
    sshd = await recordedSshd(sshdDir, client, hostKey, port);
    await soon(() => states.some((s) => s.state === 'connected'), 'connected again', 60_000);
    const guests = await backend['guests.list']({ hostId: host.id });
    expect(guests.some((g) => g.name === 'Domain-0')).toBe(true);
  });

  it('a host that cannot run the monitor script (no libxenstat) is watched through xentop instead', async () => {
    const dir = await tempDir();
    cleanup.push(() => fs.rm(dir, { recursive: true, force: true }));
    const client = await makeKeyPair(dir, 'client');
    const sshd = await recordedSshd(dir, client, undefined, undefined, false);
    cleanup.push(() => sshd.stop());
    const bus = new EventBus();
    const states: HostSummary[] = [];
    bus.subscribe((m) => m.name === 'connection.state' && states.push(m.payload as HostSummary));
    const userKnownHosts = path.join(dir, 'known_hosts');
    await fs.writeFile(userKnownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostKey.publicLine}\n`);
    const backend = await createBackend({ configDir: path.join(dir, 'config'), secrets: new MemorySecretStore(), bus, mode: 'browser', userKnownHosts });
    cleanup.push(() => backend.close());
    const host = await backend['hosts.add']({
      profile: { kind: 'ssh', name: 'Recorded', address: '127.0.0.1', port: sshd.port, user: sshd.user, auth: { method: 'key', keyPath: client.privatePath }, sudo: false },
    });
    await backend['hosts.connect']({ hostId: host.id });
    await soon(() => states.some((s) => s.state === 'connected'), 'connected');
    // xentop's second frame carries CPU %; the connection stays up, without per-CPU figures.
    await soon(async () => (await backend['guests.list']({ hostId: host.id })).some((g) => g.cpuPercent !== null), 'a CPU % from xentop');
    expect(states.at(-1)?.state).toBe('connected');
    expect((await backend['metrics.host']({ hostId: host.id })).pcpuT).toHaveLength(0);
  });
});
