/** Readable headers (in the page's language) and starting widths for MES column names (the CSV keeps the real names). */
import { i18n, t } from '../i18n/index.ts'
import { en } from '../i18n/messages/en.ts'

/** The header shown for a column: a known label, else the name in words ("SOME_NAME" → "Some name"). */
export function columnLabel(name: string): string {
  if (i18n.global.te(`columns.${name}`, 'en')) return t(`columns.${name}`)
  const words = name.replace(/_/g, ' ').toLowerCase().trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** Starting width in px, by what the column usually holds. */
export function columnWidth(name: string): number {
  if (/(TIMESTAMP|DATE)$/.test(name)) return 162
  if (/QTY|HOURS|COUNT/.test(name)) return 96
  if (/COMMENT/.test(name)) return 220
  if (name.endsWith('ID')) return 152
  if (name.endsWith('NAME') || name === 'WAFER_LOT_ID' || name === 'PJ_WORKORDER') return 164
  // The English label sets the width, so columns keep their place when the language changes.
  const label = (en.columns as Readonly<Record<string, string>>)[name] ?? name
  return Math.max(110, Math.min(200, label.length * 8 + 40))
}
