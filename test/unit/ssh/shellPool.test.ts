// ShellPool over a real SshConnection to real OpenSSH sshd on a loopback port.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KnownHosts } from '../../../electron/store/knownHosts';
import { LocalTransport } from '../../../electron/transport/local';
import { ShellPool } from '../../../electron/transport/shellPool';
import { SshConnection, knownHostsVerifier } from '../../../electron/transport/ssh';
import type { CommandStream, Transport } from '../../../electron/transport/types';
import { makeKeyPair, startSshd, tempDir, type KeyPair, type Sshd } from '../../support/sshd';

let dir: string;
let sshd: Sshd;
let key: KeyPair;
let conn: SshConnection;
let pool: ShellPool;
const cleanup: Array<() => void> = [];

async function connect(): Promise<SshConnection> {
  const sub = await fs.mkdtemp(path.join(dir, 'kh-'));
  const kh = new KnownHosts({ userFile: path.join(sub, 'user_known_hosts'), domusFile: path.join(sub, 'domus', 'known_hosts') });
  await kh.trust(sshd.host, sshd.port, sshd.hostKey.blob);
  const c = new SshConnection({
    host: sshd.host,
    port: sshd.port,
    username: sshd.user,
    auth: { method: 'key', privateKey: await fs.readFile(key.privatePath) },
    verifyHostKey: knownHostsVerifier(kh, sshd.host, sshd.port),
  });
  await c.connect();
  cleanup.push(() => c.close());
  return c;
}

/** A pool on a connection of its own, for tests that break things. */
async function ownPool(opts?: ConstructorParameters<typeof ShellPool>[1]): Promise<{ c: SshConnection; p: ShellPool }> {
  const c = await connect();
  const p = new ShellPool(c, opts);
  cleanup.push(() => p.close());
  return { c, p };
}

// The session id of the process running the command. sshd starts every channel's command in a
// session of its own (setsid), so two commands share it exactly when they ran in the same channel,
// i.e. under the same worker shell. ($PPID would not show it: a command's parent is the subshell
// forked for it, a new process each time.)
const SESSION = ['sh', '-c', 'read -r l < /proc/$$/stat; l=${l##*) }; set -- $l; echo $4'];

beforeAll(async () => {
  dir = await tempDir('domus-shellpool-test-');
  key = await makeKeyPair(dir, 'client');
  sshd = await startSshd({ authorizedKeys: [key.publicLine] });
  conn = await connect();
  cleanup.length = 0; // the shared connection lives until afterAll
  pool = new ShellPool(conn);
});

afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

