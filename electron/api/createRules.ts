// The wizard's page rules: one validate function per page (virt-manager's createvm.py shape), run
// by the wizard before "Next" and by the backend again before anything is created. They look only
// at the answers and the host's facts; what needs the host's filesystem (does that path exist?)
// is checked by the backend's preview and added to the same list.
import { HostPath } from './lifecycle';
import { GuestName } from './pci';
import { Mac, type CreateAnswers, type DiskAnswer, type CreateFacts, type GuestType, type ImageFormat, type Problem, type WizardPage } from './create';

type Params = Record<string, string | number>;

/** The path xl opens for a disk (an LVM volume is its device node; an empty CD-ROM drive has none). */
export function diskTarget(d: DiskAnswer): string | null {
  return d.kind === 'lvm' ? `/dev/${d.vg}/${d.lv}` : d.path;
}

function problem(page: WizardPage, field: string, code: string, message: string, params: Params = {}, severity: Problem['severity'] = 'error'): Problem {
  return { page, field, code, severity, params, message };
}

/** Boot methods each guest type offers (the first is the default). */
export const BOOT_KINDS: Record<GuestType, CreateAnswers['boot']['kind'][]> = {
  pv: ['kernel', 'pygrub'],
  pvh: ['kernel', 'firmware'],
  // HVM direct kernel boot: QEMU loads the kernel (xl.cfg kernel=, ramdisk=, cmdline=).
  hvm: ['iso', 'network', 'disk', 'kernel'],
};

/**
 * Where the kernel prints its console by default: PV and PVH have the Xen console hvc0; an HVM
 * guest's text console in Domus is its emulated serial port (serial = "pty").
 */
export const DEFAULT_CMDLINE: Record<GuestType, string> = { pv: 'console=hvc0', pvh: 'console=hvc0', hvm: 'console=ttyS0' };

const isPath = (p: string | null | undefined): boolean => !!p && HostPath.safeParse(p).success;

function validateName(a: CreateAnswers, f: CreateFacts): Problem[] {
  const out: Problem[] = [];
  if (!a.name) out.push(problem('name', 'name', 'name.empty', 'Give the guest a name.'));
  else if (!GuestName.safeParse(a.name).success) {
    out.push(problem('name', 'name', 'name.invalid', `"${a.name}" is not a name xl accepts: use letters, digits, ".", "_" and "-", starting with a letter or digit (at most 64).`, { name: a.name }));
  } else if (f.usedNames.includes(a.name)) {
    out.push(problem('name', 'name', 'name.taken', `A guest named ${a.name} already exists on this host (running or as a config).`, { name: a.name }));
  }
  const offer = f.types[a.type];
  if (!offer.available) {
    out.push(problem('name', 'type', 'type.unavailable', `This host cannot run ${a.type.toUpperCase()} guests: ${offer.reason ?? 'xl info does not list it'}.`, { type: a.type.toUpperCase(), reason: offer.reason ?? '' }));
  }
  return out;
}

function validateBoot(a: CreateAnswers): Problem[] {
  const b = a.boot;
  if (!BOOT_KINDS[a.type].includes(b.kind)) {
    return [problem('boot', 'kind', 'boot.kindForType', `A ${a.type.toUpperCase()} guest cannot boot that way; choose one of the offered methods.`, { type: a.type.toUpperCase() })];
  }
  const out: Problem[] = [];
  if (b.kind === 'kernel') {
    if (!isPath(b.kernel)) out.push(problem('boot', 'kernel', 'boot.kernelPath', 'Give the kernel as an absolute path on the host.'));
    if (b.ramdisk !== null && !isPath(b.ramdisk)) out.push(problem('boot', 'ramdisk', 'boot.ramdiskPath', 'Give the ramdisk as an absolute path on the host, or none.'));
    if (/[\n\r\0]/.test(b.cmdline)) out.push(problem('boot', 'cmdline', 'boot.cmdline', 'The kernel command line must be one line.'));
  }
  if (b.kind === 'firmware' && !isPath(b.path)) out.push(problem('boot', 'firmware', 'boot.firmwarePath', 'Give the firmware as an absolute path on the host.'));
  if (b.kind === 'iso' && !isPath(b.iso)) out.push(problem('boot', 'iso', 'boot.isoPath', 'Give the install ISO as an absolute path on the host.'));
  return out;
}

