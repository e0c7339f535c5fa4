// A host whose output Domus cannot read: the connection stops with a sentence that names the
// host, the host's raw output as detail, and the backend carries on.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../electron/api/dispatcher';
import type { HostSummary } from '../../../electron/api/hosts';
import { createBackend } from '../../../electron/hosts/backend';
import { MemorySecretStore } from '../../../electron/store/secretStore';
import { makeRecordedHost } from '../../support/recordedHost';
import { makeKeyPair, startSshd, tempDir } from '../../support/sshd';
import { until } from '../../support/wait';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('a host that prints what Domus cannot read', () => {
  it('fails the connection with an error that names the host and keeps the output as detail', async () => {
    const dir = await tempDir();
    cleanup.push(() => fs.rm(dir, { recursive: true, force: true }));
    const client = await makeKeyPair(dir, 'client');
    const config = await makeRecordedHost(dir);
    // The recorded `xl info` without its "host" line.
    const info = path.join(dir, 'data', 'xl-info');
    await fs.writeFile(info, (await fs.readFile(info, 'utf8')).replace(/^host\s+:.*\n/m, ''));
    const sshd = await startSshd({ authorizedKeys: [client.publicLine], extraConfig: config });
    cleanup.push(() => sshd.stop());
    const bus = new EventBus();
    const states: HostSummary[] = [];
    bus.subscribe((m) => m.name === 'connection.state' && states.push(m.payload as HostSummary));
    const backend = await createBackend({
      configDir: path.join(dir, 'config'), secrets: new MemorySecretStore(), bus, mode: 'browser', userKnownHosts: null,
    });
    cleanup.push(() => backend.close());
    const host = await backend['hosts.add']({
      profile: { kind: 'ssh', name: 'Hostile', address: '127.0.0.1', port: sshd.port, user: sshd.user, auth: { method: 'key', keyPath: client.privatePath }, sudo: false },
    });
    await backend['hosts.connect']({ hostId: host.id });
    const keyProblem = await until('the key question', () => states.find((s) => s.state === 'awaitingKey'), 20_000, 50);
    states.length = 0;
    await backend['hosts.trustKey']({ hostId: host.id, fingerprint: keyProblem.hostKey!.fingerprint });

    const end = await until('the connection to end', () => states.find((s) => s.state === 'failed' || s.state === 'connected'), 20_000, 50);
    expect(end.state).toBe('failed');
    expect(end.reason).toBe('Hostile printed something Domus cannot read: xl info output has no "host" line.');
    expect(end.detail).toMatch(/^nr_cpus\s+:\s+\d+$/m);
    // The backend still answers.
    expect((await backend['hosts.list']({})).map((h) => h.name)).toEqual(['Hostile']);
  });
});
