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

/** The app's i18n instance: the kept or browser language, and every switch kept for the next visit. */
export function browserI18n() {
  const storage = typeof localStorage === 'undefined' ? undefined : localStorage
  const languages = typeof navigator === 'undefined' ? [] : navigator.languages
  const i18n = createAppI18n(initialLocale(storage, languages))
  watch(i18n.global.locale, (locale) => {
    keepLocale(storage, locale)
    document.documentElement.lang = locale
  })
  document.documentElement.lang = i18n.global.locale.value
  return i18n
}