function validateCpu(a: CreateAnswers, f: CreateFacts): Problem[] {
  const out: Problem[] = [];
  if (!Number.isInteger(a.vcpus) || a.vcpus < 1) out.push(problem('cpu', 'vcpus', 'cpu.vcpus', 'A guest needs at least one vCPU.'));
  else if (a.vcpus > f.nrCpus) {
    out.push(problem('cpu', 'vcpus', 'cpu.vcpusAboveHost', `${a.vcpus} vCPUs is more than the host's ${f.nrCpus} CPUs; they will share them and the guest may run slowly.`, { vcpus: a.vcpus, cpus: f.nrCpus }, 'warning'));
  }
  if (!Number.isInteger(a.maxVcpus) || a.maxVcpus < a.vcpus) {
    out.push(problem('cpu', 'maxVcpus', 'cpu.maxVcpus', 'The maximum vCPUs cannot be fewer than the vCPUs at start.'));
  }
  if (!Number.isInteger(a.memoryMiB) || a.memoryMiB < 16) out.push(problem('cpu', 'memory', 'cpu.memoryMin', 'A guest needs at least 16 MiB of memory.'));
  else if (a.memoryMiB > f.freeMemoryMiB) {
    // Only starting needs the memory now; a config made for later is fine (validateStart refuses
    // the start).
    out.push(problem('cpu', 'memory', 'cpu.memoryAboveFree', `${a.memoryMiB} MiB is more than the ${f.freeMemoryMiB} MiB the host has free now: the guest can be created, but it will not start until that much is free.`, { memory: a.memoryMiB, free: f.freeMemoryMiB }, 'warning'));
  }
  if (!Number.isInteger(a.maxMemoryMiB) || a.maxMemoryMiB < a.memoryMiB) {
    out.push(problem('cpu', 'maxMemory', 'cpu.maxMemory', 'The maximum memory cannot be less than the memory at start.'));
  } else if (a.type === 'hvm' && a.maxMemoryMiB > a.memoryMiB && a.pci.length > 0) {
    // HVM with maxmem above memory boots with populate-on-demand, which xl refuses with passthrough.
    out.push(problem('cpu', 'maxMemory', 'cpu.podWithPci', 'An HVM guest with PCI devices must start with all its memory: make the maximum equal to the memory.'));
  }
  return out;
}

function validateStorage(a: CreateAnswers, f: CreateFacts): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  const cdroms = a.disks.filter((d) => d.kind === 'cdrom').length + (a.boot.kind === 'iso' ? 1 : 0);
  if (cdroms > 0 && a.type !== 'hvm') out.push(problem('storage', 'disks', 'storage.cdromHvmOnly', 'Only HVM guests have a CD-ROM drive.'));
  if (cdroms > 1) out.push(problem('storage', 'disks', 'storage.oneCdrom', 'A guest gets one CD-ROM drive.'));
  a.disks.forEach((d, i) => {
    const field = `disks.${i}`;
    const target = diskTarget(d);
    const paths = d.kind === 'cdrom' && !target ? [] : [target ?? ''];
    for (const p of paths) {
      if (!isPath(p)) out.push(problem('storage', field, 'storage.path', `Disk ${i + 1}: give an absolute path on the host.`, { n: i + 1 }));
      else if (seen.has(p)) out.push(problem('storage', field, 'storage.duplicate', `Disk ${i + 1}: ${p} is used twice.`, { n: i + 1, path: p }));
      seen.add(p);
    }
    if (d.kind === 'copy' && !isPath(d.source)) out.push(problem('storage', field, 'storage.path', `Disk ${i + 1}: give an absolute path on the host.`, { n: i + 1 }));
    if (d.kind === 'lvm' && !f.volumeGroups.some((v) => v.name === d.vg)) {
      out.push(problem('storage', field, 'storage.noVg', `Disk ${i + 1}: there is no LVM volume group ${d.vg} on this host.`, { n: i + 1, vg: d.vg }));
    }
    if (d.kind === 'lvm' && f.volumeGroups.some((v) => v.name === d.vg && v.freeMiB < d.sizeMiB)) {
      out.push(problem('storage', field, 'storage.vgFull', `Disk ${i + 1}: volume group ${d.vg} has not enough free space.`, { n: i + 1, vg: d.vg }));
    }
  });
  const hasDisk = a.disks.some((d) => d.kind !== 'cdrom');
  if ((a.boot.kind === 'pygrub' || a.boot.kind === 'disk') && !hasDisk) {
    out.push(problem('storage', 'disks', 'storage.bootDiskNeeded', 'This guest boots from its first disk: add or import one.'));
  }
  return out;
}

