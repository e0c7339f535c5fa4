// `lspci -Dnnmm`: one device per line in lspci's machine-readable form,
//   0000:00:05.0 "Ethernet controller [0200]" "Intel Corporation [8086]" "82540EM ... [100e]" -r03 "Red Hat, Inc. [1af4]" "QEMU ... [1100]"
// i.e. slot, class, vendor, device (each "name [hex id]" with -nn), optional -rXX (revision) and
// -pXX (prog-if), then subsystem vendor and subsystem device (possibly "").
import { z } from 'zod';
import { lines, normaliseBdf } from './util';

export const LspciDevice = z.object({
  /** "0000:00:05.0" */
  bdf: z.string(),
  className: z.string(),
  /** "0200" */
  classId: z.string().nullable(),
  vendorName: z.string(),
  vendorId: z.string().nullable(),
  deviceName: z.string(),
  deviceId: z.string().nullable(),
  revision: z.string().nullable(),
  progIf: z.string().nullable(),
  subsystemVendorName: z.string().nullable(),
  subsystemVendorId: z.string().nullable(),
  subsystemName: z.string().nullable(),
  subsystemId: z.string().nullable(),
});
export type LspciDevice = z.infer<typeof LspciDevice>;

/** Splits a line into bare words and "quoted strings" (quotes removed, marked as quoted). */
function tokens(line: string): { text: string; quoted: boolean }[] {
  const out: { text: string; quoted: boolean }[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] !== undefined ? { text: m[1], quoted: true } : { text: m[2], quoted: false });
  return out;
}

/** "Intel Corporation [8086]" -> { name: "Intel Corporation", id: "8086" } */
export function splitNameId(text: string): { name: string; id: string | null } {
  // Greedy, then trimmed: /^(.*?)\s*\[/ takes quadratic time on a long run of spaces.
  const m = /^(.*)\[([0-9a-fA-F]{2,6})\]$/.exec(text.trim());
  return m ? { name: m[1].trimEnd(), id: m[2].toLowerCase() } : { name: text.trim(), id: null };
}

/**
 * Where pci.ids has no name, lspci -nn prints a placeholder word before the id ("Vendor [1234]",
 * "Device [1111]", "Class [ff00]"): no name at all, so '' (the UI then shows the ids).
 */
function named(text: string, placeholder: 'Vendor' | 'Device' | 'Class'): { name: string; id: string | null } {
  const n = splitNameId(text);
  return n.id !== null && n.name === placeholder ? { name: '', id: n.id } : n;
}

export function parseLspciDnnmm(text: string): LspciDevice[] {
  const out: LspciDevice[] = [];
  for (const line of lines(text)) {
    const t = tokens(line);
    if (t.length < 4 || t[0].quoted) continue;
    const bdf = normaliseBdf(t[0].text);
    if (!bdf) continue;
    const quoted: string[] = [];
    let revision: string | null = null;
    let progIf: string | null = null;
    for (const tok of t.slice(1)) {
      if (tok.quoted) quoted.push(tok.text);
      else if (/^-r[0-9a-fA-F]+$/.test(tok.text)) revision = tok.text.slice(2).toLowerCase();
      else if (/^-p[0-9a-fA-F]+$/.test(tok.text)) progIf = tok.text.slice(2).toLowerCase();
    }
    if (quoted.length < 3) continue;
    const cls = named(quoted[0], 'Class');
    const ven = named(quoted[1], 'Vendor');
    const dev = named(quoted[2], 'Device');
    const sv = quoted[3] ? named(quoted[3], 'Vendor') : null;
    const sd = quoted[4] ? named(quoted[4], 'Device') : null;
    out.push({
      bdf,
      className: cls.name,
      classId: cls.id,
      vendorName: ven.name,
      vendorId: ven.id,
      deviceName: dev.name,
      deviceId: dev.id,
      revision,
      progIf,
      subsystemVendorName: sv?.name ?? null,
      subsystemVendorId: sv?.id ?? null,
      subsystemName: sd?.name ?? null,
      subsystemId: sd?.id ?? null,
    });
  }
  return out;
}
