import { describe, expect, it } from 'vitest';
import { CreateAnswers } from '../../../electron/api/create';
import { buildConfig } from '../../../electron/drivers/xl/create/config';
import { assignVdevs } from '../../../electron/drivers/xl/create/naming';
import { diskOps, diskPlan } from '../../../electron/drivers/xl/create/plan';
import { XlCfg, parseDiskSpec } from '../../../electron/drivers/xl/xlcfg';
import { hvmAnswers, pvAnswers } from './fixtures';

/** Reads a built config back with the xlcfg reader. */
function readBack(text: string) {
  const cfg = XlCfg.parse(text);
  // The writer's output is exactly what the reader keeps (the document round-trips byte for byte).
  expect(cfg.toString()).toBe(text);
  return cfg;
}

describe('the config builder: answers → xl.cfg, read back by the xlcfg reader', () => {
  it('PV with a direct kernel, two new disks and a bridge', () => {
    const a = pvAnswers();
    const cfg = readBack(buildConfig(a));
    expect(cfg.getString('name')).toBe('wz-pv');
    expect(cfg.getString('type')).toBe('pv');
    expect(cfg.getString('kernel')).toBe('/root/kit/vmlinuz');
    expect(cfg.getString('ramdisk')).toBe('/root/kit/initrd.gz');
    expect(cfg.getString('extra')).toBe('console=hvc0 rdinit=/init loglevel=4');
    expect(cfg.getNumber('memory')).toBe(128);
    expect(cfg.getNumber('maxmem')).toBe(256);
    expect(cfg.getNumber('vcpus')).toBe(1);
    expect(cfg.getNumber('maxvcpus')).toBe(2);
    const disks = cfg.getList('disk').map((d) => parseDiskSpec(String(d)));
    expect(disks.map((d) => [d.target, d.format, d.vdev, d.access])).toEqual([
      ['/var/lib/xen/images/wz-pv.img', 'raw', 'xvda', 'rw'],
      ['/var/lib/xen/images/wz-pv-2.vhd', 'vhd', 'xvdb', 'rw'],
    ]);
    expect(cfg.getList('vif')).toEqual(['bridge=xenbr0,mac=00:16:3e:01:02:03']);
    for (const k of ['serial', 'vnc', 'pci', 'passthrough', 'bootloader', 'boot']) expect(cfg.has(k)).toBe(false);
    expect([cfg.getString('on_poweroff'), cfg.getString('on_reboot'), cfg.getString('on_crash')]).toEqual(['destroy', 'restart', 'destroy']);
  });

  it('HVM with every option the wizard emits: ISO, LVM, copy, existing device, models, PCI, VNC', () => {
    const a = hvmAnswers();
    const cfg = readBack(buildConfig(a));
    expect(cfg.getString('type')).toBe('hvm');
    expect(cfg.getString('boot')).toBe('dc');
    expect(cfg.has('maxmem')).toBe(false);
    const disks = cfg.getList('disk').map((d) => parseDiskSpec(String(d)));
    expect(disks.map((d) => [d.target, d.format, d.vdev, d.devtype])).toEqual([
      ['/var/lib/xen/images/wz-hvm.qcow2', 'qcow2', 'hda', null],
      ['/dev/vg0/data', 'raw', 'hdb', null],
      ['/dev/vg0/wz-hvm-3', 'raw', 'hdd', null],
      ['/var/lib/xen/images/wz-hvm-4.img', 'raw', 'xvde', null],
      ['/var/lib/xen/images/debian.iso', 'raw', 'hdc', 'cdrom'],
    ]);
    expect(cfg.getList('vif')).toEqual(['bridge=xenbr0,mac=00:16:3e:0a:0b:0c,model=e1000', 'bridge=xenbr0,mac=00:16:3e:0a:0b:0d,model=rtl8139']);
    expect(cfg.getList('pci')).toEqual(['0000:00:05.0,permissive=1,rdm_policy=relaxed']);
    expect(cfg.getString('passthrough')).toBe('enabled');
    expect(cfg.getString('serial')).toBe('pty');
    expect(cfg.getNumber('vnc')).toBe(1);
    expect(cfg.getString('vnclisten')).toBe('127.0.0.1');
    expect(cfg.getString('vncpasswd')).toBe('secret');
  });

  it('HVM without VNC says vnc = 0 (xl turns it on by default) and network / disk boot orders', () => {
    const net = readBack(buildConfig(hvmAnswers({ vnc: false, vncPassword: null, boot: { kind: 'network' }, pci: [] })));
    expect(net.getNumber('vnc')).toBe(0);
    expect(net.has('vnclisten')).toBe(false);
    expect(net.getString('boot')).toBe('n');
    expect(readBack(buildConfig(hvmAnswers({ boot: { kind: 'disk' } }))).getString('boot')).toBe('c');
  });

  it('PV with pygrub, PVH with firmware, an empty CD-ROM and quoting of odd characters', () => {
    const pyg = readBack(buildConfig(pvAnswers({ boot: { kind: 'pygrub' } })));
    expect(pyg.getString('bootloader')).toBe('pygrub');
    expect(pyg.has('kernel')).toBe(false);
    const pvh = readBack(buildConfig(pvAnswers({ type: 'pvh', boot: { kind: 'firmware', path: '/usr/lib/grub-xen/grub-i386-xen_pvh.bin' } })));
    expect(pvh.getString('type')).toBe('pvh');
    expect(pvh.getString('kernel')).toBe('/usr/lib/grub-xen/grub-i386-xen_pvh.bin');
    const odd = readBack(buildConfig(pvAnswers({ boot: { kind: 'kernel', kernel: "/boot/it's \"here\"", ramdisk: null, cmdline: 'root=/dev/xvda1 quiet' } })));
    expect(odd.getString('kernel')).toBe("/boot/it's \"here\"");
    expect(odd.has('ramdisk')).toBe(false);
    const cd = readBack(buildConfig(hvmAnswers({ boot: { kind: 'disk' }, disks: [{ kind: 'cdrom', path: null }] })));
    expect(parseDiskSpec(String(cd.getList('disk')[0]))).toMatchObject({ vdev: 'hdc', devtype: 'cdrom', format: 'empty' });
  });

  it('HVM with direct kernel boot: kernel, ramdisk and cmdline (xl.cfg.5), no boot order, the serial console', () => {
    const a = hvmAnswers({ boot: { kind: 'kernel', kernel: '/root/kit/vmlinuz', ramdisk: '/root/kit/initrd.gz', cmdline: ' console=ttyS0 rdinit=/init ' }, disks: [], pci: [] });
    expect(CreateAnswers.safeParse(a).success).toBe(true);
    const cfg = readBack(buildConfig(a));
    expect(cfg.getString('type')).toBe('hvm');
    expect(cfg.getString('kernel')).toBe('/root/kit/vmlinuz');
    expect(cfg.getString('ramdisk')).toBe('/root/kit/initrd.gz');
    expect(cfg.getString('cmdline')).toBe('console=ttyS0 rdinit=/init');
    for (const k of ['extra', 'boot', 'bootloader']) expect(cfg.has(k)).toBe(false);
    expect(cfg.getString('serial')).toBe('pty');
    // Without a ramdisk or a command line, neither key is written.
    const bare = readBack(buildConfig(hvmAnswers({ boot: { kind: 'kernel', kernel: '/boot/vmlinuz', ramdisk: null, cmdline: '  ' }, disks: [], pci: [] })));
    expect([bare.getString('kernel'), bare.has('ramdisk'), bare.has('cmdline')]).toEqual(['/boot/vmlinuz', false, false]);
  });

  it('every generated answer set passes the contract schema (what the renderer sends)', () => {
    for (const a of [pvAnswers(), hvmAnswers()]) expect(CreateAnswers.safeParse(a).success).toBe(true);
  });
});

