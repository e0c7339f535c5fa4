import type { TFunction } from 'i18next';
import { formatByteSize } from '../../format';

/** Bytes in the unit that fits (B, KiB, MiB, GiB) in the UI language (disk image sizes). */
export function formatBytes(t: TFunction, lng: string, bytes: number): string {
  return formatByteSize(t, lng, bytes);
}
