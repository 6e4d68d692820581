/**
 * Sort and filter over loaded rows as an index permutation (never copied rows). Pure, so it runs on the
 * main thread for small tables and in a Web Worker for big ones (table-view.worker.ts).
 */
// Module files, not the faces: this runs in a Web Worker, where a face would load the page's modules (Vue, i18n).
import { formatDisplay, type DateTimeShape } from '../rows/iso-datetime.ts'
import { displayUnknown, type ColumnSnapshot } from '../rows/row-column.ts'

export interface SortSpec {
  readonly column: number
  readonly direction: 'asc' | 'desc'
}

export interface ViewSpec {
  readonly sort: SortSpec | null
  /** Case-insensitive text every shown row contains in some cell ('' = no filter). */
  readonly filter: string
}

/** Whether a spec changes nothing (the table shows rows in arrival order). */
export function isIdentityView(spec: ViewSpec): boolean {
  return spec.sort === null && spec.filter.trim() === ''
}

const DATE_CHARS = /^[0-9\-: .TZ+]+$/
const NUMBER_CHARS = /^[0-9.\-e+]+$/

type RowTest = (row: number) => boolean

/** A per-row test "some cell of this column contains the needle", or null when the column cannot match. */
function columnTest(col: ColumnSnapshot, needle: string): RowTest | null {
  switch (col.kind) {
    case 'empty':
      return null
    case 'text': {
      const mask = new Uint8Array(col.strings.length)
      let any = false
      for (let i = 1; i < col.strings.length; i++) {
        if (col.strings[i].toLowerCase().includes(needle)) {
          mask[i] = 1
          any = true
        }
      }
      const ids = col.ids
      return any ? (r) => mask[ids[r]] === 1 : null
    }
    case 'number': {
      if (!NUMBER_CHARS.test(needle)) return null
      const values = col.values
      return (r) => !Number.isNaN(values[r]) && String(values[r]).includes(needle)
    }
    case 'datetime':
      return DATE_CHARS.test(needle) ? dateTimeTest(col.values, col.shape, needle) : null
    case 'mixed': {
      const values = col.values
      return (r) => displayUnknown(values[r]).toLowerCase().includes(needle)
    }
  }
}

const DAY_MS = 86_400_000

/**
 * Date-time cells match on their displayed text (`YYYY-MM-DD HH:mm:ss`). Formatting 2 M cells is slow, so
 * the day part is tested once per distinct day and the time part once per second of the day; a needle with
 * the space in it must end the day part and start the time part.
 */
function dateTimeTest(values: Float64Array, shape: DateTimeShape, needle: string): RowTest | null {
  if (shape.dateOnly || shape.fraction > 0 || shape.zone !== '') {
    return (r) => !Number.isNaN(values[r]) && formatDisplay(values[r], shape).toLowerCase().includes(needle)
  }
  const parts = needle.split(' ')
  if (parts.length > 2) return null
  const [dayNeedle, timeNeedle] = parts
  const spans = parts.length === 2
  const dayShape = { ...shape, dateOnly: true }
  const days = new Map<number, boolean>()
  const times = new Int8Array(86_400).fill(-1)
  return (r) => {
    const v = values[r]
    if (Number.isNaN(v)) return false
    const day = Math.floor(v / DAY_MS)
    let dayHit = days.get(day)
    if (dayHit === undefined) {
      const text = formatDisplay(day * DAY_MS, dayShape)
      dayHit = spans ? text.endsWith(dayNeedle) : text.includes(dayNeedle)
      days.set(day, dayHit)
    }
    if (dayHit && !spans) return true
    if (!dayHit && spans) return false
    const second = Math.floor((v - day * DAY_MS) / 1000)
    if (times[second] === -1) {
      const text = formatDisplay(v, shape).slice(11)
      times[second] = (spans ? text.startsWith(timeNeedle) : text.includes(dayNeedle)) ? 1 : 0
    }
    return times[second] === 1
  }
}

/** Rows (in arrival order) that contain `filter` in some cell. */
export function filterRows(columns: readonly ColumnSnapshot[], length: number, filter: string): Uint32Array {
  const needle = filter.trim().toLowerCase()
  const tests = columns.map((c) => columnTest(c, needle)).filter((t): t is RowTest => t !== null)
  const out = new Uint32Array(length)
  let n = 0
  for (let r = 0; r < length; r++) {
    for (const test of tests) {
      if (test(r)) {
        out[n++] = r
        break
      }
    }
  }
  return out.slice(0, n)
}

