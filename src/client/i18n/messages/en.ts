/** English messages. The zh-TW file must have exactly these keys (its type is derived from this one). */
export const en = {
  app: {
    title: 'MES Trace',
    tagline: 'lot genealogy and event history',
    job: 'job',
  },
  layout: {
    foldForm: 'Hide the form',
    unfoldForm: 'Show the form',
  },
  language: {
    label: 'Language',
    'zh-TW': '繁體中文',
    en: 'English',
  },
}

/** The shape every locale's messages must have: the same keys as English, strings at the leaves. */
export type Messages = DeepStrings<typeof en>
type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> }
