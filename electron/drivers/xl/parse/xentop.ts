// `xentop -b`: every iteration prints the header line, then one row per domain. Names are
// right-aligned in 10 columns; MAXMEM(k) can be "no limit" (two words) with MAXMEM(%) "n/a".
// The first iteration's CPU(%) is always 0: xentop needs two samples to compute it.
import { StringDecoder } from 'node:string_decoder';
import { z } from 'zod';
import { amount, lines } from './util';
import type { DomainFlags } from './list';
import type { DomainSample } from './domain-sample';

export const XentopRow = z.object({
  name: z.string(),
  /** The six state letters as printed by xentop: d s b c p r (another order than xl list). */
  stateText: z.string(),
  cpuSeconds: z.number(),
  cpuPercent: z.number(),
  memKiB: z.number(),
  memPercent: z.number(),
  /** null when xentop prints "no limit". */
  maxMemKiB: z.number().nullable(),
  maxMemPercent: z.number().nullable(),
  vcpus: z.number(),
  nets: z.number(),
  netTxKiB: z.number(),
  netRxKiB: z.number(),
  vbds: z.number(),
  vbdOo: z.number(),
  vbdRd: z.number(),
  vbdWr: z.number(),
  vbdRsect: z.number(),
  vbdWsect: z.number(),
  ssid: z.number().nullable(),
});
export type XentopRow = z.infer<typeof XentopRow>;

export const XentopFrame = z.object({
  /** 0 for the first frame of a stream or batch. */
  index: z.number(),
  /** False on the first frame, whose CPU(%) column is always 0. */
  cpuPercentValid: z.boolean(),
  domains: z.array(XentopRow),
  /** Rows under the header that were dropped: not a domain row, or a value that is not a number >= 0. */
  dropped: z.number(),
});
export type XentopFrame = z.infer<typeof XentopFrame>;

const COLUMN: Record<string, keyof XentopRow> = {
  STATE: 'stateText',
  'CPU(sec)': 'cpuSeconds',
  'CPU(%)': 'cpuPercent',
  'MEM(k)': 'memKiB',
  'MEM(%)': 'memPercent',
  'MAXMEM(k)': 'maxMemKiB',
  'MAXMEM(%)': 'maxMemPercent',
  VCPUS: 'vcpus',
  NETS: 'nets',
  'NETTX(k)': 'netTxKiB',
  'NETRX(k)': 'netRxKiB',
  VBDS: 'vbds',
  VBD_OO: 'vbdOo',
  VBD_RD: 'vbdRd',
  VBD_WR: 'vbdWr',
  VBD_RSECT: 'vbdRsect',
  VBD_WSECT: 'vbdWsect',
  SSID: 'ssid',
};
const NULLABLE = new Set<keyof XentopRow>(['maxMemKiB', 'maxMemPercent', 'ssid']);

export function isXentopHeader(line: string): boolean {
  return /^\s*NAME\s+STATE\s+CPU\(sec\)/.test(line);
}

/** xentop state letters (d s b c p r) as the flags xl list uses. */
export function xentopFlags(stateText: string): DomainFlags {
  const has = (c: string) => stateText.includes(c);
  return {
    running: has('r'),
    blocked: has('b'),
    paused: has('p'),
    shutdown: has('s'),
    crashed: has('c'),
    dying: has('d'),
  };
}

/**
 * A frame's rows as samples. xentop prints each vif's own counters (the library reads dom0's
 * /proc/net/dev as it is), so its NETTX is what dom0 sent the guest: the guest's receive.
 */
export function xentopSamples(frame: XentopFrame): DomainSample[] {
  return frame.domains.map((r) => ({
    name: r.name,
    flags: xentopFlags(r.stateText),
    cpuSeconds: r.cpuSeconds,
    cpuPercent: frame.cpuPercentValid ? r.cpuPercent : null,
    memKiB: r.memKiB,
    maxMemKiB: r.maxMemKiB,
    netTxKiB: r.netRxKiB,
    netRxKiB: r.netTxKiB,
    diskReads: r.vbdRd,
    diskWrites: r.vbdWr,
  }));
}

