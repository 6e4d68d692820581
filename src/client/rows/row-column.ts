/**
 * One column of streamed rows, stored by kind outside Vue's reactivity: numbers and date-times in chunked
 * Float64Arrays (NaN = null), text as ids into a per-column intern table (each distinct string kept once),
 * anything else in a plain array. The kind is chosen by the first non-null value and widened (to text or
 * mixed) when a later value does not fit, so nothing is ever lost or coerced.
 */
import { chunkedFloat64, chunkedUint32, type ChunkedArray } from './chunked-array.ts'
import { batchValues, type ColumnBatch } from './columnar-records.ts'
// Module files, not the faces: this runs in a Web Worker, where a face would load the page's modules (Vue, i18n).
import { formatNumber } from '../labels/format.ts'
import {
  detectShape,
  formatDisplay,
  formatWithShape,
  isDateColumnName,
  parseWithShape,
  sameShape,
  type DateTimeShape,
} from './iso-datetime.ts'
import { isNil } from './line-guards.ts'
import { StringInterner } from './string-interner.ts'

export type ColumnKind = 'empty' | 'number' | 'datetime' | 'text' | 'mixed'

/** A column's values copied out for sorting and filtering (on this thread or in a worker). */
export type ColumnSnapshot =
  | { readonly kind: 'empty'; readonly name: string }
  | { readonly kind: 'number'; readonly name: string; readonly values: Float64Array }
  | { readonly kind: 'datetime'; readonly name: string; readonly values: Float64Array; readonly shape: DateTimeShape }
  | { readonly kind: 'text'; readonly name: string; readonly ids: Uint32Array; readonly strings: readonly string[] }
  | { readonly kind: 'mixed'; readonly name: string; readonly values: readonly unknown[] }

/** Display text of a value that is neither number, date-time nor string. */
export function displayUnknown(v: unknown): string {
  if (isNil(v)) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  return JSON.stringify(v)
}

export class RowColumn {
  kind: ColumnKind = 'empty'
  /** Rows written, nulls included. */
  length = 0
  private nums: ChunkedArray<Float64Array> | null = null
  private ids: ChunkedArray<Uint32Array> | null = null
  private readonly interner = new StringInterner()
  private mixed: unknown[] | null = null
  private shape: DateTimeShape | null = null
  private readonly dateHint: boolean
  /** Per string list of the text batches appended (one per parser of a read): its ids as this column's ids. */
  private readonly remaps = new WeakMap<readonly string[], number[]>()

  constructor(readonly name: string) {
    this.dateHint = isDateColumnName(name)
  }

  /** Appends `rows[r][index]` for every row; returns true when the column changed kind on the way. */
  appendFrom(rows: readonly (readonly unknown[])[], index: number): boolean {
    let changed = false
    let r = 0
    while (r < rows.length) {
      r = this.appendRun(rows, index, r)
      if (r < rows.length) {
        this.widenFor(rows[r][index])
        changed = true
      }
    }
    return changed
  }

  /**
   * Appends `count` rows of a columnar batch: typed arrays are copied when the batch has the column's kind
   * (or the kind an empty column would take from it), else the values go through `appendFrom`. Returns true
   * when the column changed kind.
   */
  appendBatch(batch: ColumnBatch, count: number): boolean {
    if (count === 0) return false
    const was = this.kind
    switch (batch.kind) {
      case 'nulls':
        this.appendNulls(count)
        return false
      case 'number':
        if (was === 'empty') this.widenFor(0)
        if (this.kind !== 'number') break
        this.copyNumbers(batch.values, count)
        return was !== this.kind
      case 'datetime':
        if (was === 'empty' && this.dateHint) this.becomeDatetime(batch.shape)
        if (this.kind !== 'datetime' || !sameShape(this.shape!, batch.shape)) break
        this.copyNumbers(batch.values, count)
        return was !== this.kind
      case 'text':
        // An empty date-named column must see its first string itself: it may be a date-time.
        if (was === 'empty' && !this.dateHint) this.becomeText()
        if (this.kind !== 'text') break
        this.copyIds(batch.ids, batch.strings, count)
        return was !== this.kind
    }
    const values = batchValues(batch, count)
    return (
      this.appendFrom(
        values.map((v) => [v]),
        0,
      ) || was !== this.kind
    )
  }

  /** The value as received (date-times as their original text); null for null. */
  raw(row: number): unknown {
    switch (this.kind) {
      case 'empty':
        return null
      case 'number': {
        const v = this.nums!.get(row)
        return Number.isNaN(v) ? null : v
      }
      case 'datetime': {
        const v = this.nums!.get(row)
        return Number.isNaN(v) ? null : formatWithShape(v, this.shape!)
      }
      case 'text': {
        const id = this.ids!.get(row)
        return id === 0 ? null : this.interner.strings[id]
      }
      case 'mixed':
        return this.mixed![row] ?? null
    }
  }

  /** The value as the table shows it. */
  display(row: number): string {
    switch (this.kind) {
      case 'number': {
        const v = this.nums!.get(row)
        return Number.isNaN(v) ? '' : formatNumber(this.name, v)
      }
      case 'datetime': {
        const v = this.nums!.get(row)
        return Number.isNaN(v) ? '' : formatDisplay(v, this.shape!)
      }
      case 'text':
        return this.interner.strings[this.ids!.get(row)]
      default:
        return displayUnknown(this.raw(row))
    }
  }

  /** Whether the column holds numbers (right-aligned in the table). */
  isNumeric(): boolean {
    return this.kind === 'number'
  }

  /** Distinct strings held (text columns). */
  distinctCount(): number {
    return this.interner.size
  }

