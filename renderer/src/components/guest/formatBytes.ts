import type { TFunction } from 'i18next';
import { formatMiB } from '../../format';

/** Bytes as MiB/GiB in the UI language (disk image sizes). */
export function formatBytes(t: TFunction, lng: string, bytes: number): string {
  return formatMiB(t, lng, bytes / 1048576);
}
