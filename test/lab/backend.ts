// Domus's real backend connected to the lab host (no UI), for lab tests that call the contract
// directly. The lab's host key is put in a user known_hosts file of the test's own, so the
// connection is checked strictly without a trust step; the file is also there for a UI test
// that wants the same host already known.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventBus, createDispatcher, type Dispatch } from '../../electron/api/dispatcher';
import { createBackend, type DomusBackend } from '../../electron/hosts/backend';
import { MemorySecretStore } from '../../electron/store/secretStore';
import type { LabHost } from './labHost';
import { imagePaths } from './paths';
import { until } from '../support/wait';

export interface LabBackend {
  backend: DomusBackend;
  dispatch: Dispatch;
  hostId: string;
  /** A known_hosts file holding the lab's key (for startBrowserApp({ userKnownHosts })). */
  knownHosts: string;
  close(): Promise<void>;
}

export async function connectLabBackend(lab: LabHost, prefix: string): Promise<LabBackend> {
  const dir = mkdtempSync(path.join(tmpdir(), `domus-${prefix}-lab-`));
  const img = imagePaths();
  const knownHosts = path.join(dir, 'user_known_hosts');
  const hostKey = readFileSync(img.hostKeyPub, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  writeFileSync(knownHosts, `[127.0.0.1]:${lab.state.port} ${hostKey}\n`);
  const backend = await createBackend({
    configDir: dir, secrets: new MemorySecretStore(), bus: new EventBus(), mode: 'browser',
    userKnownHosts: knownHosts, sshConfigFile: path.join(dir, 'no-ssh-config'),
  });
  const { id: hostId } = await backend['hosts.add']({
    profile: { kind: 'ssh', name: 'Lab', address: '127.0.0.1', port: lab.state.port, user: 'root', auth: { method: 'key', keyPath: img.key }, sudo: false },
  });
  await backend['hosts.connect']({ hostId });
  // Connected, not merely listed: host facts arrive before the live streams are up, and an
  // operation in between is told the host is not connected yet.
  await until('the lab host connected', async () => (await backend['hosts.list']({})).find((h) => h.id === hostId)?.state === 'connected', 180_000);
  return {
    backend,
    dispatch: createDispatcher(backend),
    hostId,
    knownHosts,
    async close() {
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
