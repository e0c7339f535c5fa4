// Dark mode follows the system, live: PatternFly's pf-v6-theme-dark class on <html>.
export const DARK_CLASS = 'pf-v6-theme-dark';

export function followSystemTheme(root: HTMLElement = document.documentElement): () => void {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return () => {};
  const mq = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = () => root.classList.toggle(DARK_CLASS, mq.matches);
  apply();
  mq.addEventListener('change', apply);
  return () => mq.removeEventListener('change', apply);
}
