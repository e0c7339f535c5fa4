import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnownHosts, fingerprintSha256, hostLookupName } from '../../../electron/store/knownHosts';
import { makeKeyPair, run, tempDir, type KeyPair } from '../../support/sshd';

let dir: string;
let keyA: KeyPair;
let keyB: KeyPair;
let rsa: KeyPair;

beforeAll(async () => {
  dir = await tempDir('domus-kh-');
  [keyA, keyB, rsa] = await Promise.all([
    makeKeyPair(dir, 'a'),
    makeKeyPair(dir, 'b'),
    makeKeyPair(dir, 'r', { type: 'rsa' }),
  ]);
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

function pub(k: KeyPair): string {
  return k.publicLine.split(/\s+/).slice(0, 2).join(' ');
}

async function storeWith(userText: string): Promise<KnownHosts> {
  const sub = await fs.mkdtemp(path.join(dir, 's-'));
  const userFile = path.join(sub, 'known_hosts');
  await fs.writeFile(userFile, userText);
  return new KnownHosts({ userFile, domusFile: path.join(sub, 'domus', 'known_hosts') });
}

describe('fingerprintSha256', () => {
  it('prints exactly what ssh-keygen -lf prints', () => {
    for (const k of [keyA, keyB, rsa]) expect(fingerprintSha256(k.blob)).toBe(k.fingerprint);
  });
});

describe('KnownHosts.check', () => {
  it('trusts a plain entry, and only for the host it names', async () => {
    const kh = await storeWith(`# a comment\n\nxen1.lab ${pub(keyA)}\n`);
    expect(await kh.check('xen1.lab', 22, keyA.blob)).toEqual({ status: 'trusted' });
    expect(await kh.check('XEN1.lab', 22, keyA.blob)).toEqual({ status: 'trusted' });
    expect(await kh.check('xen2.lab', 22, keyA.blob)).toEqual({ status: 'unknown', fingerprint: keyA.fingerprint });
  });

  it('reports a different key of the same type as changed, with both fingerprints', async () => {
    const kh = await storeWith(`xen1.lab,10.0.0.5 ${pub(keyA)}\n`);
    expect(await kh.check('10.0.0.5', 22, keyB.blob)).toEqual({
      status: 'changed',
      fingerprint: keyB.fingerprint,
      knownFingerprints: [keyA.fingerprint],
    });
  });

  it('treats a key of another type as unknown, as ssh does', async () => {
    const kh = await storeWith(`xen1.lab ${pub(keyA)}\n`);
    expect(await kh.check('xen1.lab', 22, rsa.blob)).toEqual({ status: 'unknown', fingerprint: rsa.fingerprint });
  });

  it('keeps ports apart: [host]:port entries apply only to that port', async () => {
    const kh = await storeWith(`[xen1.lab]:2222 ${pub(keyA)}\n`);
    expect((await kh.check('xen1.lab', 2222, keyA.blob)).status).toBe('trusted');
    expect((await kh.check('xen1.lab', 22, keyA.blob)).status).toBe('unknown');
    expect((await kh.check('xen1.lab', 2223, keyA.blob)).status).toBe('unknown');
  });

  it('matches wildcards and honours negation', async () => {
    const kh = await storeWith(`*.lab,!evil.lab ${pub(keyA)}\nxen?.dc ${pub(keyB)}\n`);
    expect((await kh.check('xen7.lab', 22, keyA.blob)).status).toBe('trusted');
    expect((await kh.check('evil.lab', 22, keyA.blob)).status).toBe('unknown');
    expect((await kh.check('xen3.dc', 22, keyB.blob)).status).toBe('trusted');
    // `?` is exactly one character.
    expect((await kh.check('xen.dc', 22, keyB.blob)).status).toBe('unknown');
    expect((await kh.check('xen12.dc', 22, keyB.blob)).status).toBe('unknown');
  });

  it('trusts entries hashed by ssh-keygen -H, including [host]:port', async () => {
    const kh = await storeWith('');
    const file = (kh as unknown as { userFile: string }).userFile;
    await fs.writeFile(file, `xen1.lab ${pub(keyA)}\n[10.1.2.3]:2200 ${pub(keyB)}\n`);
    await run('ssh-keygen', ['-q', '-H', '-f', file]);
    const text = await fs.readFile(file, 'utf8');
    expect(text).not.toContain('xen1.lab');
    expect(text).toMatch(/^\|1\|/);
    expect((await kh.check('xen1.lab', 22, keyA.blob)).status).toBe('trusted');
    expect((await kh.check('10.1.2.3', 2200, keyB.blob)).status).toBe('trusted');
    expect((await kh.check('10.1.2.3', 22, keyB.blob)).status).toBe('unknown');
    expect((await kh.check('xen2.lab', 22, keyA.blob)).status).toBe('unknown');
  });

  it('refuses a @revoked key even when another line trusts it', async () => {
    const kh = await storeWith(`xen1.lab ${pub(keyA)}\n@revoked * ${pub(keyA)}\n`);
    expect(await kh.check('xen1.lab', 22, keyA.blob)).toEqual({ status: 'revoked', fingerprint: keyA.fingerprint });
    expect((await kh.check('elsewhere.lab', 2222, keyA.blob)).status).toBe('revoked');
    // Other keys are judged as usual.
    expect((await kh.check('xen1.lab', 22, keyB.blob)).status).toBe('changed');
    expect((await kh.check('elsewhere.lab', 22, keyB.blob)).status).toBe('unknown');
  });

  it('never treats a @cert-authority key as a host key, and skips garbage lines', async () => {
    const kh = await storeWith(`@cert-authority *.lab ${pub(keyA)}\nnot a key line\nxen1.lab ssh-ed25519 !!!\nxen1.lab ssh-rsa ${pub(keyA).split(' ')[1]}\n`);
    expect((await kh.check('xen1.lab', 22, keyA.blob)).status).toBe('unknown');
  });

  it('works when neither file exists', async () => {
    const kh = new KnownHosts({ userFile: path.join(dir, 'nope', 'a'), domusFile: path.join(dir, 'nope', 'b') });
    expect((await kh.check('h', 22, keyA.blob)).status).toBe('unknown');
  });
});

describe('KnownHosts host patterns', () => {
  it('a line of many `*` does not block the check (the RegExp matcher took seconds)', async () => {
    const name = 'a-rather-long-host-name-in-a-lab.example';
    for (const stars of [8, 25]) {
      const kh = await storeWith(`${'*'.repeat(stars)}y ${pub(keyB)}\nxen1.lab ${pub(keyA)}\n`);
      const started = performance.now();
      expect((await kh.check(name, 22, keyB.blob)).status).toBe('unknown');
      expect((await kh.check('xen1.lab', 22, keyA.blob)).status).toBe('trusted');
      expect(performance.now() - started, `${stars} stars`).toBeLessThan(250);
      expect((await kh.check(`${name}y`, 22, keyB.blob)).status).toBe('trusted');
    }
  });

  it('a 40,000-character pattern does not break the other lines', async () => {
    const kh = await storeWith(`${'a*'.repeat(20000)} ${pub(keyB)}\n${'*'.repeat(40000)} ${pub(keyB)}\nxen1.lab ${pub(keyA)}\n`);
    expect((await kh.check('xen1.lab', 22, keyA.blob)).status).toBe('trusted');
    // The all-star line names every host, so keyB is this host's other ed25519 key.
    expect((await kh.check('other.lab', 22, keyB.blob)).status).toBe('trusted');
  });

  it('reports each malformed line once, by file and line number, and keeps the good ones', async () => {
    const sub = await fs.mkdtemp(path.join(dir, 's-'));
    const userFile = path.join(sub, 'known_hosts');
    await fs.writeFile(userFile, `# comment\nnot a key line\nxen1.lab ${pub(keyA)}\nxen1.lab ssh-ed25519 !!!\n`);
    const reports: string[] = [];
    const kh = new KnownHosts({ userFile, domusFile: path.join(sub, 'domus'), report: (line) => reports.push(line) });
    expect((await kh.check('xen1.lab', 22, keyA.blob)).status).toBe('trusted');
    expect((await kh.check('xen1.lab', 22, keyA.blob)).status).toBe('trusted');
    expect(reports).toEqual([
      expect.stringMatching(new RegExp(`${userFile}:2: .*skipped`)),
      expect.stringMatching(new RegExp(`${userFile}:4: .*skipped`)),
    ]);
  });

  it('decides like OpenSSH (ssh-keygen -F) for wildcards, negation, case and [host]:port', async () => {
    const fields = ['*.lab,!evil.lab', 'xen?.dc', 'XEN-UPPER.example', '[*.lab]:2222', '*a*b*c', 'lit[1].x', 'x,*-*'];
    const names = ['xen7.lab', 'evil.lab', 'xen3.dc', 'xen12.dc', 'xen-upper.example', '[w.lab]:2222', '[w.lab]:22', 'aXbYc', 'abc', 'ac', 'lit[1].x', 'lit1.x', 'a-b', 'x', 'y'];
    for (const field of fields) {
      const sub = await fs.mkdtemp(path.join(dir, 'o-'));
      const file = path.join(sub, 'known_hosts');
      await fs.writeFile(file, `${field} ${pub(keyA)}\n`);
      const kh = new KnownHosts({ userFile: file, domusFile: path.join(sub, 'domus') });
      for (const name of names) {
        const bracket = /^\[(.*)\]:(\d+)$/.exec(name);
        const [host, port] = bracket ? [bracket[1], Number(bracket[2])] : [name, 22];
        const domus = (await kh.check(host, port, keyA.blob)).status === 'trusted';
        const lookup = hostLookupName(host, port);
        const openssh = (await run('ssh-keygen', ['-F', lookup, '-f', file]).catch(() => '')).includes(pub(keyA).split(' ')[1]);
        expect(domus, `${field} vs ${name}`).toBe(openssh);
      }
    }
  });
});

describe('KnownHosts.trust', () => {
  it('appends a hashed entry, mode 0600, that OpenSSH itself finds', async () => {
    const sub = await fs.mkdtemp(path.join(dir, 't-'));
    const domusFile = path.join(sub, 'config', 'known_hosts');
    const kh = new KnownHosts({ userFile: null, domusFile });
    await Promise.all([kh.trust('xen1.lab', 22, keyA.blob), kh.trust('10.9.8.7', 2222, keyB.blob)]);

    expect((await kh.check('xen1.lab', 22, keyA.blob)).status).toBe('trusted');
    expect((await kh.check('10.9.8.7', 2222, keyB.blob)).status).toBe('trusted');
    const text = await fs.readFile(domusFile, 'utf8');
    expect(text).not.toContain('xen1.lab');
    expect(text).not.toContain('10.9.8.7');
    expect(text.trim().split('\n')).toHaveLength(2);
    expect((await fs.stat(domusFile)).mode & 0o777).toBe(0o600);
    // No temp files left behind next to the store.
    expect(await fs.readdir(path.dirname(domusFile))).toEqual(['known_hosts']);
    // ssh-keygen -F looks hosts up the way ssh does: the hashed entries must be found by it.
    expect(await run('ssh-keygen', ['-F', 'xen1.lab', '-f', domusFile])).toContain(pub(keyA).split(' ')[1]);
    expect(await run('ssh-keygen', ['-F', '[10.9.8.7]:2222', '-f', domusFile])).toContain(pub(keyB).split(' ')[1]);
  });

  it('forget() lets a replaced key be trusted, but a key in the user file stays "changed"', async () => {
    const sub = await fs.mkdtemp(path.join(dir, 'f-'));
    const kh = new KnownHosts({ userFile: path.join(sub, 'user'), domusFile: path.join(sub, 'domus') });
    await kh.trust('xen1.lab', 22, keyA.blob);
    expect((await kh.check('xen1.lab', 22, keyB.blob)).status).toBe('changed');
    expect(await kh.forget('xen1.lab', 22)).toBe(1);
    await kh.trust('xen1.lab', 22, keyB.blob);
    expect((await kh.check('xen1.lab', 22, keyB.blob)).status).toBe('trusted');

    await fs.writeFile(path.join(sub, 'user'), `xen2.lab ${pub(keyA)}\n`);
    expect(await kh.forget('xen2.lab', 22)).toBe(0);
    expect((await kh.check('xen2.lab', 22, keyB.blob)).status).toBe('changed');
  });
});
