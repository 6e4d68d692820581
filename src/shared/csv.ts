/**
 * CSV encoding used by the server's export.csv and the browser's "export filtered view", so both files read
 * the same: UTF-8 BOM, CRLF line ends, RFC 4180 quoting, and a formula-injection guard (a text cell that starts
 * with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`; real numbers are written untouched).
 */

/** Written once at the start of the file so spreadsheet programs read UTF-8 (Chinese workcenter names). */
export const CSV_BOM = '\uFEFF'

/** RFC 4180 line end. */
export const CSV_EOL = '\r\n'

const NEEDS_QUOTES = /[",\r\n]/
const FORMULA_START = /^[=+\-@\t\r]/

/** One cell: null/undefined → empty; numbers as JavaScript prints them; text guarded and quoted when needed. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  let text = typeof value === 'string' ? value : JSON.stringify(value)
  if (FORMULA_START.test(text)) text = `'${text}`
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** One record: cells joined by commas, terminated by CRLF. */
export function csvRow(values: readonly unknown[]): string {
  let line = ''
  for (let i = 0; i < values.length; i++) line += (i > 0 ? ',' : '') + csvCell(values[i])
  return line + CSV_EOL
}
