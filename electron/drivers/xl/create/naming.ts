// Names the wizard gives things: vdevs in the order disks are listed, MACs in Xen's range, and
// default image paths in the storage directory.
import type { CreateAnswers, DiskAnswer, GuestType, ImageFormat } from '../../../api/create';

// Shared with the wizard (which suggests paths and MACs before asking the host).
export { xenMac, STORAGE_DIR } from '../../../api/createRules';

/** qemu-img's name for a format: xl says vhd, qemu-img says vpc. */
export const QEMU_FORMAT: Record<ImageFormat, string> = { raw: 'raw', qcow2: 'qcow2', vhd: 'vpc' };

function xvd(i: number): string {
  // xvda..xvdz, then xvdaa.. (Linux's scheme for the 27th disk on).
  const letters = i < 26 ? String.fromCharCode(97 + i) : String.fromCharCode(96 + Math.floor(i / 26)) + String.fromCharCode(97 + (i % 26));
  return `xvd${letters}`;
}

/**
 * The vdev of each disk, in order. PV and PVH: xvda, xvdb, ... HVM: the CD-ROM is hdc (where
 * installers look for it), disks take hda, hdb, hdd (the emulated IDE slots, bootable by the BIOS),
 * and any further disk is PV-only: xvde, xvdf, ...
 */
export function assignVdevs(type: GuestType, disks: readonly Pick<DiskAnswer, 'kind'>[]): string[] {
  if (type !== 'hvm') return disks.map((_d, i) => xvd(i));
  const ide = ['hda', 'hdb', 'hdd'];
  let next = 0;
  return disks.map((d) => {
    if (d.kind === 'cdrom') return 'hdc';
    const v = next < ide.length ? ide[next] : xvd(next + 1);
    next++;
    return v;
  });
}

/** The disks as xl sees them: the boot ISO becomes the CD-ROM drive. */
export function effectiveDisks(a: Pick<CreateAnswers, 'boot' | 'disks'>): DiskAnswer[] {
  if (a.boot.kind !== 'iso') return [...a.disks];
  const iso = a.boot.iso;
  const rest = a.disks.filter((d) => d.kind !== 'cdrom');
  return [...rest, { kind: 'cdrom', path: iso }];
}
