import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConfigFile } from '../../../electron/store/sshConfig';
import { run, tempDir } from '../../support/sshd';

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

describe('SshConfigFile host patterns', () => {
  it('a Host line of many `*` does not block resolving (the RegExp glob took seconds)', async () => {
    const name = 'a-rather-long-host-name-in-a-lab.example';
    for (const stars of [8, 25]) {
      const cfg = await configFile(`Host ${'*'.repeat(stars)}y\n  Port 7\nHost *\n  User ops\n`);
      const started = performance.now();
      expect(cfg.resolve(name)).toMatchObject({ port: 22, user: 'ops' });
      expect(performance.now() - started, `${stars} stars`).toBeLessThan(250);
      expect(cfg.resolve(`${name}y`).port).toBe(7);
    }
  });

  it('a 40,000-character Host pattern does not break the other hosts', async () => {
    const cfg = await configFile(`Host ${'a*'.repeat(20000)}\n  Port 7\nHost xen1\n  HostName 10.0.0.1\n`);
    expect(cfg.resolve('xen1')).toMatchObject({ hostName: '10.0.0.1', port: 22 });
  });

  it('skips and reports a malformed line, keeping every other host', async () => {
    const file = path.join(dir, 'config-malformed');
    await fs.writeFile(file, 'Host xen1\n  HostName 10.0.0.1\nHost bad\n  HostName "unterminated\nMatch host\n  Port 9\nHost xen2\n  User ops\n');
    const reports: string[] = [];
    const cfg = await SshConfigFile.read(file, { home: '/home/ada', localUser: 'ada', report: (l) => reports.push(l) });
    expect(cfg.aliases()).toEqual(['xen1', 'bad', 'xen2']);
    expect(cfg.resolve('xen1').hostName).toBe('10.0.0.1');
    expect(cfg.resolve('xen2').user).toBe('ops');
    expect(reports).toEqual([expect.stringMatching(new RegExp(`${file}:4: skipped`)), expect.stringMatching(new RegExp(`${file}:5: skipped`))]);
  });

  it('matches Host and Match lines the way OpenSSH does (ssh -G)', async () => {
    const text = [
      'Host FOO.lab',
      '  HostName upper-matched',
      'Host b?r',
      '  User q',
      'Host x*,!xbad',
      '  HostName comma-is-literal',
      'Host *.lab !evil.lab',
      '  Port 2222',
      'Match host A*,!abad',
      '  User matched-host',
      'Match !host zz*',
      '  Port 3333',
      'Host *',
      '  User fallback',
    ].join('\n');
    const file = path.join(dir, 'config-oracle');
    await fs.writeFile(file, text);
    const cfg = await SshConfigFile.read(file, { home: '/home/ada', localUser: 'ada' });
    for (const name of ['foo.lab', 'FOO.lab', 'br', 'bar', 'xbad', 'xgood', 'w.lab', 'evil.lab', 'abc', 'Abc', 'abad', 'zzz']) {
      const out = await run('ssh', ['-G', '-F', file, name]);
      const get = (k: string) => new RegExp(`^${k} (.*)$`, 'm').exec(out)?.[1];
      const got = cfg.resolve(name);
      expect({ hostName: got.hostName.toLowerCase(), port: got.port, user: got.user }, name).toEqual({
        hostName: get('hostname'),
        port: Number(get('port')),
        user: get('user'),
      });
    }
  });
});
