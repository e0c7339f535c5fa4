import { describe, expect, it } from 'vitest';
import { parseFindListing, parseIpBridges } from '../../../electron/drivers/xl/parse';
import { labFixture } from '../../fixtures/lab';

describe('wizard parsers on recorded lab output', () => {
  it('find -printf listing of the kit directory', () => {
    const entries = parseFindListing(labFixture('find-kit').stdout);
    expect(entries.find((e) => e.name === 'vmlinuz')).toEqual({ name: 'vmlinuz', path: '/root/kit/vmlinuz', kind: 'file', sizeBytes: 8222656 });
    expect(entries.map((e) => e.name)).toContain('initrd.gz');
    expect(entries.every((e) => e.path.startsWith('/root/kit/'))).toBe(true);
  });

  it('names with tabs and newlines survive (NUL-separated records)', () => {
    const e = parseFindListing('d\t4096\t/srv/a dir\0f\t3\t/srv/odd\tname\nx\0');
    expect(e.map((x) => [x.kind, x.name])).toEqual([['dir', 'a dir'], ['file', 'odd\tname\nx']]);
  });

  it('bridges from ip -j link', () => {
    expect(parseIpBridges(labFixture('ip-link-bridge').stdout)).toEqual(['xenbr0']);
    expect(parseIpBridges('')).toEqual([]);
  });
});

describe('the file browser contract', () => {
  it('accepts the root directory and absolute paths, refuses relative ones and ".."', async () => {
    const { CreateMethods } = await import('../../../electron/api/create');
    const ok = (dir: string) => CreateMethods['create.browse'].input.safeParse({ hostId: 'h1', dir }).success;
    expect([ok('/'), ok('/root/kit'), ok('root'), ok('/root/../etc'), ok('')]).toEqual([true, true, false, false, false]);
  });
});
