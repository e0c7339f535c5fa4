// Numbers and units through Intl, in the UI language. Units themselves are translated strings.
import type { TFunction } from 'i18next';

const cache = new Map<string, Intl.NumberFormat>();
function nf(lng: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lng}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.NumberFormat(lng, opts)));
  return f;
}

export function formatInteger(lng: string, n: number): string {
  return nf(lng, { maximumFractionDigits: 0 }).format(n);
}

/** 1536 MiB → "1.5 GiB"; below 1 GiB stays in MiB. */
export function formatMiB(t: TFunction, lng: string, mib: number): string {
  if (Math.abs(mib) >= 1024) {
    return t('units.gib', { value: nf(lng, { maximumFractionDigits: 1 }).format(mib / 1024) });
  }
  return t('units.mib', { value: nf(lng, { maximumFractionDigits: 0 }).format(mib) });
}

/**
 * A byte count in the unit that fits: 900 → "900 B", 524288 → "512 KiB", 3.5 MiB → "3.5 MiB",
 * 2 GiB → "2 GiB" (so a small file never reads "0 MiB").
 */
export function formatByteSize(t: TFunction, lng: string, bytes: number): string {
  const units = ['units.b', 'units.kib', 'units.mib', 'units.gib'] as const;
  let value = bytes;
  let i = 0;
  while (Math.abs(value) >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return t(units[i], { value: nf(lng, { maximumFractionDigits: i === 0 ? 0 : 1 }).format(value) });
}

/** 12.34 → "12.3 %" (in the language's own percent style). */
export function formatPercent(lng: string, percent: number): string {
  return nf(lng, { style: 'percent', maximumFractionDigits: 1 }).format(percent / 100);
}

export function formatMhz(t: TFunction, lng: string, mhz: number): string {
  return t('units.mhz', { value: formatInteger(lng, mhz) });
}

/** A moment as the UI writes it beside saved states and tasks: medium date, short time. */
export function formatMoment(lng: string, ms: number): string {
  return new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}
