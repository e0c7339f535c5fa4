// The wizard's draft: answers as the user has them so far, with defaults from the host's facts.
// Kept whole while the user goes back and forth (Back keeps what was entered).
import type { ConfigSummary, CreateAnswers, CreateFacts, DiskAnswer, GuestType, WizardPage } from '../../../../electron/api/create';
import { BOOT_KINDS, DEFAULT_CMDLINE, defaultImagePath, diskTarget, xenMac } from '../../../../electron/api/createRules';

export const PAGES: WizardPage[] = ['name', 'boot', 'cpu', 'storage', 'network', 'devices', 'review'];

export function randomMac(): string {
  return xenMac(crypto.getRandomValues(new Uint8Array(3)));
}

export function firstType(f: CreateFacts): GuestType {
  return (['pv', 'pvh', 'hvm'] as const).find((t) => f.types[t].available) ?? 'pv';
}

export function defaultBoot(type: GuestType, kind: CreateAnswers['boot']['kind'] = BOOT_KINDS[type][0]): CreateAnswers['boot'] {
  if (kind === 'kernel') return { kind, kernel: '', ramdisk: null, cmdline: DEFAULT_CMDLINE[type] };
  if (kind === 'firmware') return { kind, path: '' };
  if (kind === 'iso') return { kind, iso: '' };
  return { kind };
}

export function initialAnswers(f: CreateFacts): CreateAnswers {
  const type = firstType(f);
  return {
    name: '',
    type,
    boot: defaultBoot(type),
    vcpus: 1,
    maxVcpus: 1,
    memoryMiB: Math.min(512, Math.max(16, f.freeMemoryMiB)),
    maxMemoryMiB: Math.min(512, Math.max(16, f.freeMemoryMiB)),
    disks: [],
    nics: f.bridges.length ? [{ bridge: f.bridges[0], mac: randomMac(), model: null }] : [],
    pci: [],
    passthroughEnabled: false,
    vnc: type === 'hvm',
    vncPassword: null,
  };
}

/** Switching type keeps what still applies and resets what does not (boot method, models, VNC). */
export function withType(a: CreateAnswers, type: GuestType): CreateAnswers {
  if (a.type === type) return a;
  const hvm = type === 'hvm';
  const kept = BOOT_KINDS[type].includes(a.boot.kind) ? a.boot : defaultBoot(type);
  // A command line still at the old type's default follows the new type (hvc0 ↔ ttyS0).
  const boot = kept.kind === 'kernel' && kept.cmdline === DEFAULT_CMDLINE[a.type] ? { ...kept, cmdline: DEFAULT_CMDLINE[type] } : kept;
  return {
    ...a,
    type,
    boot,
    disks: hvm ? a.disks : a.disks.filter((d) => d.kind !== 'cdrom'),
    nics: a.nics.map((n) => ({ ...n, model: hvm ? n.model : null })),
    vnc: hvm,
    vncPassword: hvm ? a.vncPassword : null,
  };
}

export function newDisk(a: CreateAnswers, f: CreateFacts): DiskAnswer {
  const n = a.disks.filter((d) => d.kind !== 'cdrom').length;
  return { kind: 'new', path: defaultImagePath(a.name || 'guest', n, 'raw', f.storageDir), format: 'raw', sizeMiB: 8192 };
}

/** The disk's own path (what the user typed), for the form. */
export function diskPath(d: DiskAnswer): string {
  return diskTarget(d) ?? '';
}

/** The answers in the summary's terms (what the generated config will say). */
export function answersSummary(a: CreateAnswers): ConfigSummary {
  const b = a.boot;
  const boot: ConfigSummary['boot'] =
    b.kind === 'kernel' ? { kind: 'kernel', kernel: b.kernel, ramdisk: b.ramdisk, cmdline: b.cmdline.trim() || null } :
    b.kind === 'firmware' ? { kind: 'kernel', kernel: b.path, ramdisk: null, cmdline: null } :
    b.kind === 'pygrub' ? { kind: 'bootloader', bootloader: 'pygrub' } :
    b.kind === 'iso' ? { kind: 'iso', iso: b.iso } : { kind: b.kind };
  return {
    name: a.name, type: a.type, boot,
    vcpus: a.vcpus, maxVcpus: a.maxVcpus, memoryMiB: a.memoryMiB, maxMemoryMiB: a.maxMemoryMiB,
    nics: a.nics.map((n) => ({ bridge: n.bridge, mac: n.mac, model: n.model })),
  };
}
