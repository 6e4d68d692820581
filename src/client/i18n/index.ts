/** The page's language: vue-i18n with zh-TW and English, chosen from the browser, switchable and kept. */
import { watch } from 'vue'
import { createI18n } from 'vue-i18n'
import { initialLocale, keepLocale, type Locale } from './locale-choice.ts'
import { en, type Messages } from './messages/en.ts'
import { zhTW } from './messages/zh-TW.ts'

export { LOCALES, type Locale } from './locale-choice.ts'

export function createAppI18n(locale: Locale) {
  return createI18n<[Messages], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, 'zh-TW': zhTW },
  })
}

const browserStorage = typeof localStorage === 'undefined' ? undefined : localStorage

/**
 * The app's one instance, so plain modules (column labels, query facts, error texts) translate with the same
 * locale the components use; outside a browser (unit tests) it speaks English.
 */
export const i18n = createAppI18n(
  initialLocale(browserStorage, typeof navigator === 'undefined' ? [] : (navigator.languages ?? [])),
)

/** Translate outside a component; inside a render or computed it re-runs when the language changes. */
export const t = i18n.global.t

/** Keeps every switch for the next visit and tells the document its language (screen readers, fonts). */
export function keepLocaleChoice(): void {
  watch(
    i18n.global.locale,
    (locale) => {
      keepLocale(browserStorage, locale)
      document.documentElement.lang = locale
    },
    { immediate: true },
  )
}

/**
 * A record whose values are read through `t` at each access, so `LABELS[key]` in a template follows the
 * language without every consumer calling `t` itself.
 */
export function translatedRecord<K extends string>(keys: readonly K[], prefix: string): Readonly<Record<K, string>> {
  const out = {} as Record<K, string>
  for (const key of keys) Object.defineProperty(out, key, { enumerable: true, get: () => t(`${prefix}.${key}`) })
  return out
}
