import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConfigFile } from '../../../electron/store/sshConfig';
import { tempDir } from '../../support/sshd';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('domus-sshcfg-');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

async function configFile(text: string): Promise<SshConfigFile> {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}`);
  await fs.writeFile(file, text);
  return SshConfigFile.read(file, { home: '/home/ada', localUser: 'ada' });
}

describe('SshConfigFile', () => {
  it('lists the aliases a person can pick, not patterns', async () => {
    const cfg = await configFile(
      'Host xen1 xen2\n  HostName 10.0.0.1\nHost *.lab !evil.lab\n  User root\nHost *\n  ServerAliveInterval 10\nHost xen1 dev?\n  Port 2\n',
    );
    expect(cfg.aliases()).toEqual(['xen1', 'xen2']);
  });

  it('resolves an alias the way ssh would: first value wins, Host * as fallback, tokens expanded', async () => {
    const cfg = await configFile(
      [
        'Host xen1',
        '  HostName %h.dc.example',
        '  Port 2222',
        '  IdentityFile ~/.ssh/xen_%r@%h:%p',
        '  IdentityFile "/keys/with space/%u"',
        '  ProxyJump jump.example',
        'Host xen*',
        '  User ops',
        '  Port 9',
        'Host *',
        '  User admin',
        '  IdentityFile %d/.ssh/id_ed25519',
      ].join('\n'),
    );
    expect(cfg.resolve('xen1')).toEqual({
      alias: 'xen1',
      hostName: 'xen1.dc.example',
      port: 2222,
      user: 'ops',
      identityFile: [
        '/home/ada/.ssh/xen_ops@xen1.dc.example:2222',
        '/keys/with space/ada',
        '/home/ada/.ssh/id_ed25519',
      ],
      proxyJump: 'jump.example',
    });
  });

  it('falls back to the alias, port 22 and the local user', async () => {
    const cfg = await configFile('Host other\n  Port 1\n');
    expect(cfg.resolve('plain.lab')).toEqual({ alias: 'plain.lab', hostName: 'plain.lab', port: 22, user: 'ada', identityFile: [] });
  });

  it('reads directive names case-insensitively', async () => {
    const cfg = await configFile('host box\n  hostname 192.0.2.7\n  PORT 2200\n  user ops\n');
    expect(cfg.resolve('box')).toMatchObject({ hostName: '192.0.2.7', port: 2200, user: 'ops' });
  });

  it('treats a missing file as an empty config', async () => {
    const cfg = await SshConfigFile.read(path.join(dir, 'does-not-exist'));
    expect(cfg.aliases()).toEqual([]);
  });

  it('never runs Match exec, and its settings do not apply', async () => {
    const marker = path.join(dir, 'pwned');
    const cfg = await configFile(
      [
        `Match exec "touch ${marker}"`,
        '  User evil',
        `Match host xen1 exec "touch ${marker}-2"`,
        '  Port 6666',
        `Match !exec "touch ${marker}-3"`,
        '  HostName evil.example',
        'Host xen1',
        '  HostName 10.0.0.1',
      ].join('\n'),
    );
    expect(cfg.resolve('xen1')).toMatchObject({ hostName: '10.0.0.1', port: 22, user: 'ada' });
    expect(cfg.aliases()).toEqual(['xen1']);
    for (const f of [marker, `${marker}-2`, `${marker}-3`]) expect(existsSync(f)).toBe(false);
  });

  it('never spawns nslookup for CanonicalizeHostName', async () => {
    // A fake nslookup first on PATH: if ssh-config reached spawnSync('nslookup'), it would leave a trace.
    const bin = path.join(dir, 'bin');
    const trace = path.join(dir, 'nslookup-ran');
    await fs.mkdir(bin, { recursive: true });
    await fs.writeFile(path.join(bin, 'nslookup'), `#!/bin/sh\ntouch ${trace}\necho "Name: $1"\n`, { mode: 0o755 });
    const oldPath = process.env.PATH;
    process.env.PATH = `${bin}:${oldPath}`;
    try {
      const cfg = await configFile('Host xen1\n  CanonicalizeHostName yes\n  CanonicalDomains example.org\n  User ops\n');
      expect(cfg.resolve('xen1')).toMatchObject({ hostName: 'xen1', user: 'ops' });
    } finally {
      process.env.PATH = oldPath;
    }
    expect(existsSync(trace)).toBe(false);
  });

  it('rejects a port that is not a port', async () => {
    const cfg = await configFile('Host bad\n  Port 70000\n');
    expect(() => cfg.resolve('bad')).toThrow(/not a valid port/);
  });
});
