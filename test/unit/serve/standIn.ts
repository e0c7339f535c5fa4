// A stand-in backend for the Chromium tests that visit every page: the bench's synthetic host
// (bench/renderer.ts) plus what the CPU, PCI, graphs, guest and create pages read, shaped like
// the lab (2 CPUs, one NUMA node, a NIC and a USB controller, a finished task).
import type { CpuOverview } from '../../../electron/api/cpu';
import type { Backend } from '../../../electron/api/methods';
import type { PciInventory } from '../../../electron/api/pci';
import type { Task } from '../../../electron/api/tasks';
import { guest, syntheticBackend } from '../../../bench/renderer';
import { labFacts } from '../create/fixtures';

export const STAND_IN_GUEST = 'g-0000';

const overview: CpuOverview = {
  scheduler: 'credit2',
  nrCpus: 2,
  coresPerSocket: 2,
  threadsPerCore: 1,
  topology: [0, 1].map((cpu) => ({ cpu, core: cpu, socket: 0, node: 0 })),
  nodes: [{ node: 0, memsizeMiB: 4096, memfreeMiB: 1024, distances: [10], cpus: [0, 1] }],
  pools: [{ name: 'Pool-0', sched: 'credit2', cpus: [0, 1], domainCount: 3, params: {} }],
  freeCpus: [],
  domains: [
    { name: 'Domain-0', domid: 0, pool: 'Pool-0', onlineVcpus: 2, maxVcpus: 2, memoryMiB: 1024, maxMemoryMiB: null, weight: 256, cap: 0 },
    { name: STAND_IN_GUEST, domid: 1, pool: 'Pool-0', onlineVcpus: 1, maxVcpus: 2, memoryMiB: 512, maxMemoryMiB: 1024, weight: 256, cap: 0 },
  ],
  numaSplit: { possible: false, reason: 'single-node', pools: [] },
} as CpuOverview;

const device = (bdf: string, className: string, deviceName: string, over: Partial<PciInventory['devices'][number]> = {}) => ({
  bdf, className, classId: '0200', vendorName: 'Intel Corporation', vendorId: '8086', deviceName, deviceId: '100e', driver: 'e1000',
  functions: [], bridges: [], assignable: false, isBridge: false, dom0Needs: [], runningIn: [], configuredIn: [], ...over,
});

const inventory: PciInventory = {
  availability: { available: true, pv: true, hvm: true, reason: null, virtCaps: ['pv', 'hvm', 'hap'] },
  devices: [
    device('0000:00:03.0', 'Ethernet controller', '82540EM Gigabit Ethernet Controller', { dom0Needs: [{ kind: 'ssh-nic', what: 'eth0 carries your SSH connection' }] }),
    device('0000:00:05.0', 'USB controller', '82801I USB UHCI Controller', { classId: '0c03', driver: 'pciback', assignable: true }),
  ],
  guests: [{ name: STAND_IN_GUEST, running: true, liveAttach: false, devices: [], configPath: '/etc/xen/g-0.cfg', configPassthrough: null, configDevices: [] }],
  clientAddress: '10.0.2.2',
  warnings: [],
};

const task: Task = {
  id: 't1', hostId: 'benchhost', hostName: 'Synthetic', action: 'guest.start', target: STAND_IN_GUEST, state: 'succeeded',
  startedAt: Date.now() - 5000, endedAt: Date.now() - 4000, progress: 1, cancellable: false,
  steps: [{ command: `xl create /etc/xen/g-0.cfg`, startedAt: Date.now() - 5000, endedAt: Date.now() - 4000, exitCode: 0 }],
};

const series = (n: number) => Array.from({ length: n }, (_, i) => Date.now() - (n - i) * 1000);

const pages: Partial<Backend> = {
  'hosts.watchLive': async () => ({ leaseMs: 45_000 }),
  'tasks.list': async () => [task],
  'cpu.overview': async () => overview,
  'cpu.vcpus': async () => [],
  'cpu.configAffinity': async () => ({ configPath: '/etc/xen/g-0.cfg', hard: null, soft: null }),
  'pci.list': async () => inventory,
  'console.hostCheck': async () => ({ overflow: 'discard' as const }),
  'guests.details': async () => ({
    configPath: '/etc/xen/g-0.cfg', autostart: false, uptimeSeconds: 3600, disks: [], type: 'pv', kernel: '/root/kit/vmlinuz',
    nics: [{ bridge: 'xenbr0', mac: '00:16:3e:00:00:01' }],
  }),
  'guests.readConfig': async () => ({ path: '/etc/xen/g-0.cfg', text: `name = "${STAND_IN_GUEST}"\ntype = "pv"\nmemory = 512\nvcpus = 1\n` }),
  'metrics.guest': async () => {
    const t = series(30);
    const v = t.map((_, i) => i % 7);
    return { t, cpuPercent: v, memoryMiB: t.map(() => 512), netRxKiBs: v, netTxKiBs: v, diskReadsPs: v, diskWritesPs: v };
  },
  'metrics.host': async () => {
    const t = series(30);
    return { t, cpuPercent: t.map((_, i) => i % 9), usedMiB: t.map(() => 2048), totalMiB: 4096, nrCpus: 2, pcpuT: t, pcpuPercent: [t.map(() => 5), t.map(() => 9)] };
  },
  'create.facts': async () => labFacts(),
  'create.listTemplates': async () => [],
  'create.preview': async ({ answers }) => ({
    configPath: `/etc/xen/${answers.name}.cfg`, configText: `name = "${answers.name}"\ntype = "${answers.type}"\nmemory = ${answers.memoryMiB}\n`, disks: [], problems: [],
  }),
  'create.dryRun': async () => ({ ok: true, message: null, detail: null }),
};

/** The synthetic host with a few guests, and what every page of it reads. */
export function a11yStandIn(over: Partial<Backend> = {}): Backend {
  const base = syntheticBackend(() => [guest(0, 1), guest(1, 2), guest(9, 0)]);
  return new Proxy(base, {
    get: (t, k: string) => over[k as keyof Backend] ?? pages[k as keyof Backend] ?? t[k as keyof Backend],
  });
}
