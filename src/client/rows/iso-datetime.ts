/**
 * ISO 8601 date-times stored as numbers without losing their text. The server sends plant-local wall-clock
 * times (`2024-03-05T07:41:09`); a column keeps one shape (separator, fraction digits, zone suffix) and each
 * value's wall-clock fields as milliseconds "as if UTC", so sorting is numeric and the original text comes
 * back exactly (the CSV of a filtered view must match the server's). A value of another shape does not fit.
 */

/** The text layout shared by every value of a date-time column. */
export interface DateTimeShape {
  readonly dateOnly: boolean
  /** Character between date and time: `T` or a space. */
  readonly sep: string
  /** Digits after the seconds' dot (0 = no fraction), at most 3. */
  readonly fraction: number
  /** Literal zone suffix (`''`, `Z`, `+08:00`), kept as text: values are never converted between zones. */
  readonly zone: string
}

const DATE_NAME = /(DATE|TIMESTAMP)$/i

/** Whether a column's name says it holds date-times (TXNDATE, TRACKINTIMESTAMP...). */
export function isDateColumnName(name: string): boolean {
  return DATE_NAME.test(name)
}

const SHAPE = /^\d{4}-\d{2}-\d{2}(?:([T ])\d{2}:\d{2}:\d{2}(?:\.(\d{1,3}))?(Z|[+-]\d{2}:\d{2})?)?$/
const DAY_MS = 86_400_000

/** The shape of `text` when it is an ISO date or date-time, else undefined. */
export function detectShape(text: string): DateTimeShape | undefined {
  const m = SHAPE.exec(text)
  if (!m) return undefined
  if (m[1] === undefined) return { dateOnly: true, sep: '', fraction: 0, zone: '' }
  return { dateOnly: false, sep: m[1], fraction: m[2]?.length ?? 0, zone: m[3] ?? '' }
}

/** Whether two shapes lay text out the same way. */
export function sameShape(a: DateTimeShape, b: DateTimeShape): boolean {
  return a.dateOnly === b.dateOnly && a.sep === b.sep && a.fraction === b.fraction && a.zone === b.zone
}

function digits(text: string, at: number, n: number): number {
  let v = 0
  for (let i = at; i < at + n; i++) {
    const d = text.charCodeAt(i) - 48
    if (d < 0 || d > 9) return -1
    v = v * 10 + d
  }
  return v
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (days-from-civil, the inverse of `datePart`): plain
 * arithmetic, cheaper than a Date.UTC call per value, and years below 100 stay themselves (Date.UTC maps
 * them to 19xx).
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146_097 + doe - 719_468
}

/** Wall-clock milliseconds of `text` if it has exactly `shape` and real calendar fields, else NaN. */
export function parseWithShape(text: string, shape: DateTimeShape): number {
  const length = shape.dateOnly ? 10 : 19 + (shape.fraction > 0 ? 1 + shape.fraction : 0) + shape.zone.length
  if (text.length !== length || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN
  const year = digits(text, 0, 4)
  const month = digits(text, 5, 2)
  const day = digits(text, 8, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN
  const days = daysFromCivil(year, month, day)
  if (shape.dateOnly) return days * DAY_MS
  if (text[10] !== shape.sep || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Number.NaN
  const hour = digits(text, 11, 2)
  const minute = digits(text, 14, 2)
  const second = digits(text, 17, 2)
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN
  let ms = 0
  if (shape.fraction > 0) {
    if (text.charCodeAt(19) !== 46) return Number.NaN
    const f = digits(text, 20, shape.fraction)
    if (f < 0) return Number.NaN
    ms = f * 10 ** (3 - shape.fraction)
  }
  if (shape.zone !== '' && !text.endsWith(shape.zone)) return Number.NaN
  return days * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + ms
}

function pad(n: number, width: number): string {
  const s = String(n)
  return s.length >= width ? s : '0'.repeat(width - s.length) + s
}

/** `YYYY-MM-DD` of wall-clock milliseconds (civil-from-days arithmetic: no Date object per cell). */
function datePart(ms: number): string {
  const z = Math.floor(ms / DAY_MS) + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`
}

function timePart(ms: number, fraction: number): string {
  const inDay = ms - Math.floor(ms / DAY_MS) * DAY_MS
  const secs = Math.floor(inDay / 1000)
  const hms = `${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor(secs / 60) % 60, 2)}:${pad(secs % 60, 2)}`
  if (fraction === 0) return hms
  return `${hms}.${pad(inDay % 1000, 3).slice(0, fraction)}`
}

/** The exact original text of a value parsed with `shape`. */
export function formatWithShape(ms: number, shape: DateTimeShape): string {
  if (shape.dateOnly) return datePart(ms)
  return `${datePart(ms)}${shape.sep}${timePart(ms, shape.fraction)}${shape.zone}`
}

/** How the table shows it: `YYYY-MM-DD HH:mm:ss` (plant wall clock, as stored). */
export function formatDisplay(ms: number, shape: DateTimeShape): string {
  if (shape.dateOnly) return datePart(ms)
  return `${datePart(ms)} ${timePart(ms, shape.fraction)}${shape.zone ? ` ${shape.zone}` : ''}`
}
