// `xl pci-assignable-list`: one BDF per line, xl prints a trailing space after it.
// `xl pci-list <dom>`: "Vdev Device" then rows "00.0 0000:00:05.0".
import { z } from 'zod';
import { lines, normaliseBdf } from './util';

export const XlAssignable = z.object({ bdf: z.string(), rest: z.string().nullable() });
export type XlAssignable = z.infer<typeof XlAssignable>;

/** BDFs ready for passthrough (bound to pciback). Lines that are not a BDF are ignored. */
export function parsePciAssignableList(text: string): XlAssignable[] {
  const out: XlAssignable[] = [];
  for (const line of lines(text)) {
    const t = line.trim();
    const cut = t.search(/\s/);
    const bdf = t ? normaliseBdf(cut < 0 ? t : t.slice(0, cut)) : null;
    if (bdf) out.push({ bdf, rest: cut < 0 ? null : t.slice(cut).trim().split(/\s+/).join(' ') });
  }
  return out;
}

export const XlGuestPci = z.object({
  /** Slot.function inside the guest, e.g. "00.0". */
  vdev: z.string(),
  /** Host address, e.g. "0000:00:05.0". */
  bdf: z.string(),
});
export type XlGuestPci = z.infer<typeof XlGuestPci>;

export function parsePciList(text: string): XlGuestPci[] {
  const out: XlGuestPci[] = [];
  for (const line of lines(text)) {
    const m = /^\s*([0-9a-fA-F]{2}\.[0-7])\s+(\S+)/.exec(line);
    const bdf = m ? normaliseBdf(m[2]) : null;
    if (m && bdf) out.push({ vdev: m[1].toLowerCase(), bdf });
  }
  return out;
}
