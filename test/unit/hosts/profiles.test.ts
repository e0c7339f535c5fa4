// Saved hosts survive restarts; a corrupt hosts.json is set aside and reported, never replaced.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../electron/api/dispatcher';
import { createBackend } from '../../../electron/hosts/backend';
import { MemorySecretStore } from '../../../electron/store/secretStore';
import { tempDir } from '../../support/sshd';

const open = (configDir: string, secrets = new MemorySecretStore()) =>
  createBackend({ configDir, secrets, bus: new EventBus(), mode: 'browser', userKnownHosts: null });

describe('host profiles', () => {
  it('are saved atomically without secrets and come back after a restart', async () => {
    const dir = await tempDir();
    const secrets = new MemorySecretStore();
    const a = await open(dir, secrets);
    await a['hosts.add']({
      profile: { kind: 'ssh', name: 'Rack 1', address: 'xen1.example', port: 2222, user: 'admin', auth: { method: 'password', password: 'hunter2' }, sudo: true },
    });
    await a.close();
    const text = await fs.readFile(path.join(dir, 'hosts.json'), 'utf8');
    expect(text).toContain('xen1.example');
    expect(text).not.toContain('hunter2');
    expect((await fs.stat(path.join(dir, 'hosts.json'))).mode & 0o777).toBe(0o600);
    const b = await open(dir, secrets);
    const hosts = await b['hosts.list']({});
    expect(hosts).toMatchObject([{ name: 'Rack 1', address: 'xen1.example', port: 2222, user: 'admin', sudo: true, state: 'disconnected' }]);
    await b.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a corrupt hosts.json is kept aside and reported at start', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'hosts.json'), '{"version":1,"hosts":[{"id":');
    const backend = await open(dir);
    const info = await backend['app.info']({});
    expect(info.startupProblems).toHaveLength(1);
    expect(info.startupProblems[0]).toMatch(/hosts\.json/);
    const files = await fs.readdir(dir);
    const aside = files.find((f) => f.startsWith('hosts.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(await fs.readFile(path.join(dir, aside!), 'utf8')).toBe('{"version":1,"hosts":[{"id":');
    expect(await backend['hosts.list']({})).toEqual([]);
    await backend.close();
    await fs.rm(dir, { recursive: true, force: true });
  });
});
