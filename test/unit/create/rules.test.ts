import { describe, expect, it } from 'vitest';
import { blocking, validateAll, validatePage } from '../../../electron/api/createRules';
import { hostProblems, type PathKind } from '../../../electron/drivers/xl/create/hostCheck';
import { typeOffers } from '../../../electron/drivers/xl/create/facts';
import { parseXlInfo } from '../../../electron/drivers/xl/parse';
import { labFixture } from '../../fixtures/lab';
import { hvmAnswers, labFacts, pvAnswers } from './fixtures';

const codes = (ps: { code: string }[]) => ps.map((p) => p.code);

describe('page rules', () => {
  it('the lab answers pass every page', () => {
    expect(validateAll(pvAnswers(), labFacts())).toEqual([]);
    expect(validateAll(hvmAnswers(), labFacts())).toEqual([]);
  });

  it('name: empty, not an xl name, taken by a running guest or a config', () => {
    const f = labFacts();
    expect(codes(validatePage('name', pvAnswers({ name: '' }), f))).toEqual(['name.empty']);
    expect(codes(validatePage('name', pvAnswers({ name: 'bad name' }), f))).toEqual(['name.invalid']);
    expect(codes(validatePage('name', pvAnswers({ name: '-x' }), f))).toEqual(['name.invalid']);
    expect(codes(validatePage('name', pvAnswers({ name: 'kit-pv' }), f))).toEqual(['name.taken']);
  });

  it('type: offered from virt_caps, with the reason when not (recorded xl info of a host without IOMMU)', () => {
    const lab = typeOffers(parseXlInfo(labFixture('xl-info').stdout));
    expect([lab.pv.available, lab.pvh.available, lab.hvm.available]).toEqual([true, true, true]);
    const noHvm = typeOffers({ virtCaps: ['pv', 'pv_directio'], xenCaps: [] });
    expect(noHvm.hvm.available).toBe(false);
    expect(noHvm.pvh.reason).toMatch(/no hvm/);
    const f = labFacts({ types: noHvm });
    const ps = validatePage('name', pvAnswers({ type: 'pvh' }), f);
    expect(codes(ps)).toEqual(['type.unavailable']);
    expect(ps[0].message).toMatch(/cannot run PVH guests/);
  });

  it('boot: the method must fit the type, paths must be absolute', () => {
    const f = labFacts();
    expect(codes(validatePage('boot', pvAnswers({ boot: { kind: 'iso', iso: '/x.iso' } }), f))).toEqual(['boot.kindForType']);
    expect(codes(validatePage('boot', hvmAnswers({ boot: { kind: 'pygrub' } }), f))).toEqual(['boot.kindForType']);
    expect(codes(validatePage('boot', pvAnswers({ boot: { kind: 'kernel', kernel: 'vmlinuz', ramdisk: '../x', cmdline: '' } }), f))).toEqual(['boot.kernelPath', 'boot.ramdiskPath']);
    expect(codes(validatePage('boot', hvmAnswers({ boot: { kind: 'iso', iso: '' } }), f))).toEqual(['boot.isoPath']);
    // HVM boots a kernel directly too (QEMU loads it), with the same path rules as PV.
    expect(validatePage('boot', hvmAnswers({ boot: { kind: 'kernel', kernel: '/root/kit/vmlinuz', ramdisk: '/root/kit/initrd.gz', cmdline: 'console=ttyS0' } }), f)).toEqual([]);
    expect(codes(validatePage('boot', hvmAnswers({ boot: { kind: 'kernel', kernel: 'vmlinuz', ramdisk: null, cmdline: '' } }), f))).toEqual(['boot.kernelPath']);
  });

  it('cpu: more vCPUs than the host and memory above free warn; max below start and PoD with PCI refuse', () => {
    const f = labFacts({ nrCpus: 2, freeMemoryMiB: 999 });
    const warn = validatePage('cpu', pvAnswers({ vcpus: 4, maxVcpus: 4 }), f);
    expect(warn.map((p) => [p.code, p.severity])).toEqual([['cpu.vcpusAboveHost', 'warning']]);
    expect(blocking(warn)).toEqual([]);
    expect(codes(validatePage('cpu', pvAnswers({ vcpus: 2, maxVcpus: 1 }), f))).toEqual(['cpu.maxVcpus']);
    const big = validatePage('cpu', pvAnswers({ memoryMiB: 4096, maxMemoryMiB: 4096 }), f);
    expect(big.map((p) => [p.code, p.severity])).toEqual([['cpu.memoryAboveFree', 'warning']]);
    expect(big[0].message).toContain('999 MiB');
    expect(codes(validatePage('cpu', pvAnswers({ memoryMiB: 256, maxMemoryMiB: 128 }), f))).toEqual(['cpu.maxMemory']);
    expect(codes(validatePage('cpu', hvmAnswers({ memoryMiB: 128, maxMemoryMiB: 256 }), f))).toEqual(['cpu.podWithPci']);
  });

  it('memory above what is free now: created without starting it is a warning, created and started it is refused', () => {
    const f = labFacts({ freeMemoryMiB: 999 });
    const big = pvAnswers({ memoryMiB: 4096, maxMemoryMiB: 4096 });
    const created = validateAll(big, f, { start: false });
    expect(created.map((p) => [p.code, p.severity])).toEqual([['cpu.memoryAboveFree', 'warning']]);
    expect(blocking(created)).toEqual([]);
    const started = validateAll(big, f, { start: true });
    expect(blocking(started).map((p) => [p.page, p.code])).toEqual([['review', 'review.memoryAboveFreeStart']]);
    expect(blocking(started)[0].message).toBe('4096 MiB is more than the 999 MiB the host has free, so the guest cannot start now: give it less memory, or create it without starting.');
    expect(validatePage('review', big, f, { start: true })).toEqual(started);
    // Within what is free, starting is fine.
    expect(validateAll(pvAnswers({ memoryMiB: 512, maxMemoryMiB: 512 }), f, { start: true })).toEqual([]);
  });

  it('storage: duplicates, CD-ROM only for HVM and once, LVM group must exist, boot disk needed', () => {
    const f = labFacts();
    const p = '/var/lib/xen/images/a.img';
    expect(codes(validatePage('storage', pvAnswers({ disks: [{ kind: 'new', path: p, format: 'raw', sizeMiB: 1 }, { kind: 'existing', path: p, format: 'raw' }] }), f))).toEqual(['storage.duplicate']);
    expect(codes(validatePage('storage', pvAnswers({ disks: [{ kind: 'cdrom', path: null }] }), f))).toEqual(['storage.cdromHvmOnly']);
    expect(codes(validatePage('storage', hvmAnswers({ disks: [{ kind: 'cdrom', path: null }] }), f))).toEqual(['storage.oneCdrom']);
    expect(codes(validatePage('storage', pvAnswers({ disks: [{ kind: 'lvm', vg: 'nope', lv: 'x', sizeMiB: 1 }] }), f))).toEqual(['storage.noVg']);
    expect(codes(validatePage('storage', pvAnswers({ disks: [{ kind: 'lvm', vg: 'vg0', lv: 'x', sizeMiB: 9999 }] }), f))).toEqual(['storage.vgFull']);
    expect(codes(validatePage('storage', pvAnswers({ boot: { kind: 'pygrub' }, disks: [] }), f))).toEqual(['storage.bootDiskNeeded']);
  });

  it('network: bridge must exist, MACs valid, unicast and unique, model only for HVM, network boot needs a card', () => {
    const f = labFacts();
    const nic = { bridge: 'xenbr0', mac: '00:16:3e:01:02:03', model: null };
    expect(codes(validatePage('network', pvAnswers({ nics: [{ ...nic, bridge: 'br9' }] }), f))).toEqual(['network.noBridge']);
    expect(codes(validatePage('network', pvAnswers({ nics: [{ ...nic, mac: '00:16:3e:1:2:3' }] }), f))).toEqual(['network.mac']);
    expect(codes(validatePage('network', pvAnswers({ nics: [{ ...nic, mac: '01:16:3e:01:02:03' }] }), f))).toEqual(['network.macMulticast']);
    expect(codes(validatePage('network', pvAnswers({ nics: [nic, { ...nic }] }), f))).toEqual(['network.macDuplicate']);
    expect(codes(validatePage('network', pvAnswers({ nics: [{ ...nic, model: 'e1000' }] }), f))).toEqual(['network.modelHvmOnly']);
    expect(codes(validatePage('network', hvmAnswers({ boot: { kind: 'network' }, nics: [] }), f))).toEqual(['network.bootNeedsNic']);
  });

  it('devices: a PCI device once, VNC only for HVM, VNC password at most 8 plain characters', () => {
    const f = labFacts();
    const dev = { address: '0000:00:05.0', options: {} };
    expect(codes(validatePage('devices', pvAnswers({ pci: [dev, dev] }), f))).toEqual(['devices.pciDuplicate']);
    expect(codes(validatePage('devices', pvAnswers({ vnc: true }), f))).toEqual(['devices.vncHvmOnly']);
    expect(codes(validatePage('devices', hvmAnswers({ vncPassword: 'toolongpass' }), f))).toEqual(['devices.vncPassword']);
  });
});

