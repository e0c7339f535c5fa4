import type { Guest } from '../../../electron/api/guests';
import type { HostInfo, HostSummary } from '../../../electron/api/hosts';

export function guest(over: Partial<Guest> & { name: string }): Guest {
  return {
    id: `uuid:${over.name}`,
    state: 'running',
    type: 'pvh',
    domid: 1,
    uuid: null,
    isControlDomain: false,
    vcpus: 1,
    memoryMiB: 512,
    maxMemoryMiB: null,
    cpuPercent: 1.5,
    cpuSeconds: null,
    netTxKiB: null,
    netRxKiB: null,
    diskReads: null,
    diskWrites: null,
    disks: [],
    nics: [],
    pci: [],
    configPath: null,
    ...over,
  };
}

export const host: HostSummary = {
  id: 'lab',
  name: 'Lab',
  kind: 'ssh',
  address: '127.0.0.1',
  port: 2222,
  user: 'root',
  authMethod: 'agent',
  state: 'connected',
};

export const info: HostInfo = {
  hostname: 'xen-lab',
  xenVersion: '4.17.5',
  toolstack: 'xl',
  nrCpus: 2,
  totalMemoryMiB: 4096,
  freeMemoryMiB: 1024,
  scheduler: 'credit2',
  capabilities: { pv: true, pvh: true, hvm: false, passthrough: true },
  virtCaps: ['pv', 'pvh'],
  updatedAt: 0,
};