function validateNetwork(a: CreateAnswers, f: CreateFacts): Problem[] {
  const out: Problem[] = [];
  const macs = new Set<string>();
  a.nics.forEach((n, i) => {
    const field = `nics.${i}`;
    if (!f.bridges.includes(n.bridge)) out.push(problem('network', field, 'network.noBridge', `Network card ${i + 1}: there is no bridge ${n.bridge} on the host.`, { n: i + 1, bridge: n.bridge }));
    if (!Mac.safeParse(n.mac).success) out.push(problem('network', field, 'network.mac', `Network card ${i + 1}: a MAC address looks like 00:16:3e:12:34:56.`, { n: i + 1 }));
    else if (parseInt(n.mac.slice(0, 2), 16) & 1) out.push(problem('network', field, 'network.macMulticast', `Network card ${i + 1}: ${n.mac} is a multicast address; a card needs a unicast one.`, { n: i + 1, mac: n.mac }));
    else if (macs.has(n.mac.toLowerCase())) out.push(problem('network', field, 'network.macDuplicate', `Network card ${i + 1}: ${n.mac} is used twice.`, { n: i + 1, mac: n.mac }));
    macs.add(n.mac.toLowerCase());
    if (n.model !== null && a.type !== 'hvm') out.push(problem('network', field, 'network.modelHvmOnly', 'Only HVM guests have an emulated card model.'));
  });
  if (a.boot.kind === 'network' && a.nics.length === 0) out.push(problem('network', 'nics', 'network.bootNeedsNic', 'Network boot needs a network card.'));
  return out;
}

function validateDevices(a: CreateAnswers): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const p of a.pci) {
    if (seen.has(p.address)) out.push(problem('devices', 'pci', 'devices.pciDuplicate', `${p.address} is listed twice.`, { address: p.address }));
    seen.add(p.address);
  }
  if (a.vnc && a.type !== 'hvm') out.push(problem('devices', 'vnc', 'devices.vncHvmOnly', 'Only HVM guests have a VNC display here; PV and PVH guests use the text console.'));
  if (a.vncPassword !== null && (a.vncPassword.length > 8 || /[\n\r\0"'\\]/.test(a.vncPassword))) {
    out.push(problem('devices', 'vncPassword', 'devices.vncPassword', 'A VNC password has at most 8 characters and no quotes or backslashes.'));
  }
  return out;
}

/** What the user chose on the review page, which some rules depend on. */
export interface RuleOptions {
  /** The guest is to be started right after it is created. */
  start?: boolean;
}

/** Starting right away needs the memory free now. */
export function validateStart(a: CreateAnswers, f: CreateFacts, o: RuleOptions = {}): Problem[] {
  if (!o.start || !Number.isInteger(a.memoryMiB) || a.memoryMiB <= f.freeMemoryMiB) return [];
  return [problem('review', 'start', 'review.memoryAboveFreeStart', `${a.memoryMiB} MiB is more than the ${f.freeMemoryMiB} MiB the host has free, so the guest cannot start now: give it less memory, or create it without starting.`, { memory: a.memoryMiB, free: f.freeMemoryMiB })];
}

const PAGES: Record<Exclude<WizardPage, 'review'>, (a: CreateAnswers, f: CreateFacts) => Problem[]> = {
  name: validateName,
  boot: validateBoot,
  cpu: validateCpu,
  storage: validateStorage,
  network: validateNetwork,
  devices: validateDevices,
};

export function validatePage(page: WizardPage, a: CreateAnswers, f: CreateFacts, o: RuleOptions = {}): Problem[] {
  if (page === 'review') return validateAll(a, f, o);
  return PAGES[page](a, f);
}

export function validateAll(a: CreateAnswers, f: CreateFacts, o: RuleOptions = {}): Problem[] {
  return [...Object.values(PAGES).flatMap((v) => v(a, f)), ...validateStart(a, f, o)];
}

export const blocking = (ps: Problem[]): Problem[] => ps.filter((p) => p.severity === 'error');

/** Where new images go unless the user picks another directory. */
export const STORAGE_DIR = '/var/lib/xen/images';

/** The file extension Domus gives an image of each format. */
export const IMAGE_EXT: Record<ImageFormat, string> = { raw: 'img', qcow2: 'qcow2', vhd: 'vhd' };

/** A MAC in Xen's OUI 00:16:3e from three random bytes (the top bit cleared, as xl does). */
export function xenMac(bytes: ArrayLike<number>): string {
  const h = (n: number) => (n & 0xff).toString(16).padStart(2, '0');
  return `00:16:3e:${h(bytes[0] & 0x7f)}:${h(bytes[1])}:${h(bytes[2])}`;
}

/** The default path of a guest's n-th new image. */
export function defaultImagePath(name: string, n: number, format: ImageFormat, dir: string = STORAGE_DIR): string {
  return `${dir}/${name}${n === 0 ? '' : `-${n + 1}`}.${IMAGE_EXT[format]}`;
}
