// Metric history per guest and for the host, kept in the backend so a guest's page shows the past
// minutes as soon as it opens. Fed by the live inventory (each monitor sample reaches us as the
// driver's guest list) and, per physical CPU, by the driver's 'pcpus' samples; one slot a second,
// 10 minutes, in fixed-size ring buffers (no allocation per sample). Counters (network KiB, disk requests) are stored as rates per second.
import type { Guest } from '../api/guests';
import type { GuestSeries, HostSeries } from '../api/lifecycle';

export const HISTORY_SECONDS = 600;

/** A fixed-capacity ring of rows of numbers (NaN = no value). */
export class Ring {
  private readonly data: Float64Array;
  private readonly times: Float64Array;
  private start = 0;
  private count = 0;

  constructor(
    readonly width: number,
    readonly capacity = HISTORY_SECONDS,
  ) {
    this.data = new Float64Array(width * capacity);
    this.times = new Float64Array(capacity);
  }

  lastTime(): number | null {
    return this.count ? this.times[(this.start + this.count - 1) % this.capacity] : null;
  }

  /** Adds a row at time t (seconds); a row for the same second replaces the last one. */
  push(t: number, row: readonly number[]): void {
    let slot: number;
    if (this.count && this.lastTime() === t) slot = (this.start + this.count - 1) % this.capacity;
    else if (this.count < this.capacity) slot = (this.start + this.count++) % this.capacity;
    else {
      slot = this.start;
      this.start = (this.start + 1) % this.capacity;
    }
    this.times[slot] = t;
    for (let i = 0; i < this.width; i++) this.data[slot * this.width + i] = row[i] ?? NaN;
  }

  /** Columns oldest first: [times, col0, col1, ...], NaN as null. */
  columns(): [number[], ...(number | null)[][]] {
    const t: number[] = [];
    const cols: (number | null)[][] = Array.from({ length: this.width }, () => []);
    for (let k = 0; k < this.count; k++) {
      const slot = (this.start + k) % this.capacity;
      t.push(this.times[slot]);
      for (let i = 0; i < this.width; i++) {
        const v = this.data[slot * this.width + i];
        cols[i].push(Number.isNaN(v) ? null : v);
      }
    }
    return [t, ...cols];
  }
}

interface Last {
  t: number;
  netRx: number | null;
  netTx: number | null;
  rd: number | null;
  wr: number | null;
}

const rate = (now: number | null, before: number | null, dt: number) =>
  now === null || before === null || dt <= 0 || now < before ? NaN : (now - before) / dt;
const orNaN = (v: number | null) => (v === null ? NaN : v);

export class MetricsStore {
  private readonly guests = new Map<string, { ring: Ring; last: Last | null }>();
  private readonly host = new Ring(2);
  /** Busy % per physical CPU (the driver's 'pcpus' samples); sized by the first sample. */
  private pcpu: Ring | null = null;

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** One sample of every guest the host has now (call on each inventory update). */
  record(guests: readonly Guest[]): void {
    const t = Math.floor(this.now() / 1000);
    let cpu = 0;
    let mem = 0;
    let any = false;
    const seen = new Set<string>();
    for (const g of guests) {
      seen.add(g.id);
      if (g.domid === null) continue;
      any = true;
      cpu += g.cpuPercent ?? 0;
      mem += g.memoryMiB;
      let e = this.guests.get(g.id);
      if (!e) {
        e = { ring: new Ring(6), last: null };
        this.guests.set(g.id, e);
      }
      if (e.ring.lastTime() === t) continue;
      const last = e.last;
      const dt = last ? t - last.t : 0;
      e.ring.push(t, [
        orNaN(g.cpuPercent),
        g.memoryMiB,
        rate(g.netRxKiB, last?.netRx ?? null, dt),
        rate(g.netTxKiB, last?.netTx ?? null, dt),
        rate(g.diskReads, last?.rd ?? null, dt),
        rate(g.diskWrites, last?.wr ?? null, dt),
      ]);
      e.last = { t, netRx: g.netRxKiB, netTx: g.netTxKiB, rd: g.diskReads, wr: g.diskWrites };
    }
    // A guest that left the inventory is forgotten; a shut-off guest with a config is still listed
    // (domid null) and keeps its history.
    for (const id of this.guests.keys()) if (!seen.has(id)) this.guests.delete(id);
    if (any) this.host.push(t, [cpu, mem]);
  }

  /** One sample of every physical CPU's busy % (call on each 'pcpus' event). A change in the
   *  number of CPUs starts the history afresh (the columns would no longer be the same CPUs). */
  recordPcpus(busy: readonly number[]): void {
    if (!busy.length) return;
    if (!this.pcpu || this.pcpu.width !== busy.length) this.pcpu = new Ring(busy.length);
    this.pcpu.push(Math.floor(this.now() / 1000), busy);
  }

  guest(id: string): GuestSeries {
    const e = this.guests.get(id);
    const [t, cpuPercent, memoryMiB, netRxKiBs, netTxKiBs, diskReadsPs, diskWritesPs] = e ? e.ring.columns() : [[], [], [], [], [], [], []];
    return { t, cpuPercent, memoryMiB, netRxKiBs, netTxKiBs, diskReadsPs, diskWritesPs };
  }

  hostSeries(totalMiB: number | null, nrCpus: number | null): HostSeries {
    const [t, cpuPercent, usedMiB] = this.host.columns();
    const [pcpuT, ...pcpuPercent] = this.pcpu ? this.pcpu.columns() : [[]];
    return { t, cpuPercent, usedMiB, totalMiB, nrCpus, pcpuT, pcpuPercent };
  }
}
