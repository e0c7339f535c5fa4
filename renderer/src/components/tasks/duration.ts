// How long a task took (or has run so far), in the words of the UI's language: tenths of a second
// under ten seconds (most tasks are that short, and "0 s" would say nothing), then whole seconds,
// minutes with seconds, hours with minutes.
import type { TFunction } from 'i18next';

export function formatDuration(t: TFunction, lng: string, ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) {
    const tenths = new Intl.NumberFormat(lng, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    return t('tasks.duration.seconds', { value: tenths.format(Math.floor(s * 10) / 10) });
  }
  const whole = Math.floor(s);
  if (whole < 60) return t('tasks.duration.seconds', { value: String(whole) });
  const min = Math.floor(whole / 60);
  if (min < 60) return t('tasks.duration.minutes', { min: String(min), sec: String(whole % 60) });
  return t('tasks.duration.hours', { h: String(Math.floor(min / 60)), min: String(min % 60) });
}
