// "This computer" is offered only where Domus can run Xen's toolstack, with a sentence otherwise.
// This build machine is no Xen host (no xl, not dom0): that is what the real probe must say here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../electron/api/dispatcher';
import { createBackend } from '../../../electron/hosts/backend';
import { judgeLocalXen, localTransport, probeLocalXen, sudoRule, sudoRuleSentence } from '../../../electron/hosts/localXen';
import { MemorySecretStore } from '../../../electron/store/secretStore';
import { labFixture } from '../../fixtures/lab';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('this computer as a host', () => {
  it('is not offered on a machine without xl, and says why', async () => {
    const local = await probeLocalXen(localTransport());
    // Not root, Domus would reach xl through sudo -n, and the build machine may have no sudo.
    const root = process.getuid?.() === 0;
    expect(local).toEqual({
      offered: false,
      available: false,
      reason: root || local.reason?.startsWith('This computer is not')
        ? 'This computer is not a Xen host: it is not a Xen control domain (dom0) and has no xl. Add your Xen host over SSH.'
        : 'sudo is not installed on this computer, and Domus does not run as root, so it cannot run the Xen toolstack here.',
      sudoRule: null,
    });
  });

  it('adding it is refused with that sentence, and app.info says the same', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'domus-localxen-'));
    dirs.push(dir);
    const backend = await createBackend({ configDir: dir, secrets: new MemorySecretStore(), bus: new EventBus(), mode: 'browser', userKnownHosts: null });
    try {
      const info = await backend['app.info']({});
      expect(info.localXen).toBe(false);
      expect(info.local?.reason).toMatch(/^This computer is not a Xen host/);
      await expect(backend['hosts.add']({ profile: { kind: 'local', name: 'Here' } })).rejects.toMatchObject({
        code: 'unsupported',
        message: info.local?.reason,
      });
      expect(await backend['hosts.list']({})).toEqual([]);
    } finally {
      await backend.close();
    }
  });

  it('is available where xl info answers (recorded on the lab dom0)', () => {
    const xl = labFixture('xl-info');
    const r = { code: xl.exitCode, stdout: xl.stdout, stderr: xl.stderr };
    expect(judgeLocalXen({ platform: 'linux', root: true, user: 'root', dom0: true, xlInfo: r })).toEqual({ offered: true, available: true, reason: null, sudoRule: null });
  });

  it('elsewhere than Linux it points to SSH', () => {
    const r = judgeLocalXen({ platform: 'darwin', root: false, user: 'ann', dom0: false, xlInfo: { code: 0, stdout: '', stderr: '' } });
    expect(r).toMatchObject({ offered: false, reason: 'This computer runs darwin, not a Xen control domain (dom0): add your Xen host over SSH.' });
  });

  it('the sudo rule names the user and says why it is not narrower', () => {
    expect(sudoRule('ann')).toBe('ann ALL=(root) NOPASSWD: ALL');
    expect(sudoRuleSentence('ann')).toContain('visudo -f /etc/sudoers.d/domus');
    expect(sudoRuleSentence('ann')).toContain('`sudo -n`');
  });
});
