import type { TFunction } from 'i18next';

/** Bytes as MiB/GiB in the UI language (disk image sizes). */
export function formatBytes(t: TFunction, lng: string, bytes: number): string {
  const mib = bytes / 1048576;
  const nf = new Intl.NumberFormat(lng, { maximumFractionDigits: mib >= 1024 ? 1 : 0 });
  return mib >= 1024 ? t('units.gib', { value: nf.format(mib / 1024) }) : t('units.mib', { value: nf.format(mib) });
}
