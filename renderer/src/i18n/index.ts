// i18next from the first string. The language follows the system (navigator.languages); English is
// the fallback. Every key lives in en.json and de.json (a unit test keeps them in step).
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import de from './de.json';

// Each feature area keeps its strings in areas/<area>.<lang>.json; they are merged under the key
// <area>, so t('<area>.some.key'). Adding an area needs no edit here.
const areaFiles = import.meta.glob<Record<string, unknown>>('./areas/*.json', { eager: true, import: 'default' });
function areas(lang: string): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [file, strings] of Object.entries(areaFiles)) {
    const m = /\/([a-z0-9-]+)\.([a-z]+)\.json$/.exec(file);
    if (m && m[2] === lang) out[m[1]] = strings;
  }
  return out;
}

export const resources = {
  en: { translation: { ...en, ...areas('en') } },
  de: { translation: { ...de, ...areas('de') } },
} as const;
export type Language = keyof typeof resources;
export const supportedLanguages = Object.keys(resources) as Language[];

export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0] as Language;
    if (supportedLanguages.includes(base)) return base;
  }
  return 'en';
}

function systemLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

export function initI18n(lng: Language = pickLanguage(systemLanguages())) {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources,
      lng,
      fallbackLng: 'en',
      interpolation: { escapeValue: false },
      initAsync: false,
      returnNull: false,
    });
  } else if (i18n.language !== lng) {
    void i18n.changeLanguage(lng);
  }
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
  return i18n;
}

export default i18n;
