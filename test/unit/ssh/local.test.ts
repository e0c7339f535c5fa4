import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomusError } from '../../../electron/api/errors';
import { LocalTransport } from '../../../electron/transport/local';
import { alive } from '../../support/process';
import { tempDir } from '../../support/sshd';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('domus-local-');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('LocalTransport', () => {
  const local = new LocalTransport({ killGraceMs: 200 });

  it('passes arguments literally, never through a shell', async () => {
    const marker = path.join(dir, 'injected');
    const args = ['a b', `it's`, '"q"', `$(touch ${marker})`, '; touch x', '`id`', '*', ''];
    const r = await local.exec(['printf', '%s\\n', ...args]);
    expect(r).toEqual({ code: 0, stdout: args.map((a) => `${a}\n`).join(''), stderr: '' });
    expect(existsSync(marker)).toBe(false);
  });

  it('reports exit code, stderr and stdin', async () => {
    const r = await local.exec(['sh', '-c', 'cat; echo oops >&2; exit 3'], { stdin: 'héllo\n' });
    expect(r).toEqual({ code: 3, stdout: 'héllo\n', stderr: 'oops\n' });
  });

  it('says a missing program is not installed', async () => {
    const err = await local.exec(['domus-no-such-tool', 'x']).catch((e) => e);
    expect(err).toBeInstanceOf(DomusError);
    expect(err.code).toBe('not_found');
    expect(err.message).toContain('domus-no-such-tool');
  });

  it('closing a stream ends the jobs its script started, not only the script', async () => {
    const s = await local.stream(['sh', '-c', 'sleep 300 & echo $!; wait']);
    const pid = Number(await firstLine(s.stdout));
    expect(alive(pid)).toBe(true);
    s.close();
    await s.done;
    await until(() => !alive(pid));
  });

  it('stops a command that overruns its timeout', async () => {
    const started = Date.now();
    const err = await local.exec(['sleep', '30'], { timeoutMs: 300 }).catch((e) => e);
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('stops a command when aborted', async () => {
    const ac = new AbortController();
    const p = local.exec(['sleep', '30'], { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('user cancelled')), 100);
    await expect(p).rejects.toThrow('user cancelled');
  });

  it('streams output as it comes and reports the end', async () => {
    const s = await local.stream(['sh', '-c', 'echo one; read x; echo "got $x"; exit 4']);
    const chunks: string[] = [];
    s.stdout.on('data', (d: Buffer) => {
      chunks.push(d.toString());
      if (chunks.join('') === 'one\n') s.stdin.write('two\n');
    });
    expect(await s.done).toEqual({ code: 4 });
    expect(chunks.join('')).toBe('one\ngot two\n');
  });

  it('close() ends a long-lived stream', async () => {
    const s = await local.stream(['sleep', '30']);
    s.close();
    expect(await s.done).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('rejects a missing program', async () => {
    await expect(local.stream(['domus-no-such-tool'])).rejects.toMatchObject({ code: 'not_found' });
  });

  it('gives a pty stream a terminal of the asked size, echoing like an SSH pty, arguments literal', async () => {
    const marker = path.join(dir, 'pty-injected');
    const odd = `it's $(touch ${marker}) "q"`;
    const s = await local.stream(['sh', '-c', 'test -t 0 && echo "tty $(stty size)"; printf "%s|\\n" "$1"; read x; echo "got $x"', 'sh', odd], {
      pty: { cols: 100, rows: 30 },
    });
    let out = '';
    s.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.endsWith('|\r\n')) s.stdin.write('abc\r');
    });
    expect(await s.done).toEqual({ code: 0 });
    // The terminal turns \n into \r\n and echoes what is typed, as an SSH pty channel does.
    expect(out).toBe(`tty 30 100\r\n${odd}|\r\nabc\r\ngot abc\r\n`);
    expect(existsSync(marker)).toBe(false);
  });

  it('closing a pty stream ends the command on the terminal too', async () => {
    const s = await local.stream(['sh', '-c', 'echo $$; exec sleep 300'], { pty: { cols: 80, rows: 24 } });
    const pid = Number(await firstLine(s.stdout));
    expect(alive(pid)).toBe(true);
    s.close();
    await s.done;
    await until(() => !alive(pid));
  });

  it('a pty stream ends when Domus itself dies (killed, not stopped)', async () => {
    const local = path.resolve(__dirname, '../../../electron/transport/local.ts');
    const code = `import { LocalTransport } from ${JSON.stringify(local)};
const s = await new LocalTransport().stream(['sh', '-c', 'echo $$; exec sleep 300'], { pty: { cols: 80, rows: 24 } });
s.stdout.pipe(process.stdout);`;
    const domus = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = Number(await firstLine(domus.stdout!));
    try {
      expect(alive(pid)).toBe(true);
      domus.kill('SIGKILL');
      await until(() => !alive(pid));
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let buf = '';
    stream.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.split('\n')[0]);
    });
  });
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('still alive');
    await new Promise((r) => setTimeout(r, 50));
  }
}
