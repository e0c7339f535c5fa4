// One domain's live figures in one sample, whichever source gave them (the monitor script, or
// xentop where the host cannot run it). Network counters are from the guest's point of view.
import type { DomainFlags } from './list';

export interface DomainSample {
  name: string;
  flags: DomainFlags;
  cpuSeconds: number;
  /** Of one CPU, so a busy 4-vCPU guest shows up to 400; null until two samples make a rate. */
  cpuPercent: number | null;
  memKiB: number;
  /** null when the domain's memory has no limit. */
  maxMemKiB: number | null;
  /** What the guest sent / received over all its NICs. */
  netTxKiB: number;
  netRxKiB: number;
  /** Block requests over all its blkback disks. */
  diskReads: number;
  diskWrites: number;
}
