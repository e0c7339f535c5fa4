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

const QUANTITIES = ['cpuSeconds', 'memKiB', 'netTxKiB', 'netRxKiB', 'diskReads', 'diskWrites'] as const;
const OPTIONAL = ['cpuPercent', 'maxMemKiB'] as const;
const sane = (n: number) => Number.isFinite(n) && n >= 0;

/**
 * Whether every figure of a sample is a number the UI can show: finite and not negative. The
 * parsers already refuse such values; this is the last check before a sample leaves the driver.
 */
export function saneSample(d: DomainSample): boolean {
  return QUANTITIES.every((k) => sane(d[k])) && OPTIONAL.every((k) => d[k] === null || sane(d[k]));
}