/** Column names of a header line, NAME excluded. */
function headerColumns(line: string): string[] {
  return line.trim().split(/\s+/).slice(1);
}

/** One data row under the given header; null for lines that are not domain rows. */
export function parseXentopRow(line: string, columns: readonly string[]): XentopRow | null {
  // "no limit" is the only value with a space; make it one token.
  const tokens = line.replace(/\bno limit\b/g, 'no_limit').trim().split(/\s+/);
  if (tokens.length < columns.length + 1) return null;
  const values = tokens.slice(tokens.length - columns.length);
  const name = tokens.slice(0, tokens.length - columns.length).join(' ');
  const row: Partial<Record<keyof XentopRow, string | number | null>> = { name };
  for (let i = 0; i < columns.length; i++) {
    const key = COLUMN[columns[i]];
    if (!key) continue; // a column this version added: ignored
    const v = values[i];
    if (key === 'stateText') {
      if (!/^[-dsbcpr]{6}$/.test(v)) return null;
      row.stateText = v;
      continue;
    }
    // Every column is a quantity: a negative, NaN or infinite one is a broken row, never sent on.
    const n = amount(v);
    // Words ("no limit", "n/a") leave a nullable column empty; a number out of range does not.
    if (n === null && !(NULLABLE.has(key) && !/^[-+.\d]/.test(v))) return null;
    row[key] = n;
  }
  if (row.stateText === undefined || row.cpuSeconds === undefined) return null;
  for (const k of Object.values(COLUMN)) if (!(k in row)) row[k] = NULLABLE.has(k) ? null : 0;
  return row as XentopRow;
}

/** A whole `xentop -b -i N` output: one frame per header line. */
export function parseXentopBatch(text: string): XentopFrame[] {
  const s = new XentopStream();
  const frames = s.push(text.endsWith('\n') ? text : text + '\n');
  return frames.concat(s.flush());
}

/**
 * Incremental reader for a long-lived `xentop -b -d 1`. Feed it chunks as they arrive; it returns
 * (and passes to onFrame) each frame once the next header line shows the frame is complete, or
 * on flush() when the stream ends. Lines split across chunks are reassembled.
 */
export class XentopStream {
  private partial = '';
  private decoder = new StringDecoder('utf8');
  private columns: string[] | null = null;
  private current: XentopRow[] | null = null;
  private dropped = 0;
  private count = 0;

  constructor(private readonly onFrame?: (frame: XentopFrame) => void) {}

  push(chunk: string | Buffer): XentopFrame[] {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      this.partial = text;
      return [];
    }
    this.partial = text.slice(cut + 1);
    const out: XentopFrame[] = [];
    for (const line of lines(text.slice(0, cut + 1))) this.line(line, out);
    return out;
  }

  /** The stream ended: the last (incomplete-by-header) frame is complete now. */
  flush(): XentopFrame[] {
    const out: XentopFrame[] = [];
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest.trim()) this.line(rest.replace(/\r$/, ''), out);
    this.finish(out);
    return out;
  }

  private line(line: string, out: XentopFrame[]): void {
    if (isXentopHeader(line)) {
      this.finish(out);
      this.columns = headerColumns(line);
      this.current = [];
      this.dropped = 0;
      return;
    }
    if (!this.columns || !this.current) return; // text before the first header
    const row = parseXentopRow(line, this.columns);
    if (row) this.current.push(row);
    else if (line.trim() !== '') this.dropped++;
  }

  private finish(out: XentopFrame[]): void {
    if (!this.current) return;
    const frame: XentopFrame = { index: this.count, cpuPercentValid: this.count > 0, domains: this.current, dropped: this.dropped };
    this.count++;
    this.current = null;
    out.push(frame);
    this.onFrame?.(frame);
  }
}
