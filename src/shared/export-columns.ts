/**
 * What each exported column holds, so a spreadsheet gets typed cells: ids and names stay text (a spreadsheet
 * would read the all-digit CONTAINERID 4881000381000009 as a number and keep 15 digits, and 4881000381e00009
 * as scientific notation), quantities are numbers, timestamps are date-times. Used by the XLSX writers of the
 * server and the browser and by the spreadsheet flavour of the CSV.
 */

/** `id`: identifiers and names (text, never converted); `text`: free text; `number`; `datetime`. */
export type ColumnKind = 'id' | 'text' | 'number' | 'datetime'

/** Columns whose name alone does not say what they hold. */
const KNOWN: Readonly<Record<string, ColumnKind>> = {
  CONTAINERNAME: 'id',
  CONTAINERNAMES: 'id',
  EQUIPMENTNAME: 'id',
  RESOURCENAME: 'id',
  SPECNAME: 'id',
  WORKCENTERNAME: 'id',
  WORKCENTER_GROUP: 'id',
  FINISHEDRUNCARD: 'id',
  FINISHEDNAME: 'id',
  PJ_WORKORDER: 'id',
  PJ_BOP: 'id',
  PJ_TYPE: 'id',
  MATERIALPARTNAME: 'id',
  MATERIALLOTNAME: 'id',
  JOBORDERNAME: 'id',
  JOBMODELNAME: 'id',
  PRODUCTNAME: 'id',
  PRODUCTLINENAME: 'id',
  HOLDEMP: 'id',
  RELEASEEMP: 'id',
  HOLD_HOURS: 'number',
  WORKCENTERSEQUENCE_GROUP: 'number',
  PJ_FUNCTION: 'id',
  TXN_DAY: 'datetime',
  TXN_TIME: 'datetime',
}

/** The kind of a column: the table above, else its name's ending (…ID/…IDS, …QTY, …DATE/…TIMESTAMP), else text. */
export function columnKind(name: string): ColumnKind {
  const known = KNOWN[name]
  if (known) return known
  if (/(ID|IDS)$/.test(name)) return 'id'
  if (/QTY$/.test(name)) return 'number'
  if (/(DATE|TIMESTAMP)$/.test(name)) return 'datetime'
  return 'text'
}

const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?)?$/

/**
 * A plant wall-clock ISO 8601 value (`2024-03-05T07:41:09`, no zone) as a Date whose UTC fields are that wall
 * clock: spreadsheet writers store a date's UTC fields, so the cell shows the time the warehouse recorded
 * whatever the zone of the machine that writes it. Undefined for anything else (it is then written as text).
 */
export function wallClockDate(value: string): Date | undefined {
  const m = ISO_DATETIME.exec(value)
  if (!m) return undefined
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m
  const date = new Date(
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0'))),
  )
  // Date.UTC rolls 2024-02-30 over into March: such a value is not a date, keep its text.
  return date.getUTCDate() === Number(d) && date.getUTCMonth() === Number(mo) - 1 ? date : undefined
}

/** A cell as a spreadsheet should hold it: a number, a Date, text, or null for an empty cell. */
export type SheetValue = number | Date | string | null

/** Converts a row value for a column of `kind`; anything that does not fit the kind stays text, never lost. */
export function sheetValue(value: unknown, kind: ColumnKind): SheetValue {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null
    return kind === 'id' || kind === 'text' ? String(value) : value
  }
  if (typeof value === 'bigint') return kind === 'number' ? Number(value) : value.toString()
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value !== 'string') return JSON.stringify(value)
  if (kind === 'datetime') return wallClockDate(value) ?? value
  if (kind === 'number' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value)
  return value
}

/** A cell value for an XLSX writer: rich text when plain text would not survive the file (see xlsxValue). */
export type XlsxValue = SheetValue | { richText: { text: string }[] }

const FRAGILE_TEXT = /^\s|\s$|[\x00-\x08\x0A-\x1F\x7F]|_x[0-9A-Fa-f]{4}_/

/**
 * Text as an XLSX cell keeps it: a plain string cell (`<v>`) loses leading and trailing whitespace and line
 * breaks (LibreOffice), and XML drops control characters, so such text goes out as inline rich text
 * (`xml:space="preserve"`) with control characters (CR included) in OOXML's `_xHHHH_` escape, and a literal
 * `_xHHHH_` escaped in turn.
 */
export function xlsxValue(value: SheetValue): XlsxValue {
  if (typeof value !== 'string' || !FRAGILE_TEXT.test(value)) return value
  const text = value
    .replace(/_x([0-9A-Fa-f]{4})_/g, '_x005F_x$1_')
    .replace(/[\x00-\x08\x0B-\x1F\x7F]/g, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`)
  return { richText: [{ text }] }
}

/** Number format of date-time cells: visible, sortable, the same on every locale. */
export const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm:ss'

const WIDTH_BY_KIND: Readonly<Record<ColumnKind, number>> = { id: 18, text: 24, number: 12, datetime: 20 }
const MAX_WIDTH = 60

/**
 * A column width in characters: the header, the longest of the sampled values (the first rows, as a streamed
 * sheet must fix its widths before its first row), the kind's minimum, at most 60. Wide (CJK) characters count
 * twice.
 */
export function columnWidth(name: string, kind: ColumnKind, sample: readonly unknown[]): number {
  let width = Math.max(textWidth(name) + 2, kind === 'text' ? 12 : WIDTH_BY_KIND[kind])
  if (kind === 'datetime' || kind === 'number') return Math.min(width, MAX_WIDTH)
  for (const v of sample) {
    if (typeof v === 'string') width = Math.max(width, textWidth(v) + 2)
  }
  return Math.min(width, MAX_WIDTH)
}

function textWidth(text: string): number {
  let n = 0
  for (const ch of text.length > MAX_WIDTH ? text.slice(0, MAX_WIDTH) : text)
    n += (ch.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1
  return n
}

/** Rows a worksheet holds (Excel's and LibreOffice's limit), header included. */
export const SHEET_MAX_ROWS = 1_048_576

/** Names of the sheets a domain fills: `history`, then `history (2)`, `history (3)`… past the row limit. */
export function sheetName(domain: string, part: number): string {
  return part === 1 ? domain : `${domain} (${part})`
}
