/**
 * Which language the page speaks: the one the user picked (kept in localStorage), else the browser's first
 * language we have (any Chinese maps to zh-TW, the plant's language), else English.
 */
export const LOCALES = ['zh-TW', 'en'] as const
export type Locale = (typeof LOCALES)[number]

const STORAGE_KEY = 'mes-trace.locale'

export function localeFromLanguages(languages: readonly string[]): Locale {
  for (const lang of languages) {
    const l = lang.toLowerCase()
    if (l.startsWith('zh')) return 'zh-TW'
    if (l.startsWith('en')) return 'en'
  }
  return 'en'
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

export function initialLocale(storage: Pick<Storage, 'getItem'> | undefined, languages: readonly string[]): Locale {
  let kept: string | null = null
  try {
    kept = storage?.getItem(STORAGE_KEY) ?? null
  } catch {
    // Storage can be blocked (private mode, policy): fall back to the browser's languages.
  }
  return isLocale(kept) ? kept : localeFromLanguages(languages)
}

export function keepLocale(storage: Pick<Storage, 'setItem'> | undefined, locale: Locale): void {
  try {
    storage?.setItem(STORAGE_KEY, locale)
  } catch {
    // Not kept across reloads when storage is blocked; the choice still holds for this page.
  }
}
