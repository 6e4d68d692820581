import { describe, expect, it } from 'vitest'
import { createAppI18n } from '../../../src/client/i18n/index.ts'
import { initialLocale, keepLocale, localeFromLanguages } from '../../../src/client/i18n/locale-choice.ts'

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial))
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    data,
  }
}

describe('locale choice', () => {
  it('maps any Chinese browser language to zh-TW and English to en, in the browser order', () => {
    expect(localeFromLanguages(['zh-TW'])).toBe('zh-TW')
    expect(localeFromLanguages(['zh-CN', 'en'])).toBe('zh-TW')
    expect(localeFromLanguages(['de-DE', 'en-US', 'zh-TW'])).toBe('en')
    expect(localeFromLanguages(['fr'])).toBe('en')
    expect(localeFromLanguages([])).toBe('en')
  })

  it('prefers the kept choice to the browser, and ignores a kept value it does not know', () => {
    expect(initialLocale(memoryStorage({ 'mes-trace.locale': 'en' }), ['zh-TW'])).toBe('en')
    expect(initialLocale(memoryStorage({ 'mes-trace.locale': 'xx' }), ['zh-TW'])).toBe('zh-TW')
    expect(initialLocale(undefined, ['zh-HK'])).toBe('zh-TW')
  })

  it('keeps a choice for the next visit and survives a storage that throws', () => {
    const storage = memoryStorage()
    keepLocale(storage, 'zh-TW')
    expect(initialLocale(storage, ['en'])).toBe('zh-TW')
    const blocked = {
      getItem: () => {
        throw new Error('blocked')
      },
      setItem: () => {
        throw new Error('blocked')
      },
    }
    expect(() => keepLocale(blocked, 'en')).not.toThrow()
    expect(initialLocale(blocked, ['zh-TW'])).toBe('zh-TW')
  })

  it('translates in both languages and switches at run time', () => {
    const i18n = createAppI18n('zh-TW')
    expect(i18n.global.t('language.label')).toBe('語言')
    i18n.global.locale.value = 'en'
    expect(i18n.global.t('language.label')).toBe('Language')
  })
})

describe('labels in the page language', () => {
  it('names columns and domains in the current language, and falls back to words for unknown columns', async () => {
    const { i18n } = await import('../../../src/client/i18n/index.ts')
    const { columnLabel, columnWidth } = await import('../../../src/client/lib/column-labels.ts')
    const { DOMAIN_LABELS } = await import('../../../src/client/lib/domain-labels.ts')
    const width = columnWidth('LOSSREASONNAME')
    expect(columnLabel('LOSSREASONNAME')).toBe('Loss reason')
    expect(DOMAIN_LABELS.jobs).toBe('Maintenance jobs')
    i18n.global.locale.value = 'zh-TW'
    try {
      expect(columnLabel('LOSSREASONNAME')).toBe('不良原因')
      expect(DOMAIN_LABELS.jobs).toBe('設備保養工作')
      expect(columnLabel('SOME_NEW_COLUMN')).toBe('Some new column')
      expect(columnWidth('LOSSREASONNAME')).toBe(width)
    } finally {
      i18n.global.locale.value = 'en'
    }
  })
})
