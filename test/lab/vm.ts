// The running lab: one QEMU (TCG, no KVM) booting Xen with a Debian dom0 from a qcow2 overlay on
// the cached image. Its pid, port and boot options live in the run directory; `down` kills only
// the process recorded there, and only after checking it is the QEMU we started.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ImagePaths } from './paths';
import { runDir } from './paths';

export interface BootOptions {
  /** QEMU intel-iommu + Xen iommu=1 (PCI passthrough). Off gives a host without passthrough. */
  iommu: boolean;
  /** Xen's scheduler: credit2 (Xen 4.17's default) or credit. */
  sched: 'credit2' | 'credit';
  /** Start from the pristine image instead of the existing overlay. */
  fresh: boolean;
  /** For experiments: QEMU's TCG threading and the number of CPUs Xen sees. */
  tcgThread?: 'multi' | 'single';
  smp?: number;
  cpu?: string;
}

export interface LabState {
  pid: number;
  port: number;
  startedAt: string;
  imageDir: string;
  iommu: boolean;
  sched: string;
}

const STATE = () => join(runDir(), 'state.json');
const PIDFILE = () => join(runDir(), 'qemu.pid');
const OVERLAY = () => join(runDir(), 'dom0.qcow2');
export const SERIAL_LOG = () => join(runDir(), 'serial.log');
export const KNOWN_HOSTS = () => join(runDir(), 'known_hosts');

export function readState(): LabState | undefined {
  try {
    return JSON.parse(readFileSync(STATE(), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

/** True when pid is alive and is our QEMU (its command line names our overlay). */
export function isOurQemu(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline[0].endsWith('qemu-system-x86_64') && cmdline.some((a) => a.includes(OVERLAY()));
  } catch {
    return false;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function running(): LabState | undefined {
  const st = readState();
  return st && isOurQemu(st.pid) ? st : undefined;
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function overlayMatches(img: ImagePaths): boolean {
  if (!existsSync(OVERLAY())) return false;
  try {
    const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', '-U', OVERLAY()], { encoding: 'utf8' }));
    return info['backing-filename'] === img.rootfs;
  } catch {
    return false;
  }
}

export function resetOverlay(img: ImagePaths): void {
  mkdirSync(runDir(), { recursive: true });
  rmSync(OVERLAY(), { force: true });
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', img.rootfs, '-F', 'raw', OVERLAY()]);
}

export async function boot(img: ImagePaths, opts: BootOptions): Promise<LabState> {
  mkdirSync(runDir(), { recursive: true });
  // Never a second QEMU on the same overlay, even when the state file went missing.
  const recorded = existsSync(PIDFILE()) ? Number(readFileSync(PIDFILE(), 'utf8').trim()) : 0;
  if (recorded && isOurQemu(recorded)) throw new Error(`The lab's QEMU (pid ${recorded}) is still running; stop it first.`);
  if (opts.fresh || !overlayMatches(img)) resetOverlay(img);
  const port = await freeLoopbackPort();
  const xenArgs = [
    'console=com1 com1=115200,8n1',
    'dom0_mem=1024M,max:1024M',
    // One dom0 vCPU: with two, about one `xl create` in ten dies of user-space memory corruption
    // in dom0 under TCG (see README "The lab").
    'dom0_max_vcpus=1',
    'loglvl=all guest_loglvl=all noreboot console_timestamps=boot',
    // Without these dom0 crashes at once under TCG ("d0v0 Unhandled: vec 14, #PF").
    'smap=0 smep=0',
    opts.iommu ? 'iommu=1' : 'iommu=0',
    `sched=${opts.sched}`,
  ].join(' ');
  // QEMU splits -initrd on commas, so the dom0 command line must not contain any.
  const dom0Args = 'root=/dev/vda rw console=hvc0 earlyprintk=xen';
  const args = [
    '-machine', opts.iommu ? 'q35,kernel-irqchip=split' : 'q35',
    '-accel', `tcg,thread=${opts.tcgThread ?? 'multi'},tb-size=512`,
    // No XSAVE: with it, user-space register state in dom0 is corrupted when Xen switches
    // between PV domains under TCG (xl dies in libc, kernel decompression fails in 6/6 creates
    // on one CPU); without it (FXSAVE) 0 in 20. See README "The lab".
    '-cpu', opts.cpu ?? 'max,-xsave', '-smp', String(opts.smp ?? 2), '-m', '2048',
    ...(opts.iommu ? ['-device', 'intel-iommu,intremap=on'] : []),
    '-kernel', img.xen, '-append', xenArgs,
    '-initrd', `${img.vmlinuz} ${dom0Args},${img.initrd}`,
    '-drive', `file=${OVERLAY()},if=none,id=d0,format=qcow2,cache=unsafe`, '-device', 'virtio-blk-pci,drive=d0',
    // Every user network is restricted to this machine; SSH reaches dom0 only via loopback.
    '-netdev', `user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${port}-:22`, '-device', 'virtio-net-pci,netdev=n0',
    // The spare NIC for passthrough tests, at a fixed address: 0000:00:05.0.
    '-netdev', 'user,id=n1,restrict=on', '-device', 'e1000,netdev=n1,addr=0x5',
    '-display', 'none', '-serial', `file:${SERIAL_LOG()}`,
    '-monitor', `unix:${join(runDir(), 'monitor.sock')},server,nowait`,
    '-pidfile', PIDFILE(), '-daemonize',
  ];
  rmSync(PIDFILE(), { force: true });
  await new Promise<void>((resolve, reject) => {
    const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`QEMU did not start (exit ${code}).`))));
  });
  const pid = Number(readFileSync(PIDFILE(), 'utf8').trim());
  const hostKey = readFileSync(img.hostKeyPub, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  writeFileSync(KNOWN_HOSTS(), `[127.0.0.1]:${port} ${hostKey}\n`);
  const state: LabState = {
    pid,
    port,
    startedAt: new Date().toISOString(),
    imageDir: img.dir,
    iommu: opts.iommu,
    sched: opts.sched,
  };
  writeFileSync(STATE(), JSON.stringify(state, null, 2));
  return state;
}

export async function stop(): Promise<'stopped' | 'not running'> {
  const st = readState();
  if (!st || !isOurQemu(st.pid)) {
    // A stale record is removed; one whose process still lives is left alone (it may belong to a
    // lab started with another cache directory).
    if (!st || !pidAlive(st.pid)) rmSync(STATE(), { force: true });
    return 'not running';
  }
  process.kill(st.pid, 'SIGTERM');
  for (let i = 0; i < 100 && isOurQemu(st.pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isOurQemu(st.pid)) process.kill(st.pid, 'SIGKILL');
  for (let i = 0; i < 50 && isOurQemu(st.pid); i++) await new Promise((r) => setTimeout(r, 100));
  rmSync(STATE(), { force: true });
  rmSync(PIDFILE(), { force: true });
  return 'stopped';
}
