// The host side of consoles: xenconsoled's overflow mode from its command line (recorded from the
// lab), the text console type of a running guest, and the own-window route.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { detectTextType, parseXenconsoledOverflow, textConsoleSource, textTypeFor, XENCONSOLED_ARGS_ARGV } from '../../../electron/drivers/xl/console';
import type { StreamEnd } from '../../../electron/streams/registry';
import type { CommandStream, Transport } from '../../../electron/transport/types';
import { consoleRouteHash, parseConsoleRoute } from '../../../renderer/src/components/console/consoleRoute';
import { labFixture } from '../../fixtures/lab';

describe('xenconsoled overflow mode', () => {
  const fx = labFixture('ps-xenconsoled');

  it('is recorded with the command Domus runs', () => {
    expect(fx.argv).toEqual(XENCONSOLED_ARGS_ARGV);
  });

  it('reads --overflow-data=keep from the lab dom0', () => {
    expect(fx.stdout).toContain('--overflow-data=keep');
    expect(parseXenconsoledOverflow(fx.stdout)).toBe('keep');
  });

  it('is discard when the option is absent (the default) or says discard', () => {
    const plain = fx.stdout.replace(/\s--overflow-data=keep/, '');
    expect(plain).toMatch(/xenconsoled --pid-file/);
    expect(parseXenconsoledOverflow(plain)).toBe('discard');
    expect(parseXenconsoledOverflow(fx.stdout.replace('--overflow-data=keep', '--overflow-data=discard'))).toBe('discard');
  });

  it('takes the separate-argument and short forms, the last one winning', () => {
    expect(parseXenconsoledOverflow(fx.stdout.replace('--overflow-data=keep', '-o keep'))).toBe('keep');
    expect(parseXenconsoledOverflow(fx.stdout.replace('--overflow-data=keep', '--overflow-data keep'))).toBe('keep');
    expect(parseXenconsoledOverflow(fx.stdout.replace('--overflow-data=keep', '-okeep'))).toBe('keep');
    expect(parseXenconsoledOverflow(fx.stdout.replace('--overflow-data=keep', '-o keep --overflow-data=discard'))).toBe('discard');
  });

  it('is unknown when no xenconsoled runs', () => {
    expect(parseXenconsoledOverflow('')).toBe('unknown');
  });
});

describe('text console type', () => {
  it('is serial for HVM guests and the PV console otherwise', () => {
    expect(textTypeFor('hvm')).toBe('serial');
    expect(textTypeFor('pv')).toBe('pv');
    expect(textTypeFor('pvh')).toBe('pv');
    expect(textTypeFor(null)).toBe('pv');
  });

  it('is looked up with xl list -l when the renderer does not know the guest type', async () => {
    const fx = labFixture('xl-list-l-guest');
    const seen: string[][] = [];
    const transport = {
      exec: async (argv: readonly string[]) => {
        seen.push([...argv]);
        return { code: fx.exitCode, stdout: fx.stdout, stderr: fx.stderr };
      },
      stream: () => Promise.reject(new Error('not used')),
    } satisfies Transport;
    expect(await detectTextType(transport, 'pvtest')).toBe('pv');
    expect(seen).toEqual([['xl', 'list', '-l', '--', 'pvtest']]);
    const failing = { ...transport, exec: async () => ({ code: 1, stdout: '', stderr: 'no such domain' }) } satisfies Transport;
    expect(await detectTextType(failing, 'gone')).toBe('pv');
  });
});

describe('console window route', () => {
  it('round-trips host, guest and kind', () => {
    const r = { hostId: 'h-1_a', guest: 'con.a-1', kind: 'vnc' as const };
    expect(parseConsoleRoute(consoleRouteHash(r))).toEqual(r);
    expect(parseConsoleRoute('#/console/h1/g1')).toEqual({ hostId: 'h1', guest: 'g1', kind: 'text' });
  });

  it('refuses anything else', () => {
    for (const h of ['', '#/', '#/console/h1', '#/console/h1/-g', '#/console/h 1/g', '#/console/h1/g1/ssh', '#/console/h1/g1/text/x', '#/console/h1/../x']) {
      expect(parseConsoleRoute(h)).toBeNull();
    }
  });
});

describe('text console source', () => {
  function fakeCommand() {
    let finish!: (v: { code: number | null }) => void;
    const cmd = {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      done: new Promise<{ code: number | null }>((r) => (finish = r)),
      close: () => {},
    };
    return { cmd, exit: (code: number) => (cmd.stdout.end(), finish({ code })) };
  }
  function run(src: ReturnType<typeof textConsoleSource>) {
    const got: Buffer[] = [];
    const ended = new Promise<StreamEnd>((resolve) => src.start({ data: (c) => got.push(c), end: resolve }));
    return { text: () => Buffer.concat(got).toString('latin1'), ended };
  }

  // The line xenconsole printed in the lab when a second `xl console` met the first one's lock.
  const LOCKED = 'xenconsole: Could not lock /var/lock/xenconsole.31: Resource temporarily unavailable\r\n';

  it('turns xenconsole’s lock complaint into an end that says the console is open elsewhere', async () => {
    const { cmd, exit } = fakeCommand();
    const r = run(textConsoleSource(cmd as unknown as CommandStream, 'con-a'));
    cmd.stdout.write(LOCKED.slice(0, 20));
    cmd.stdout.write(LOCKED.slice(20));
    exit(1);
    const end = await r.ended;
    expect(r.text()).toBe('');
    expect(end.reason).toBe('error');
    expect(end.message).toMatch(/con-a is open elsewhere/);
  });

  it('passes the guest’s bytes on at once, even a single echoed character', async () => {
    const { cmd, exit } = fakeCommand();
    const r = run(textConsoleSource(cmd as unknown as CommandStream, 'con-a'));
    cmd.stdout.write('l');
    await new Promise((res) => setImmediate(res));
    expect(r.text()).toBe('l');
    cmd.stdout.write('s\r\n/ # ');
    exit(0);
    expect((await r.ended).reason).toBe('exited');
    expect(r.text()).toBe('ls\r\n/ # ');
  });

  it('keeps a guest line that merely starts like xenconsole’s', async () => {
    const { cmd, exit } = fakeCommand();
    const r = run(textConsoleSource(cmd as unknown as CommandStream));
    cmd.stdout.write('xencons');
    await new Promise((res) => setImmediate(res));
    expect(r.text()).toBe('');
    cmd.stdout.write('ole: hello\r\n');
    exit(0);
    await r.ended;
    expect(r.text()).toBe('xenconsole: hello\r\n');
  });
});
