import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJsonOrQuarantine, writeFileAtomic } from '../../../electron/store/atomicFile';
import { configDir } from '../../../electron/store/paths';
import { FileSecretStore, SafeStorageSecretStore, type ScryptParams } from '../../../electron/store/secretStore';

const FAST: ScryptParams = { N: 2 ** 14, r: 8, p: 1 };
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'domus-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes with the given mode and leaves no temp files', async () => {
    const f = path.join(dir, 'sub', 'a.json');
    await writeFileAtomic(f, '{"a":1}', 0o600);
    await writeFileAtomic(f, '{"a":2}', 0o600);
    expect(readFileSync(f, 'utf8')).toBe('{"a":2}');
    if (process.platform !== 'win32') expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(f))).toEqual(['a.json']);
  });
});

describe('readJsonOrQuarantine', () => {
  const Schema = z.object({ hosts: z.array(z.string()) });

  it('reads a good file and reports nothing for a missing one', async () => {
    const f = path.join(dir, 'hosts.json');
    expect(await readJsonOrQuarantine(f, Schema)).toEqual({ value: undefined });
    writeFileSync(f, '{"hosts":["a"]}');
    expect(await readJsonOrQuarantine(f, Schema)).toEqual({ value: { hosts: ['a'] } });
  });

  it('sets a corrupt file aside, untouched, and says so', async () => {
    const f = path.join(dir, 'hosts.json');
    writeFileSync(f, '{"hosts": [tru');
    const r = await readJsonOrQuarantine(f, Schema);
    expect(r.value).toBeUndefined();
    expect(r.problem).toMatch(/not valid JSON/);
    expect(r.problem).toContain(path.basename(r.quarantinedTo!));
    expect(path.basename(r.quarantinedTo!)).toMatch(/^hosts\.json\.corrupt-\d{4}-/);
    expect(readFileSync(r.quarantinedTo!, 'utf8')).toBe('{"hosts": [tru');
    expect(readdirSync(dir)).toEqual([path.basename(r.quarantinedTo!)]);
  });

  it('sets aside a file that parses but does not match the schema', async () => {
    const f = path.join(dir, 'hosts.json');
    writeFileSync(f, '{"hosts": 3}');
    const r = await readJsonOrQuarantine(f, Schema);
    expect(r.problem).toMatch(/not what Domus expects.*hosts/);
    writeFileSync(f, '[]');
    const again = await readJsonOrQuarantine(f, Schema);
    expect(again.quarantinedTo).not.toBe(r.quarantinedTo);
    expect(readdirSync(dir)).toHaveLength(2);
  });
});

describe('FileSecretStore', () => {
  it('round-trips secrets through the encrypted file', async () => {
    const f = path.join(dir, 'secrets.enc');
    const s = await FileSecretStore.open(f, 'correct horse', FAST);
    expect(await s.get('ssh:lab')).toBeUndefined();
    await s.set('ssh:lab', 'hunter2-päss');
    await s.set('ssh:other', 'x');
    await s.delete('ssh:other');
    expect(statSync(f).mode & 0o777).toBe(0o600);
    const again = await FileSecretStore.open(f, 'correct horse', FAST);
    expect(await again.get('ssh:lab')).toBe('hunter2-päss');
    expect(await again.get('ssh:other')).toBeUndefined();
    expect(await again.get('constructor')).toBeUndefined();
  });

  it('never writes a secret or its key name in plain text', async () => {
    const f = path.join(dir, 'secrets.enc');
    const s = await FileSecretStore.open(f, 'correct horse', FAST);
    await s.set('ssh:lab', 'hunter2-very-secret');
    const raw = readFileSync(f);
    for (const needle of ['hunter2-very-secret', 'ssh:lab', 'correct horse']) {
      expect(raw.includes(Buffer.from(needle))).toBe(false);
      expect(raw.includes(Buffer.from(Buffer.from(needle).toString('base64')))).toBe(false);
    }
  });

  it('refuses a wrong passphrase with a clear error and leaves the file alone', async () => {
    const f = path.join(dir, 'secrets.enc');
    const s = await FileSecretStore.open(f, 'correct horse', FAST);
    await s.set('ssh:lab', 'hunter2');
    const before = readFileSync(f);
    await expect(FileSecretStore.open(f, 'wrong horse', FAST)).rejects.toMatchObject({
      code: 'auth_failed',
      message: expect.stringMatching(/passphrase does not open.*not changed/),
    });
    expect(readFileSync(f).equals(before)).toBe(true);
  });

  it('refuses a tampered or damaged file without touching it', async () => {
    const f = path.join(dir, 'secrets.enc');
    const s = await FileSecretStore.open(f, 'pw', FAST);
    await s.set('k', 'v');
    const body = JSON.parse(readFileSync(f, 'utf8'));
    body.kdf.N = 2 ** 15; // header is authenticated
    writeFileSync(f, JSON.stringify(body));
    await expect(FileSecretStore.open(f, 'pw')).rejects.toMatchObject({ code: 'auth_failed' });
    writeFileSync(f, 'garbage');
    await expect(FileSecretStore.open(f, 'pw', FAST)).rejects.toThrow(/damaged/);
    expect(readFileSync(f, 'utf8')).toBe('garbage');
  });

  it('refuses an empty passphrase', async () => {
    await expect(FileSecretStore.open(path.join(dir, 's'), '', FAST)).rejects.toThrow(/empty/);
  });
});

describe('SafeStorageSecretStore', () => {
  // A stand-in for Electron's safeStorage: reversible but not plain text.
  const fake = (backend = 'gnome_libsecret') => ({
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString: (s: string) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
  });

  it('persists through the injected encryption', async () => {
    const f = path.join(dir, 'secrets.safe.json');
    const s = new SafeStorageSecretStore(f, fake());
    await s.set('ssh:lab', 'hunter2');
    expect(readFileSync(f, 'utf8')).not.toContain('hunter2');
    expect(await new SafeStorageSecretStore(f, fake()).get('ssh:lab')).toBe('hunter2');
  });

  it('keeps secrets in memory only when the OS has no real keyring', async () => {
    const f = path.join(dir, 'secrets.safe.json');
    const s = new SafeStorageSecretStore(f, fake('basic_text'));
    expect(s.persistent).toBe(false);
    await s.set('ssh:lab', 'hunter2');
    expect(await s.get('ssh:lab')).toBe('hunter2');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('configDir', () => {
  it('follows the platform and DOMUS_CONFIG_DIR', () => {
    expect(configDir({ DOMUS_CONFIG_DIR: '/tmp/x' }, 'linux', '/home/u')).toBe('/tmp/x');
    expect(configDir({}, 'linux', '/home/u')).toBe('/home/u/.config/domus');
    expect(configDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/u')).toBe('/cfg/domus');
    expect(configDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.config/domus');
    expect(configDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Domus');
    expect(configDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\Domus');
  });
});
