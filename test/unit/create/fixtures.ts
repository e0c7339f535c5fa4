// Answers and host facts the create tests share. The facts mirror the lab (2 CPUs, ~1 GB free,
// xenbr0, virt_caps pv hvm hap shadow) and are read from the recorded `xl info` where they can be.
import type { CreateAnswers, CreateFacts } from '../../../electron/api/create';
import { typeOffers } from '../../../electron/drivers/xl/create/facts';
import { parseIpBridges, parseXlInfo } from '../../../electron/drivers/xl/parse';
import { labFixture } from '../../fixtures/lab';

export function labFacts(over: Partial<CreateFacts> = {}): CreateFacts {
  const info = parseXlInfo(labFixture('xl-info').stdout);
  return {
    types: typeOffers(info),
    nrCpus: info.nrCpus,
    totalMemoryMiB: info.totalMemoryMiB,
    freeMemoryMiB: info.freeMemoryMiB,
    usedNames: ['Domain-0', 'kit-pv'],
    bridges: parseIpBridges(labFixture('ip-link-bridge').stdout),
    volumeGroups: [{ name: 'vg0', freeMiB: 4096 }],
    storageDir: '/var/lib/xen/images',
    configDir: '/etc/xen',
    ...over,
  };
}

export function pvAnswers(over: Partial<CreateAnswers> = {}): CreateAnswers {
  return {
    name: 'wz-pv',
    type: 'pv',
    boot: { kind: 'kernel', kernel: '/root/kit/vmlinuz', ramdisk: '/root/kit/initrd.gz', cmdline: 'console=hvc0 rdinit=/init loglevel=4' },
    vcpus: 1,
    maxVcpus: 2,
    memoryMiB: 128,
    maxMemoryMiB: 256,
    disks: [
      { kind: 'new', path: '/var/lib/xen/images/wz-pv.img', format: 'raw', sizeMiB: 64 },
      { kind: 'new', path: '/var/lib/xen/images/wz-pv-2.vhd', format: 'vhd', sizeMiB: 32 },
    ],
    nics: [{ bridge: 'xenbr0', mac: '00:16:3e:01:02:03', model: null }],
    pci: [],
    passthroughEnabled: false,
    vnc: false,
    vncPassword: null,
    ...over,
  };
}

export function hvmAnswers(over: Partial<CreateAnswers> = {}): CreateAnswers {
  return pvAnswers({
    name: 'wz-hvm',
    type: 'hvm',
    boot: { kind: 'iso', iso: '/var/lib/xen/images/debian.iso' },
    maxMemoryMiB: 128,
    disks: [
      { kind: 'new', path: '/var/lib/xen/images/wz-hvm.qcow2', format: 'qcow2', sizeMiB: 1024 },
      { kind: 'existing', path: '/dev/vg0/data', format: null },
      { kind: 'lvm', vg: 'vg0', lv: 'wz-hvm-3', sizeMiB: 512 },
      { kind: 'copy', source: '/var/lib/xen/images/base.img', path: '/var/lib/xen/images/wz-hvm-4.img', format: 'raw' },
    ],
    nics: [{ bridge: 'xenbr0', mac: '00:16:3e:0a:0b:0c', model: 'e1000' }, { bridge: 'xenbr0', mac: '00:16:3e:0a:0b:0d', model: 'rtl8139' }],
    pci: [{ address: '0000:00:05.0', options: { permissive: true, rdmPolicy: 'relaxed' } }],
    passthroughEnabled: true,
    vnc: true,
    vncPassword: 'secret',
    ...over,
  });
}
