// Disk usage on a real host: the probe recorded in the lab with hd-p running on hd-p.img
// (blkback's loop0 under it), hd-q stopped naming the same image through a symlink plus a
// read-only image it shares with hd-s, hd-s's save image, hd-p's .bak, dom0's root on /dev/vda.
import { describe, expect, it } from 'vitest';
import { labFixture } from '../../fixtures/lab';
import { describeUser, hostDiskUses, judgeClaims, parseDiskUsageProbe, refuseDiskConflicts } from '../../../electron/drivers/xl/diskUsage';
import { DomusError } from '../../../electron/api/errors';
import { shareableRefusals } from '../../../electron/api/lifecycle';

const fx = labFixture('disk-usage-probe');
const probe = () => parseDiskUsageProbe(fx.stdout);
const IMG = '/var/lib/xen/images/hd-p.img';
const LINK = '/var/lib/xen/images/hd-p-link.img';
const ISO = '/var/lib/xen/images/hd-iso.img';

describe('disk usage probe (recorded in the lab)', () => {
  it('knows every use: the running domain, stopped configs, dom0, and not blkback\'s loop as dom0', () => {
    const { uses } = hostDiskUses(probe());
    const img = uses.filter((u) => u.key === probe().ids[IMG]);
    // The image and the symlink to it are one disk: hd-p running and hd-q's config.
    expect(img.map(describeUser).sort()).toEqual(['hd-p (read-write, running)', 'hd-q (read-write, stopped)']);
    expect(uses.filter((u) => u.guest === null).map(describeUser)).toEqual(['dom0 (mounted at /)']);
    expect(uses.filter((u) => u.key === probe().ids[ISO]).map(describeUser).sort()).toEqual(['hd-q (read-only, stopped)', 'hd-s (read-only, running)']);
  });

  it('refuses a second writer with the other guest named, allows read-only sharing and says so', () => {
    const host = hostDiskUses(probe());
    const rw = judgeClaims(host, [{ target: LINK, access: 'rw', spec: '' }], { self: 'hd-new' });
    expect(rw[0].verdict).toEqual({ kind: 'refused', byHost: false, overridable: true });
    expect(rw[0].message).toContain('hd-p (read-write, running)');
    const ro = judgeClaims(host, [{ target: ISO, access: 'ro', spec: '' }], { self: 'hd-new' });
    expect(ro[0].verdict.kind).toBe('sharedReadOnly');
    // Its own uses do not count: hd-p's editor meets only hd-q's stopped config, never hd-p itself.
    const own = judgeClaims(host, [{ target: IMG, access: 'rw', spec: '' }], { self: 'hd-p', selfConfig: '/etc/xen/hd-p.cfg' });
    expect(own.flatMap((f) => f.others.map(describeUser))).toEqual(['hd-q (read-write, stopped)']);
    // At start only running guests count: hd-q's stopped config does not block hd-p... but hd-p running blocks hd-q.
    expect(judgeClaims(host, [{ target: LINK, access: 'rw', spec: '' }], { self: 'hd-q', runningOnly: true })[0].message).toContain('hd-p');
  });

  it('refuses dom0\'s root disk with no override, and the override covers only the typed guest-vs-guest disk', () => {
    const host = hostDiskUses(probe());
    const root = judgeClaims(host, [{ target: '/dev/vda', access: 'rw', spec: '' }], { self: 'hd-new', sharedDisks: ['/dev/vda'] });
    expect(root[0].verdict).toEqual({ kind: 'refused', byHost: true, overridable: false });
    expect(root[0].message).toContain('dom0 (mounted at /)');
    const shared = judgeClaims(host, [{ target: LINK, access: 'rw', spec: '' }], { self: 'hd-new', sharedDisks: [LINK] });
    expect(shared[0].verdict.kind).toBe('overridden');
    const wrongTyped = judgeClaims(host, [{ target: LINK, access: 'rw', spec: '' }], { self: 'hd-new', sharedDisks: [IMG] });
    expect(wrongTyped[0].verdict.kind).toBe('refused');
  });

  it('finds the save image written for a guest and the config backups', () => {
    const p = probe();
    expect(p.saves).toEqual([expect.objectContaining({ path: '/var/lib/xen/save/hd-s.save', name: 'hd-s' })]);
    expect(p.baks.map((b) => b.path)).toEqual(['/etc/xen/hd-p.cfg.bak']);
  });

  it('refuseDiskConflicts throws one conflict naming the user, with the overridable disk in its detail', async () => {
    const run = async () => ({ code: 0, stdout: fx.stdout, stderr: '' });
    const text = `name = "hd-new"\ndisk = [ "format=raw, vdev=xvda, access=rw, target=${LINK}" ]\n`;
    const err = await refuseDiskConflicts(run, { text }, { self: 'hd-new', nothingDone: 'Nothing was created.' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomusError);
    expect((err as DomusError).code).toBe('conflict');
    expect((err as DomusError).message).toMatch(/hd-p \(read-write, running\).*Nothing was created/);
    expect(shareableRefusals((err as DomusError).detail).map((r) => r.path)).toEqual([LINK]);
    // A disk spec xl cannot read is a problem to report, not a disk to skip.
    const bad = await refuseDiskConflicts(run, { text: 'name = "x"\ndisk = [ 42 ]\n' }, { self: 'x', nothingDone: '' }).catch((e: unknown) => e);
    expect((bad as DomusError).code).toBe('invalid_input');
  });

  it('refuses when the running guests cannot be read, instead of guessing', () => {
    const p = { ...probe(), domains: null, domainsError: 'xl: permission denied' };
    expect(() => hostDiskUses(p)).toThrow(/could not read which guests are running/);
  });
});