function denseRanks(sortedUnique: ArrayLike<number>, value: number): number {
  let lo = 0
  let hi = sortedUnique.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sortedUnique[mid] < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** A dense rank per row (0 = smallest), NaN for null; and how many distinct ranks there are. */
function rankRows(col: ColumnSnapshot, rows: Uint32Array): { ranks: Float64Array; distinct: number } {
  const ranks = new Float64Array(rows.length).fill(Number.NaN)
  if (col.kind === 'empty') return { ranks, distinct: 0 }
  if (col.kind === 'text') {
    // Rank the distinct strings once, then rows by their string's rank.
    const order = Array.from({ length: col.strings.length - 1 }, (_, i) => i + 1)
    order.sort((a, b) => (col.strings[a] < col.strings[b] ? -1 : col.strings[a] > col.strings[b] ? 1 : 0))
    const rankOfId = new Float64Array(col.strings.length)
    order.forEach((id, rank) => (rankOfId[id] = rank))
    for (let i = 0; i < rows.length; i++) {
      const id = col.ids[rows[i]]
      if (id !== 0) ranks[i] = rankOfId[id]
    }
    return { ranks, distinct: order.length }
  }
  if (col.kind === 'mixed') {
    const text = Array.from(rows, (r) =>
      col.values[r] === null || col.values[r] === undefined ? null : displayUnknown(col.values[r]),
    )
    const distinct = [...new Set(text.filter((t): t is string => t !== null))].sort()
    const rankOf = new Map(distinct.map((t, i) => [t, i]))
    text.forEach((t, i) => {
      if (t !== null) ranks[i] = rankOf.get(t)!
    })
    return { ranks, distinct: distinct.length }
  }
  const values = col.values
  const present = new Float64Array(rows.length)
  let n = 0
  for (let i = 0; i < rows.length; i++) {
    const v = values[rows[i]]
    if (!Number.isNaN(v)) present[n++] = v
  }
  const sorted = present.subarray(0, n).sort()
  let u = 0
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[u - 1]) sorted[u++] = sorted[i]
  const unique = sorted.subarray(0, u)
  for (let i = 0; i < rows.length; i++) {
    const v = values[rows[i]]
    if (!Number.isNaN(v)) ranks[i] = denseRanks(unique, v)
  }
  return { ranks, distinct: u }
}

const POSITION_BITS = 2 ** 22

/** `rows` reordered by a column (stable; nulls last in both directions). */
export function sortRows(column: ColumnSnapshot, rows: Uint32Array, direction: 'asc' | 'desc'): Uint32Array {
  const { ranks, distinct } = rankRows(column, rows)
  const keyOf = (i: number): number => {
    const r = ranks[i]
    if (Number.isNaN(r)) return distinct
    return direction === 'asc' ? r : distinct - 1 - r
  }
  if (rows.length < POSITION_BITS) {
    // rank and position packed into one double: a native numeric sort, no comparator calls.
    const packed = new Float64Array(rows.length)
    for (let i = 0; i < rows.length; i++) packed[i] = keyOf(i) * POSITION_BITS + i
    packed.sort()
    const out = new Uint32Array(rows.length)
    for (let i = 0; i < rows.length; i++) out[i] = rows[packed[i] % POSITION_BITS]
    return out
  }
  const positions = Array.from({ length: rows.length }, (_, i) => i)
  positions.sort((a, b) => keyOf(a) - keyOf(b) || a - b)
  return Uint32Array.from(positions, (p) => rows[p])
}

/** The rows to show, in order; null when the spec changes nothing. */
export function computeView(columns: readonly ColumnSnapshot[], length: number, spec: ViewSpec): Uint32Array | null {
  if (isIdentityView(spec)) return null
  let rows = spec.filter.trim() ? filterRows(columns, length, spec.filter) : Uint32Array.from({ length }, (_, i) => i)
  if (spec.sort && columns[spec.sort.column]) rows = sortRows(columns[spec.sort.column], rows, spec.sort.direction)
  return rows
}