afterAll(async () => {
  pool?.close();
  conn?.close();
  await sshd?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('results', () => {
  it('stdout round-trips exactly, with and without a trailing newline, and when empty', async () => {
    for (const text of ['abc', 'abc\n', 'a\n\n', '\n', ' lead and trail \n\n\n', 'no newline at all']) {
      expect(await pool.exec(['printf', '%s', text])).toEqual({ code: 0, stdout: text, stderr: '' });
    }
    expect(await pool.exec(['true'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('keeps stderr apart from stdout', async () => {
    const r = await pool.exec(['sh', '-c', 'echo out; echo err >&2; printf partial >&2; printf tail']);
    expect(r).toEqual({ code: 0, stdout: 'out\ntail', stderr: 'err\npartial' });
  });

  it('reports exit codes, and exit in the command does not end the worker', async () => {
    expect((await pool.exec(['true'])).code).toBe(0);
    expect((await pool.exec(['false'])).code).toBe(1);
    expect((await pool.exec(['sh', '-c', 'exit 3'])).code).toBe(3);
    const { p } = await ownPool({ size: 1 });
    const before = await p.exec(SESSION);
    expect(await p.exec(['exit', '3'])).toEqual({ code: 3, stdout: '', stderr: '' });
    expect(await p.exec(SESSION)).toEqual(before);
  });

  it('a command the shell cannot even parse fails alone, without ending the worker', async () => {
    const { p } = await ownPool({ size: 1 });
    const before = await p.exec(SESSION);
    const r = await p.exec(['if']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/syntax error/i);
    expect(await p.exec(SESSION)).toEqual(before);
  });

  it('arguments arrive as literal arguments, whatever they contain', async () => {
    const marker = path.join(dir, 'injected');
    const args = ['a b', `it's`, '"double"', `$(touch ${marker})`, `; touch ${marker}`, '`id`', '*', '', 'ünïcødé', 'new\nline', '\\', "')", '\'; exit 9; \''];
    const r = await pool.exec(['printf', '%s|', ...args]);
    expect(r).toEqual({ code: 0, stdout: args.map((a) => `${a}|`).join(''), stderr: '' });
    expect(existsSync(marker)).toBe(false);
  });

  it('a command that reads stdin gets end-of-file at once, never the protocol', async () => {
    const started = Date.now();
    expect(await pool.exec(['cat'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await pool.exec(['sh', '-c', 'read x; echo "read=$? x=[$x]"'])).toEqual({ code: 0, stdout: 'read=1 x=[]\n', stderr: '' });
    expect(Date.now() - started).toBeLessThan(3_000);
    // The worker still answers after commands that tried to read its input.
    expect((await pool.exec(['echo', 'ok'])).stdout).toBe('ok\n');
  });

  it('a command cannot change the worker for the next one (cd, variables, options)', async () => {
    const { p } = await ownPool({ size: 1 });
    const home = (await conn.exec(['pwd'])).stdout;
    expect((await p.exec(['pwd'])).stdout).toBe(home);
    expect((await p.exec(['cd', '/tmp'])).code).toBe(0);
    expect((await p.exec(['pwd'])).stdout).toBe(home);
    expect((await p.exec(['export', 'DOMUS_LEAK=1'])).code).toBe(0);
    expect((await p.exec(['sh', '-c', 'echo ${DOMUS_LEAK-unset}'])).stdout).toBe('unset\n');
    expect((await p.exec(['set', '-e'])).code).toBe(0);
    expect((await p.exec(['false'])).code).toBe(1);
    expect((await p.exec(['echo', 'after'])).stdout).toBe('after\n');
  });

  it('text that looks like a marker is returned as it is', async () => {
    const text = '__DOMUS_\n__DOMUS_0123456789abcdef01234567_E 000\n\n__DOMUS_ 0\n__DOMUS_x_B\n';
    for (const t of [text, text.trimEnd(), '__DOMUS_']) {
      expect(await pool.exec(['sh', '-c', 'printf %s "$1"; printf %s "$1" >&2', 'sh', t])).toEqual({ code: 0, stdout: t, stderr: t });
    }
  });

  it('multi-byte UTF-8 arrives intact, also when characters straddle packets', async () => {
    const small = 'ünïcødé 日本語 🎉';
    expect((await pool.exec(['printf', '%s', small])).stdout).toBe(small);
    // ~1.3 MB of 2-, 3- and 4-byte characters: many of them split between channel packets.
    const r = await pool.exec(['sh', '-c', `yes '${small}' | head -n 50000`]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe((small.length + 1) * 50000);
    expect(r.stdout).toBe(`${small}\n`.repeat(50000));
  });

  it('10 MB of output arrives complete', async () => {
    const r = await pool.exec(['sh', '-c', "head -c 10000000 /dev/zero | tr '\\0' a"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.length).toBe(10_000_000);
    expect(/^a*$/.test(r.stdout)).toBe(true);
  });
});

describe('workers', () => {
  it('runs commands in the same long-lived shell, not a channel each', async () => {
    const { c, p } = await ownPool({ size: 1 });
    const first = await p.exec(SESSION);
    expect(first.stdout).toMatch(/^\d+\n$/);
    expect(await p.exec(SESSION)).toEqual(first);
    // A command on a channel of its own is in another session: the check can tell them apart.
    expect((await c.exec(SESSION)).stdout).not.toBe(first.stdout);
  });

  it('more commands than workers all complete, each with its own result', async () => {
    const { p } = await ownPool({ size: 3 });
    const n = 20;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => p.exec(['sh', '-c', `sleep 0.0${i % 4}; echo out-${i}; echo err-${i} >&2; exit ${i % 5}`])),
    );
    expect(results).toEqual(Array.from({ length: n }, (_, i) => ({ code: i % 5, stdout: `out-${i}\n`, stderr: `err-${i}\n` })));
    const sessions = new Set((await Promise.all(Array.from({ length: 6 }, () => p.exec(SESSION)))).map((r) => r.stdout));
    expect(sessions.size).toBeLessThanOrEqual(3);
  });

  it('a command with stdin runs on a channel of its own', async () => {
    const { p } = await ownPool({ size: 1 });
    const worker = await p.exec(SESSION);
    expect(await p.exec(['sh', '-c', 'cat; echo oops >&2; exit 7'], { stdin: 'from domus\n' })).toEqual({ code: 7, stdout: 'from domus\n', stderr: 'oops\n' });
    expect((await p.exec(SESSION, { stdin: '' })).stdout).not.toBe(worker.stdout);
    expect(await p.exec(SESSION)).toEqual(worker);
  });

  it('a command over its timeout fails with timeout; its worker is retired and the next command works', async () => {
    const { p } = await ownPool({ size: 1 });
    const worker = await p.exec(SESSION);
    const started = Date.now();
    const err = await p.exec(['sleep', '5'], { timeoutMs: 500 }).catch((e) => e);
    expect(err.code).toBe('timeout');
    expect(err.message).toContain('sleep');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await p.exec(['echo', 'still here'])).stdout).toBe('still here\n');
    expect((await p.exec(SESSION)).stdout).not.toBe(worker.stdout);
  });

  it('an aborted command rejects with the abort reason, queued or running', async () => {
    const { p } = await ownPool({ size: 1 });
    const ac = new AbortController();
    const running = p.exec(['sleep', '5'], { signal: ac.signal }).catch((e) => e);
    const queued = new AbortController();
    const waiting = p.exec(['echo', 'never'], { signal: queued.signal }).catch((e) => e);
    const after = p.exec(['echo', 'after']);
    setTimeout(() => {
      queued.abort(new Error('queued one cancelled'));
      ac.abort(new Error('cancelled by user'));
    }, 200);
    expect((await running).message).toBe('cancelled by user');
    expect((await waiting).message).toBe('queued one cancelled');
    expect((await after).stdout).toBe('after\n');
  });

  it('a worker killed from outside fails its command with connection_lost; queued ones still run', async () => {
    const { c, p } = await ownPool({ size: 1 });
    const sid = (await p.exec(SESSION)).stdout.trim();
    // Caught at once: it fails while the test is still busy killing.
    const inFlight = p.exec(['sleep', '5']).catch((e) => e);
    const queued = p.exec(['echo', 'next']);
    await new Promise((r) => setTimeout(r, 200));
    // The worker shell leads the session sshd made for its channel: kill that process group.
    expect((await c.exec(['kill', '-9', '--', `-${sid}`])).code).toBe(0);
    const err = await inFlight;
    expect(err.code).toBe('connection_lost');
    expect(err.message).toBe('The connection to the host was lost while running sleep 5.');
    expect(await queued).toEqual({ code: 0, stdout: 'next\n', stderr: '' });
    expect((await p.exec(SESSION)).stdout.trim()).not.toBe(sid);
  });

  it('a command that kills its own worker fails with connection_lost, never as success', async () => {
    const { p } = await ownPool({ size: 1 });
    const err = await p.exec(['sh', '-c', 'echo partial; kill -9 0']).catch((e) => e);
    expect(err.code).toBe('connection_lost');
    expect((await p.exec(['echo', 'ok'])).stdout).toBe('ok\n');
  });

  it('a dropped connection fails the running command with connection_lost, and later ones with its error', async () => {
    const { c, p } = await ownPool({ size: 2 });
    expect((await p.exec(['true'])).code).toBe(0);
    const inFlight = p.exec(['sleep', '5']).catch((e) => e);
    await new Promise((r) => setTimeout(r, 200));
    c.close();
    const err = await inFlight;
    expect(err.code).toBe('connection_lost');
    expect(err.message).toContain('sleep 5');
    await expect(p.exec(['true'])).rejects.toMatchObject({ code: 'connection_lost' });
  });

  it('close() fails running and queued commands and refuses new ones', async () => {
    const { p } = await ownPool({ size: 1 });
    const running = p.exec(['sleep', '5']).catch((e) => e);
    const queued = p.exec(['echo', 'x']).catch((e) => e);
    await new Promise((r) => setTimeout(r, 200));
    p.close();
    expect(await running).toMatchObject({ code: 'connection_lost' });
    expect(await queued).toMatchObject({ code: 'connection_lost' });
    await expect(p.exec(['true'])).rejects.toMatchObject({ code: 'connection_lost' });
  });

  it('a worker shell that cannot start leaves commands to channels of their own', async () => {
    const { p } = await ownPool({ shell: ['sh', '-c', 'echo no shell for you >&2; exit 1'] });
    expect(await p.exec(['echo', 'hi'])).toEqual({ code: 0, stdout: 'hi\n', stderr: '' });
    expect(p.fallbackReason).toMatch(/exit status 1/);
    expect((await p.exec(['sh', '-c', 'exit 4'])).code).toBe(4);
  });

  it('stream() still gives a channel of its own', async () => {
    const s = await pool.stream(['sh', '-c', 'echo streamed']);
    let out = '';
    s.stdout.on('data', (d: Buffer) => (out += d.toString()));
    expect(await s.done).toEqual({ code: 0 });
    expect(out).toBe('streamed\n');
  });
});

describe('framing', () => {
  // Channel packets are large, so over sshd a marker or a character is rarely cut in two. Here
  // the worker's output is handed over in pieces of 1 to 5 bytes, so every cut happens.
  function rechunk(src: Readable): Readable {
    const out = new PassThrough();
    let n = 0;
    src.on('data', (d: Buffer) => {
      for (let i = 0; i < d.length; ) {
        const len = 1 + (n++ % 5);
        out.write(d.subarray(i, i + len));
        i += len;
      }
    });
    src.on('end', () => out.end());
    return out;
  }
  class Chopped implements Transport {
    private readonly local = new LocalTransport();
    exec: Transport['exec'] = (argv, opts) => this.local.exec(argv, opts);
    stream = async (argv: readonly string[]): Promise<CommandStream> => {
      const s = await this.local.stream(argv);
      return { ...s, stdout: rechunk(s.stdout), stderr: rechunk(s.stderr), close: () => s.close() };
    };
  }

  it('survives markers and characters cut at every byte', async () => {
    const p = new ShellPool(new Chopped(), { size: 2 });
    cleanup.push(() => p.close());
    const texts = ['', 'x', '\n', 'ünïcødé 日本語 🎉', '__DOMUS_ 000\n__DOMUS_', 'line\n'.repeat(300), '🎉'.repeat(999)];
    const results = await Promise.all(texts.map((t) => p.exec(['sh', '-c', 'printf %s "$1"; printf %s "$1" >&2; exit 5', 'sh', t])));
    expect(results).toEqual(texts.map((t) => ({ code: 5, stdout: t, stderr: t })));
  });
});
