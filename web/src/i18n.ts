import { effect, signal } from '@preact/signals';

/** A text in both languages, as the API and the domain give every message. */
export interface Bilingual {
  zh: string;
  en: string;
}

export type Lang = 'zh' | 'en';

const STORAGE_KEY = 'laurel.lang';

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** Chinese by default; the switch in the header flips it and the choice is remembered. */
export const lang = signal<Lang>(initialLang());

effect(() => {
  document.documentElement.lang = lang.value === 'zh' ? 'zh-CN' : 'en';
  try {
    localStorage.setItem(STORAGE_KEY, lang.value);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
});

/** The text in the current language. */
export function t(zh: string, en: string): string {
  return lang.value === 'zh' ? zh : en;
}

/** A bilingual value from the API in the current language. */
export function tr(text: Bilingual | undefined | null): string {
  if (!text) return '';
  return lang.value === 'zh' ? text.zh : text.en;
}

const dateTime = (l: Lang) =>
  new Intl.DateTimeFormat(l === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'medium',
    timeStyle: 'short',
  });
const dateOnly = (l: Lang) =>
  new Intl.DateTimeFormat(l === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'medium' });

/** A moment shown in China time (the campaign's clock), whatever the browser's zone. */
export function formatTime(iso: string | undefined | null): string {
  if (!iso) return '';
  return dateTime(lang.value).format(new Date(iso));
}

export function formatDate(iso: string | undefined | null): string {
  if (!iso) return '';
  return dateOnly(lang.value).format(new Date(iso));
}

/** Bytes as people read them on a file dialog (1 MB = 1,048,576 bytes, as the notice means it). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}
