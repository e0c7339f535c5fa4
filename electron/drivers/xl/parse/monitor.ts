// The monitor stream (electron/drivers/xl/monitor.ts): blocks of "s", "c" and "d" lines ended by
// "e", once a second, a "g" line when the guest configs changed, or "error <why>" before the
// script ends. MonitorStream assembles blocks;
// MonitorRates turns consecutive blocks into per-domain samples (CPU % needs two).
import { StringDecoder } from 'node:string_decoder';
import type { DomainSample } from './domain-sample';
import { count } from './util';
import { xentopFlags } from './xentop';

export interface MonitorDomain {
  domid: number;
  /** The six state letters in xentop's order, d s b c p r ("-" when unset). */
  stateText: string;
  cpuNs: number;
  memBytes: number;
  /** null: no limit. */
  maxMemBytes: number | null;
  txBytes: number;
  rxBytes: number;
  reads: number;
  writes: number;
  name: string;
}

export interface MonitorBlock {
  /** The host's monotonic clock. */
  timeNs: number;
  hostMemBytes: number;
  /** Idle time of each physical CPU; null when the host's libxenctrl could not be used. */
  idleNs: number[] | null;
  domains: MonitorDomain[];
  /** Domain lines of this block dropped for a value that is not a whole number from 0 to 2^53. */
  dropped: number;
}

/** "dropped": a whole block dropped (its clock or a CPU's idle time was not such a number). */
export type MonitorItem =
  | { kind: 'block'; block: MonitorBlock }
  | { kind: 'error'; message: string }
  | { kind: 'dropped' }
  /** A guest config on the host was added, written, renamed or removed. */
  | { kind: 'configs' };

const DOMAIN_LINE = /^d (\d+) ([-dsbcpr]{6}) (\d+) (\d+) (\d+|-) (\d+) (\d+) (\d+) (\d+) (.*)$/;

/** Incremental reader: feed chunks, get each block once its "e" line has arrived. */
export class MonitorStream {
  private partial = '';
  private decoder = new StringDecoder('utf8');
  private current: MonitorBlock | null = null;
  private currentBad = false;

  push(chunk: string | Buffer): MonitorItem[] {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    const out: MonitorItem[] = [];
    for (const line of lines) this.line(line.replace(/\r$/, ''), out);
    return out;
  }

  private line(line: string, out: MonitorItem[]): void {
    if (line.startsWith('error ')) {
      out.push({ kind: 'error', message: line.slice(6).trim() });
      return;
    }
    if (line === 'g') {
      // Not part of the block's figures: a block dropped for a bad number still carries it.
      out.push({ kind: 'configs' });
      return;
    }
    const kind = line[0];
    if (kind === 's') {
      const [, time, mem] = line.split(' ', 3);
      const timeNs = count(time);
      this.current = { timeNs: timeNs ?? 0, hostMemBytes: count(mem) ?? 0, idleNs: null, domains: [], dropped: 0 };
      this.currentBad = timeNs === null;
      return;
    }
    const block = this.current;
    if (!block) return; // the tail of a block whose start we did not see
    if (kind === 'c') {
      const idle = line.split(' ').slice(1).map(count);
      if (idle.some((n) => n === null)) this.currentBad = true;
      else block.idleNs = idle as number[];
    } else if (kind === 'd') {
      const m = DOMAIN_LINE.exec(line);
      const n = m ? [m[1], m[3], m[4], m[6], m[7], m[8], m[9]].map(count) : [];
      const maxMem = m && m[5] !== '-' ? count(m[5]) : null;
      if (!m || n.some((v) => v === null) || (m[5] !== '-' && maxMem === null)) {
        block.dropped++;
        return;
      }
      const [domid, cpuNs, memBytes, txBytes, rxBytes, reads, writes] = n as number[];
      block.domains.push({ domid, stateText: m[2], cpuNs, memBytes, maxMemBytes: maxMem, txBytes, rxBytes, reads, writes, name: m[10] });
    } else if (line === 'e') {
      this.current = null;
      out.push(this.currentBad ? { kind: 'dropped' } : { kind: 'block', block });
    }
  }
}

/** CPU % per domain from consecutive blocks, as xentop computes it (Δ CPU time / Δ wall time). */
export class MonitorRates {
  private last = new Map<number, { name: string; cpuNs: number; timeNs: number }>();

  push(block: MonitorBlock): DomainSample[] {
    const next = new Map<number, { name: string; cpuNs: number; timeNs: number }>();
    const out = block.domains.map((d): DomainSample => {
      const prev = this.last.get(d.domid);
      next.set(d.domid, { name: d.name, cpuNs: d.cpuNs, timeNs: block.timeNs });
      // A domid reused by another domain, or a clock that did not advance: no rate this time.
      const dt = prev && prev.name === d.name ? block.timeNs - prev.timeNs : 0;
      const used = prev ? d.cpuNs - prev.cpuNs : -1;
      return {
        name: d.name,
        flags: xentopFlags(d.stateText),
        cpuSeconds: d.cpuNs / 1e9,
        // To 0.01 %: the table shows tenths, and finer digits would only lengthen every sample.
        cpuPercent: dt > 0 && used >= 0 ? Math.round((10_000 * used) / dt) / 100 : null,
        memKiB: d.memBytes / 1024,
        maxMemKiB: d.maxMemBytes === null ? null : d.maxMemBytes / 1024,
        netTxKiB: d.txBytes / 1024,
        netRxKiB: d.rxBytes / 1024,
        diskReads: d.reads,
        diskWrites: d.writes,
      };
    });
    this.last = next;
    return out;
  }
}

/** Busy % per physical CPU between consecutive blocks (100 % = that CPU never idle). */
export class PcpuUsage {
  private last: { timeNs: number; idleNs: number[] } | null = null;

  /** The busy % of each CPU since the previous sample; null for the first sample, or when the
   *  number of CPUs changed (a CPU brought on- or offline) or the clock did not advance. */
  push(sample: { timeNs: number; idleNs: number[] }): number[] | null {
    const prev = this.last;
    this.last = sample;
    if (!prev || prev.idleNs.length !== sample.idleNs.length) return null;
    const dt = sample.timeNs - prev.timeNs;
    if (dt <= 0) return null;
    return sample.idleNs.map((idle, i) => {
      const busy = 100 * (1 - (idle - prev.idleNs[i]) / dt);
      // The idle counter and the clock are read a few µs apart: keep rounding inside 0…100.
      return Math.min(100, Math.max(0, busy));
    });
  }
}
