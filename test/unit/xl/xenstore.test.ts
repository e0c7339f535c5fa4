import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import {
  getVncListen,
  getVncPort,
  parseXenstoreLs,
  parseXenstoreLsDetailed,
  parseXenstoreWatchLine,
  unescapeXenstoreValue,
} from '../../../electron/drivers/xl/parse';

describe('parseXenstoreLs on `xenstore-ls -f /local/domain/<id>...`', () => {
  const fx = labFixture('xenstore-ls-domain');
  const root = fx.argv[fx.argv.length - 1];
  const domid = Number(/^\/local\/domain\/(\d+)/.exec(root)![1]);
  const tree = parseXenstoreLs(fx.stdout);
  const lines = fx.stdout.split('\n').filter(Boolean);

  it('maps every printed node path to its value', () => {
    expect(tree.size).toBe(lines.length);
    for (const line of lines) {
      const [path, value] = line.split(' = ');
      expect(tree.get(path)).toBe(value.slice(1, -1));
      expect(path.startsWith(root)).toBe(true);
    }
  });

  it('finds the VNC port and address QEMU wrote for the guest', () => {
    const port = /\/console\/vnc-port = "(\d+)"/.exec(fx.stdout);
    expect(getVncPort(tree, domid)).toBe(port ? Number(port[1]) : null);
    const listen = /\/console\/vnc-listen = "([^"]*)"/.exec(fx.stdout);
    expect(getVncListen(tree, domid)).toBe(listen ? listen[1] : null);
    expect(getVncPort(tree, domid + 1000)).toBeNull();
  });

  it('sets aside values xenstore-ls cut at the terminal width (pty), marked with \\...', () => {
    const line = lines.find((l) => l.includes('/console/backend = '))!;
    const cut = line.slice(0, line.indexOf(' = "') + 10) + '\\..."';
    const r = parseXenstoreLsDetailed(cut + '\n');
    expect(r.values.size).toBe(0);
    expect(r.truncated).toEqual([line.slice(0, line.indexOf(' = '))]);
  });
});

describe('unescapeXenstoreValue (libxenstore sanitise_value escapes)', () => {
  it('undoes \\\\, \\t, \\n, \\r, \\xNN and \\ooo; a double quote is printed as is', () => {
    expect(unescapeXenstoreValue('a\\\\b\\tc\\nd\\re')).toBe('a\\b\tc\nd\re');
    expect(unescapeXenstoreValue('\\x7f\\001')).toBe('\x7f\x01');
    expect(unescapeXenstoreValue('say "hi"')).toBe('say "hi"');
  });
});

describe('parseXenstoreWatchLine (lines as xenstore-watch printed them in the lab)', () => {
  it('recognises the domain events and plain paths', () => {
    expect(parseXenstoreWatchLine('@introduceDomain')).toEqual({ kind: 'introduceDomain', path: '@introduceDomain' });
    expect(parseXenstoreWatchLine('@releaseDomain\n')).toEqual({ kind: 'releaseDomain', path: '@releaseDomain' });
    expect(parseXenstoreWatchLine('/local/domain/2/name')).toEqual({ kind: 'path', path: '/local/domain/2/name', domid: 2 });
    expect(parseXenstoreWatchLine('/local/domain')).toEqual({ kind: 'path', path: '/local/domain', domid: null });
    expect(parseXenstoreWatchLine('')).toBeNull();
  });
});