describe('vdevs and the disk plan', () => {
  it('PV/PVH: xvda.. in order; HVM: hda, hdb, hdd for disks, hdc for the CD-ROM, then xvde..', () => {
    expect(assignVdevs('pv', [{ kind: 'new' }, { kind: 'existing' }, { kind: 'lvm' }])).toEqual(['xvda', 'xvdb', 'xvdc']);
    expect(assignVdevs('pvh', Array.from({ length: 28 }, () => ({ kind: 'new' as const }))).slice(25)).toEqual(['xvdz', 'xvdaa', 'xvdab']);
    expect(assignVdevs('hvm', [{ kind: 'cdrom' }, { kind: 'new' }, { kind: 'new' }, { kind: 'new' }, { kind: 'new' }])).toEqual(['hdc', 'hda', 'hdb', 'hdd', 'xvde']);
  });

  it('the plan lists what is made and what is used; the script gets only what is made', () => {
    const a = hvmAnswers();
    expect(diskPlan(a).map((d) => [d.action, d.vdev])).toEqual([['create', 'hda'], ['use', 'hdb'], ['lvcreate', 'hdd'], ['copy', 'xvde'], ['use', 'hdc']]);
    expect(diskOps(a).map((d) => d.kind)).toEqual(['create', 'lvcreate', 'copy']);
  });
});
