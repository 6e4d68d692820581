/**
 * CSV encoding used by the server's export.csv and the browser's "export shown view", so both files read the
 * same: UTF-8 BOM, CRLF line ends, RFC 4180 quoting, and a formula-injection guard after OWASP's CSV Injection
 * guidance (a text cell that a spreadsheet could run as a formula gets a leading `'`; real numbers are written
 * untouched).
 *
 * Two flavours:
 * - `scripts` (default): plain RFC 4180 for programs; values as the API sends them (ISO 8601 date-times).
 * - `spreadsheet`: for opening in Excel or LibreOffice. Id-like cells (and text a spreadsheet would turn into a
 *   number or date) are written as the formula `="4881000381000009"`, whose result is that text, so the
 *   spreadsheet neither drops digits past the 15th nor reads `4881000381e00009` as 4.88E+15; date-times use
 *   a space (`2024-03-05 07:41:09`), which both spreadsheets read as a date-time. A program reading this
 *   flavour must strip `="` and `"` from such cells (the file stays valid RFC 4180).
 */
import { columnKind, type ColumnKind } from './export-columns.ts'

/** Written once at the start of the file so spreadsheet programs read UTF-8 (Chinese workcenter names). */
export const CSV_BOM = '\uFEFF'

/** RFC 4180 line end. */
export const CSV_EOL = '\r\n'

/** `scripts`: RFC 4180 for programs; `spreadsheet`: ids kept as text when opened in a spreadsheet. */
export const CSV_FLAVOURS = ['scripts', 'spreadsheet'] as const
export type CsvFlavour = (typeof CSV_FLAVOURS)[number]

// `;` too: a spreadsheet set to a semicolon-separated locale must not split a cell into a new one (OWASP).
const NEEDS_QUOTES = /[",;\r\n]/
/** Characters that make a spreadsheet read a cell as a formula (full-width forms: an IME-aware Excel folds them). */
const FORMULA_CHAR = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/
/** A first character that is itself a hazard (OWASP: tab, CR; LF and NUL as well). */
const HAZARD_START = /^[\t\r\n\0]/
/**
 * What a spreadsheet may skip before it looks for a formula: whitespace (space, NBSP, the Unicode spaces),
 * zero-width characters, a byte-order mark, and quotes (`"=1+1"` is unquoted by some importers).
 */
const SKIPPABLE_PREFIX = /^[\s\u00A0\u180E\u200B-\u200F\u2028-\u202F\u205F-\u2064\u3000\uFEFF"']+/

/** Whether text would be read as a formula (or start one) by a spreadsheet: it then gets a leading `'`. */
export function needsFormulaGuard(text: string): boolean {
  if (FORMULA_CHAR.test(text) || HAZARD_START.test(text)) return true
  const skipped = text.replace(SKIPPABLE_PREFIX, '')
  return skipped.length < text.length && FORMULA_CHAR.test(skipped)
}

/** Text a spreadsheet would turn into a number, a date, a percentage or a boolean. */
const COERCIBLE = /^(?:[\d\s.,:/+\-eE%()$]*\d[\d\s.,:/+\-eE%()$]*|true|false)$/i
/** Excel refuses string constants longer than 255 characters in a formula. */
const MAX_FORMULA_TEXT = 255

/** One cell of the `scripts` flavour: null/undefined → empty; numbers as JavaScript prints them; text guarded. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  return quoted(guarded(typeof value === 'string' ? value : JSON.stringify(value)))
}

/** One record of the `scripts` flavour: cells joined by commas, terminated by CRLF. */
export function csvRow(values: readonly unknown[]): string {
  let line = ''
  for (let i = 0; i < values.length; i++) line += (i > 0 ? ',' : '') + csvCell(values[i])
  return line + CSV_EOL
}

/** One cell of the `spreadsheet` flavour for a column of `kind`. */
export function spreadsheetCsvCell(value: unknown, kind: ColumnKind): string {
  if (typeof value !== 'string') {
    // A number in an id column (a driver's integer JOBID) is still an id.
    return kind === 'id' && typeof value === 'number' && Number.isFinite(value)
      ? asTextFormula(String(value))
      : csvCell(value)
  }
  if (kind === 'datetime' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return csvCell(value.replace('T', ' '))
  if (needsFormulaGuard(value)) return csvCell(value)
  const keep = kind === 'id' || ((kind === 'text' || kind === 'number') && COERCIBLE.test(value))
  return keep && value.length <= MAX_FORMULA_TEXT && !/[\r\n]/.test(value) ? asTextFormula(value) : csvCell(value)
}

/** Encodes rows of `columns` in one flavour: the header line, then one line per row. */
export interface CsvEncoder {
  header(): string
  row(values: readonly unknown[]): string
}

/** An encoder for rows in `columns` order. */
export function csvEncoder(columns: readonly string[], flavour: CsvFlavour = 'scripts'): CsvEncoder {
  if (flavour === 'scripts') return { header: () => csvRow(columns), row: csvRow }
  const kinds = columns.map(columnKind)
  return {
    header: () => csvRow(columns),
    row(values) {
      let line = ''
      for (let i = 0; i < kinds.length; i++) line += (i > 0 ? ',' : '') + spreadsheetCsvCell(values[i], kinds[i])
      return line + CSV_EOL
    },
  }
}

function guarded(text: string): string {
  return needsFormulaGuard(text) ? `'${text}` : text
}

function quoted(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** `="text"`, itself RFC 4180 quoted: the spreadsheet evaluates the constant and shows the text as it is. */
function asTextFormula(text: string): string {
  return quoted(`="${text.replaceAll('"', '""')}"`)
}