describe('host problems (from one path check on the host)', () => {
  const kinds = (m: Record<string, PathKind>) => new Map(Object.entries(m));
  const okKinds: Record<string, PathKind> = { '/root/kit/vmlinuz': 'f', '/root/kit/initrd.gz': 'f', '/var/lib/xen/images': 'd', '/etc/xen/wz-pv.cfg': '-' };

  it('nothing wrong when the config and images are free and the kernel is there', () => {
    expect(hostProblems(pvAnswers(), '/etc/xen/wz-pv.cfg', kinds(okKinds))).toEqual([]);
  });

  it('an existing config, an existing image, a missing kernel and a missing directory are each refused', () => {
    const ps = hostProblems(pvAnswers(), '/etc/xen/wz-pv.cfg', kinds({ ...okKinds, '/etc/xen/wz-pv.cfg': 'f', '/root/kit/vmlinuz': '-', '/var/lib/xen/images/wz-pv.img': 'f', '/var/lib/xen/images': 'd' }));
    expect(codes(ps)).toEqual(['name.configExists', 'boot.kernelMissing', 'storage.exists']);
    expect(ps[2].message).toMatch(/already exists.*does not overwrite/);
    const noDir = hostProblems(pvAnswers(), '/etc/xen/wz-pv.cfg', kinds({ ...okKinds, '/var/lib/xen/images': '-' }));
    expect(codes(noDir)).toEqual(['storage.dirMissing', 'storage.dirMissing']);
  });

  it('a dangling link or other non-file at a new image path counts as taken', () => {
    expect(codes(hostProblems(pvAnswers(), '/etc/xen/wz-pv.cfg', kinds({ ...okKinds, '/var/lib/xen/images/wz-pv.img': 'o' })))).toEqual(['storage.exists']);
  });
});