  /** The first `length` values, copied (typed arrays are fresh and transferable). */
  snapshot(length: number): ColumnSnapshot {
    const name = this.name
    switch (this.kind) {
      case 'empty':
        return { kind: 'empty', name }
      case 'number':
        return { kind: 'number', name, values: this.nums!.toContiguous(length) }
      case 'datetime':
        return { kind: 'datetime', name, values: this.nums!.toContiguous(length), shape: this.shape! }
      case 'text':
        return { kind: 'text', name, ids: this.ids!.toContiguous(length), strings: this.interner.strings }
      case 'mixed':
        return { kind: 'mixed', name, values: this.mixed!.slice(0, length) }
    }
  }

  private appendNulls(count: number): void {
    const at = this.length
    switch (this.kind) {
      case 'number':
      case 'datetime':
        this.nums!.reserve(at + count)
        for (let i = 0; i < count; i++) this.nums!.put(at + i, Number.NaN)
        break
      case 'text':
        this.ids!.reserve(at + count)
        for (let i = 0; i < count; i++) this.ids!.put(at + i, 0)
        break
      case 'mixed':
        for (let i = 0; i < count; i++) this.mixed![at + i] = null
        break
      case 'empty':
        break
    }
    this.length = at + count
  }

  private copyNumbers(values: Float64Array, count: number): void {
    const nums = this.nums!
    const at = this.length
    nums.reserve(at + count)
    for (let i = 0; i < count; i++) nums.put(at + i, values[i])
    this.length = at + count
  }

  /**
   * Copies ids given against `strings`, translating each distinct one to this column's id the first time it
   * is used (-1 = not yet): a list can hold strings this column never had (the same position in a domain that
   * restarted with other columns), and they must not enter its intern table.
   */
  private copyIds(ids: Uint32Array, strings: readonly string[], count: number): void {
    let remap = this.remaps.get(strings)
    if (!remap) this.remaps.set(strings, (remap = [0]))
    while (remap.length < strings.length) remap.push(-1)
    const out = this.ids!
    const at = this.length
    out.reserve(at + count)
    for (let i = 0; i < count; i++) {
      const id = ids[i]
      let mine = remap[id]
      if (mine < 0) mine = remap[id] = this.interner.intern(strings[id])
      out.put(at + i, mine)
    }
    this.length = at + count
  }

  private becomeDatetime(shape: DateTimeShape): void {
    this.kind = 'datetime'
    this.shape = shape
    this.nums = chunkedFloat64()
    this.nums.reserve(this.length)
  }

  private becomeText(): void {
    this.kind = 'text'
    this.ids = chunkedUint32()
    this.ids.reserve(this.length)
  }

  /** Writes values from row `r` on while they fit the current kind; returns the first row that did not. */
  private appendRun(rows: readonly (readonly unknown[])[], index: number, r: number): number {
    const n = rows.length
    let at = this.length
    this.nums?.reserve(at + n - r)
    this.ids?.reserve(at + n - r)
    switch (this.kind) {
      case 'empty':
        while (r < n && isNil(rows[r][index])) {
          r++
          at++
        }
        break
      case 'number': {
        const nums = this.nums!
        for (; r < n; r++, at++) {
          const v = rows[r][index]
          if (typeof v === 'number') nums.put(at, v)
          else if (isNil(v)) nums.put(at, Number.NaN)
          else break
        }
        break
      }
      case 'datetime': {
        const nums = this.nums!
        const shape = this.shape!
        for (; r < n; r++, at++) {
          const v = rows[r][index]
          if (isNil(v)) {
            nums.put(at, Number.NaN)
            continue
          }
          if (typeof v !== 'string') break
          const ms = parseWithShape(v, shape)
          if (Number.isNaN(ms)) break
          nums.put(at, ms)
        }
        break
      }
      case 'text': {
        const ids = this.ids!
        for (; r < n; r++, at++) {
          const v = rows[r][index]
          if (typeof v === 'string') ids.put(at, this.interner.intern(v))
          else if (isNil(v)) ids.put(at, 0)
          else break
        }
        break
      }
      case 'mixed': {
        const mixed = this.mixed!
        for (; r < n; r++, at++) {
          const v = rows[r][index]
          mixed[at] = typeof v === 'string' ? this.interner.strings[this.interner.intern(v)] : (v ?? null)
        }
        break
      }
    }
    this.length = at
    return r
  }

  /** Moves to a kind that can hold `value` (never narrower), converting what is stored. */
  private widenFor(value: unknown): void {
    if (this.kind === 'empty') {
      if (typeof value === 'number') {
        this.kind = 'number'
        this.nums = chunkedFloat64()
        this.nums.reserve(this.length)
        return
      }
      if (typeof value === 'string') {
        const shape = this.dateHint ? detectShape(value) : undefined
        if (shape) this.becomeDatetime(shape)
        else this.becomeText()
        return
      }
      this.kind = 'mixed'
      this.mixed = new Array<unknown>(this.length).fill(null)
      return
    }
    if (this.kind === 'datetime' && typeof value === 'string') {
      const ids = chunkedUint32()
      ids.reserve(this.length)
      for (let i = 0; i < this.length; i++) {
        const v = this.nums!.get(i)
        if (!Number.isNaN(v)) ids.set(i, this.interner.intern(formatWithShape(v, this.shape!)))
      }
      this.kind = 'text'
      this.ids = ids
      this.nums = null
      this.shape = null
      return
    }
    const mixed = new Array<unknown>(this.length)
    for (let i = 0; i < this.length; i++) mixed[i] = this.raw(i)
    this.kind = 'mixed'
    this.mixed = mixed
    this.nums = null
    this.ids = null
    this.shape = null
  }
}
