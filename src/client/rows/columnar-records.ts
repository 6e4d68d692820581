/**
 * A `records` line turned column by column into typed arrays, so that it can cross from the parsing worker
 * to the page without copying rows (the buffers are transferred) and be appended to a RowColumn without
 * looking at each value again. Text travels as ids: the worker sends each distinct string of a column once
 * (`added`), and the page keeps the growing list (`strings`) for the rest of the read.
 */
import type { Domain } from '../../shared/domains.ts'
import type { DateTimeShape } from './iso-datetime.ts'
import { formatWithShape } from './iso-datetime.ts'

/** One column of one batch, as the page appends it. */
export type ColumnBatch =
  | { readonly kind: 'nulls' }
  | { readonly kind: 'number'; readonly values: Float64Array }
  | { readonly kind: 'datetime'; readonly values: Float64Array; readonly shape: DateTimeShape }
  /** `strings[ids[r]]`; id 0 is null. `strings` is shared by every batch of the column in one read. */
  | { readonly kind: 'text'; readonly ids: Uint32Array; readonly strings: readonly string[] }
  /** Values of no single kind, as received. */
  | { readonly kind: 'raw'; readonly values: readonly unknown[] }

/** A column as the worker posts it: text carries only the strings first seen in this batch. */
export type EncodedColumn =
  | Exclude<ColumnBatch, { kind: 'text' }>
  | { readonly kind: 'text'; readonly ids: Uint32Array; readonly added: readonly string[] }

interface RecordsOf<C> {
  readonly domain: Domain
  readonly batch: number
  readonly count: number
  /** By column index; a column past the end is all null. */
  readonly columns: readonly C[]
}

export type EncodedRecords = RecordsOf<EncodedColumn>
export type ColumnarRecords = RecordsOf<ColumnBatch>

/** A parsed line of the stream: as parsed, or (a well-formed `records` line with rows) encoded by column. */
export type StreamItem<R = EncodedRecords> =
  | { readonly kind: 'line'; readonly line: unknown; readonly lineNumber: number }
  | { readonly kind: 'records'; readonly records: R; readonly lineNumber: number }

/** What the page receives: records with their text columns' full string lists. */
export type ReceivedItem = StreamItem<ColumnarRecords>

/** The buffers of an item, to transfer rather than copy. */
export function transferablesOf(item: StreamItem): ArrayBuffer[] {
  if (item.kind !== 'records') return []
  const out: ArrayBuffer[] = []
  for (const c of item.records.columns) {
    if (c.kind === 'number' || c.kind === 'datetime') out.push(c.values.buffer as ArrayBuffer)
    else if (c.kind === 'text') out.push(c.ids.buffer as ArrayBuffer)
  }
  return out
}

/**
 * The page's side of the string lists: appends each batch's new strings to its column's list. One per parser
 * and read, as the parser's interners are.
 */
export class StringLists {
  private readonly lists = new Map<string, string[]>()

  /** The item with text columns resolved against the lists. */
  receive(item: StreamItem): ReceivedItem {
    if (item.kind === 'line') return item
    const { domain } = item.records
    const columns = item.records.columns.map((c, i): ColumnBatch => {
      if (c.kind !== 'text') return c
      const key = `${domain}\u0000${i}`
      let strings = this.lists.get(key)
      if (!strings) this.lists.set(key, (strings = ['']))
      for (const s of c.added) strings.push(s)
      return { kind: 'text', ids: c.ids, strings }
    })
    return { ...item, records: { ...item.records, columns } }
  }
}

/** A batch's values as received (null for null): the slow path, for a column whose kind changes. */
export function batchValues(batch: ColumnBatch, count: number): readonly unknown[] {
  switch (batch.kind) {
    case 'nulls':
      return new Array<unknown>(count).fill(null)
    case 'number':
      return Array.from(batch.values, (v) => (Number.isNaN(v) ? null : v))
    case 'datetime':
      return Array.from(batch.values, (v) => (Number.isNaN(v) ? null : formatWithShape(v, batch.shape)))
    case 'text':
      return Array.from(batch.ids, (id) => (id === 0 ? null : batch.strings[id]))
    case 'raw':
      return batch.values
  }
}
