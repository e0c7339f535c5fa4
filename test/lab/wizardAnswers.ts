// Create-wizard answers for the kit's kernel and initrd, as the lab's wizard tests give them.
import type { CreateAnswers } from '../../electron/api/create';

/** The kit's HVM kernel line (kit hvm.cfg): the shell on the serial port, /hvminit as init. */
export const HVM_CMDLINE = 'console=ttyS0,115200 rdinit=/hvminit loglevel=4';

export function kitAnswers(name: string, over: Partial<CreateAnswers> = {}): CreateAnswers {
  return {
    name,
    type: 'pv',
    boot: { kind: 'kernel', kernel: '/root/kit/vmlinuz', ramdisk: '/root/kit/initrd.gz', cmdline: 'console=hvc0 rdinit=/init loglevel=4' },
    vcpus: 1,
    maxVcpus: 1,
    memoryMiB: 128,
    maxMemoryMiB: 128,
    disks: [],
    nics: [],
    pci: [],
    passthroughEnabled: false,
    vnc: false,
    vncPassword: null,
    ...over,
  };
}
