// `xl dmesg`: the hypervisor console ring. Lines "(XEN) [    9.020667] text"; before the time
// source is calibrated the stamp is a raw 16-digit hex counter "(XEN) [0000000024c20da8] text"
// (console_timestamps=boot). Without console_timestamps there is no stamp at all.
import { z } from 'zod';
import { amount, lines } from './util';

export const XlDmesgLine = z.object({
  /** "XEN", or a guest tag like "d1" */
  source: z.string().nullable(),
  /** Seconds since boot; null for raw-counter or missing stamps. */
  seconds: z.number().nullable(),
  /** The raw hex counter of early lines. */
  rawStamp: z.string().nullable(),
  text: z.string(),
});
export type XlDmesgLine = z.infer<typeof XlDmesgLine>;

export function parseXlDmesg(text: string): XlDmesgLine[] {
  const out: XlDmesgLine[] = [];
  for (const line of lines(text)) {
    if (line.trim() === '') continue;
    const m = /^\((\w+)\)\s?(?:\[\s*([0-9.]+|[0-9a-fA-F]{16})\]\s?)?(.*)$/.exec(line);
    if (!m) {
      out.push({ source: null, seconds: null, rawStamp: null, text: line });
      continue;
    }
    const stamp = m[2];
    const seconds = stamp !== undefined && /^\d+\.\d+$/.test(stamp) ? amount(stamp) : null;
    const isSeconds = seconds !== null;
    out.push({
      source: m[1],
      seconds,
      rawStamp: stamp !== undefined && !isSeconds ? stamp : null,
      text: m[3],
    });
  }
  return out;
}

/** Whether Xen enabled an IOMMU ("I/O virtualisation enabled/disabled"), null if not in the ring. */
export function ioVirtualisation(dmesg: readonly XlDmesgLine[]): 'enabled' | 'disabled' | null {
  for (const l of dmesg) {
    const m = /^I\/O virtualisation (enabled|disabled)/.exec(l.text);
    if (m) return m[1] as 'enabled' | 'disabled';
  }
  return null;
}
