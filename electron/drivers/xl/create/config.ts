// The wizard's answers as an xl.cfg (xl.cfg.5). The text is built with the xlcfg writer, so every
// value is quoted the way xl reads it back, and the reader round-trips it (unit-tested). Keys come
// in the order a person reads a config: identity, boot, CPU and memory, devices, behaviour.
import type { CreateAnswers, DiskAnswer } from '../../../api/create';
import { diskTarget } from '../../../api/createRules';
import { guestFileName } from '../../../api/guestNames';
import { CONFIG_DIR } from '../configIndex';
import { pciSpec } from '../pci';
import { XlCfg } from '../xlcfg';
import { assignVdevs, effectiveDisks } from './naming';

export const configPathFor = (name: string) => `${CONFIG_DIR}/${guestFileName(name, 'a config file')}.cfg`;

/** One xl disk spec (xl-disk-configuration.5); target= last, since the path may hold commas. */
export function diskSpec(d: DiskAnswer, vdev: string): string {
  if (d.kind === 'cdrom') {
    // An empty drive has no target: format=empty (xl-disk-configuration.5), media inserted later.
    return d.path ? `format=raw, vdev=${vdev}, access=ro, devtype=cdrom, target=${d.path}` : `format=empty, vdev=${vdev}, access=ro, devtype=cdrom`;
  }
  const format = d.kind === 'lvm' ? 'raw' : d.kind === 'existing' ? (d.format ?? 'raw') : d.format;
  return `format=${format}, vdev=${vdev}, access=rw, target=${diskTarget(d)}`;
}

export function vifSpec(n: CreateAnswers['nics'][number], hvm: boolean): string {
  return [`bridge=${n.bridge}`, `mac=${n.mac.toLowerCase()}`, ...(hvm && n.model ? [`model=${n.model}`] : [])].join(',');
}

const HVM_BOOT = { iso: 'dc', network: 'n', disk: 'c' } as const;

export function buildConfig(a: CreateAnswers): string {
  const hvm = a.type === 'hvm';
  const cfg = XlCfg.parse(`# Made by Domus's guest wizard.\n`);
  cfg.set('name', a.name);
  cfg.set('type', a.type);
  const b = a.boot;
  if (b.kind === 'kernel') {
    cfg.set('kernel', b.kernel);
    if (b.ramdisk) cfg.set('ramdisk', b.ramdisk);
    // PV keeps extra= (what PV configs have always used); for HVM xl.cfg.5 documents cmdline=.
    if (b.cmdline.trim()) cfg.set(hvm ? 'cmdline' : 'extra', b.cmdline.trim());
  } else if (b.kind === 'pygrub') {
    cfg.set('bootloader', 'pygrub');
  } else if (b.kind === 'firmware') {
    cfg.set('kernel', b.path);
  } else {
    cfg.set('boot', HVM_BOOT[b.kind]);
  }
  cfg.set('memory', a.memoryMiB);
  if (a.maxMemoryMiB !== a.memoryMiB) cfg.set('maxmem', a.maxMemoryMiB);
  cfg.set('vcpus', a.vcpus);
  if (a.maxVcpus !== a.vcpus) cfg.set('maxvcpus', a.maxVcpus);
  const disks = effectiveDisks(a);
  const vdevs = assignVdevs(a.type, disks);
  if (disks.length) cfg.set('disk', disks.map((d, i) => diskSpec(d, vdevs[i])));
  if (a.nics.length) cfg.set('vif', a.nics.map((n) => vifSpec(n, hvm)));
  if (a.pci.length) cfg.set('pci', a.pci.map((p) => pciSpec(p.address, p.options)));
  if (a.passthroughEnabled || a.pci.length) cfg.set('passthrough', 'enabled');
  if (hvm) {
    cfg.set('serial', 'pty');
    cfg.set('vnc', a.vnc ? 1 : 0);
    if (a.vnc) {
      cfg.set('vnclisten', '127.0.0.1');
      if (a.vncPassword) cfg.set('vncpasswd', a.vncPassword);
    }
  }
  cfg.set('on_poweroff', 'destroy');
  cfg.set('on_reboot', 'restart');
  cfg.set('on_crash', 'destroy');
  return cfg.toString();
}
