/**
 * Turns `records` lines into columnar batches (see columnar-records.ts). Runs where the stream is parsed (a Web
 * Worker in the browser): the per-value work (type checks, date-time parsing, string de-duplication) happens
 * there, and the page only copies typed arrays. The choice of kind per batch mirrors RowColumn's rules; when it
 * guesses differently from the page's column, the page falls back to appending the values one by one, so a
 * wrong guess costs time, never data.
 */
import { DOMAIN_COLUMNS, type Domain } from '../../shared/domains.ts'
import type { EncodedColumn, EncodedRecords, StreamItem } from './columnar-records.ts'
import { detectShape, isDateColumnName, parseWithShape, type DateTimeShape } from './iso-datetime.ts'
import { isCount, isDomain, isNil } from './line-guards.ts'
import { StringInterner } from './string-interner.ts'

/** What the encoder has learnt of one column: once text or raw, it stays so (as the page's column does). */
class ColumnEncoder {
  private mode: 'auto' | 'text' | 'raw' = 'auto'
  private shape: DateTimeShape | undefined

  /**
   * @param interner ids already sent for this column position in this read: the page's string list for the
   *   position goes on from them, so a restarted domain keeps the interner though its columns change
   */
  constructor(
    private readonly dateHint: boolean,
    private readonly interner: StringInterner,
  ) {}

  encode(rows: readonly (readonly unknown[])[], c: number): EncodedColumn {
    let first = 0
    while (first < rows.length && isNil(rows[first][c])) first++
    if (first === rows.length) return { kind: 'nulls' }
    const v = rows[first][c]
    if (this.mode === 'auto' && typeof v === 'number') return this.numbers(rows, c) ?? this.raw(rows, c)
    if (this.mode !== 'raw' && typeof v === 'string') {
      if (this.mode === 'auto' && this.dateHint) {
        const shape = this.shape ?? detectShape(v)
        const dates = shape && this.dates(rows, c, shape)
        if (dates) {
          this.shape = shape
          return dates
        }
      }
      return this.text(rows, c) ?? this.raw(rows, c)
    }
    return this.raw(rows, c)
  }

  private numbers(rows: readonly (readonly unknown[])[], c: number): EncodedColumn | null {
    const values = new Float64Array(rows.length)
    for (let r = 0; r < rows.length; r++) {
      const v = rows[r][c]
      if (typeof v === 'number') values[r] = v
      else if (isNil(v)) values[r] = Number.NaN
      else return null
    }
    return { kind: 'number', values }
  }

  private dates(rows: readonly (readonly unknown[])[], c: number, shape: DateTimeShape): EncodedColumn | null {
    const values = new Float64Array(rows.length)
    for (let r = 0; r < rows.length; r++) {
      const v = rows[r][c]
      if (isNil(v)) {
        values[r] = Number.NaN
        continue
      }
      if (typeof v !== 'string') return null
      const ms = parseWithShape(v, shape)
      if (Number.isNaN(ms)) return null
      values[r] = ms
    }
    return { kind: 'datetime', values, shape }
  }

  private text(rows: readonly (readonly unknown[])[], c: number): EncodedColumn | null {
    const ids = new Uint32Array(rows.length)
    const before = this.interner.strings.length
    for (let r = 0; r < rows.length; r++) {
      const v = rows[r][c]
      if (typeof v === 'string') ids[r] = this.interner.intern(v)
      else if (!isNil(v)) return null
    }
    this.mode = 'text'
    return { kind: 'text', ids, added: this.interner.strings.slice(before) }
  }

  private raw(rows: readonly (readonly unknown[])[], c: number): EncodedColumn {
    this.mode = 'raw'
    return { kind: 'raw', values: rows.map((row) => row[c] ?? null) }
  }
}

export class RecordsEncoder {
  private readonly columnNames = new Map<Domain, readonly string[]>()
  private readonly encoders = new Map<Domain, ColumnEncoder[]>()
  /** Outlive the encoders: a restarted domain's text keeps the ids the page already has. */
  private readonly interners = new Map<Domain, StringInterner[]>()

  /**
   * The item for a parsed line: a `records` line with `rows` that the page would accept is encoded; anything
   * else (other line types, `data` objects, a line the page will reject) passes as parsed.
   */
  item(line: unknown, lineNumber: number): StreamItem {
    const records = this.encode(line)
    return records ? { kind: 'records', records, lineNumber } : { kind: 'line', line, lineNumber }
  }

  private encode(line: unknown): EncodedRecords | null {
    if (typeof line !== 'object' || line === null) return null
    const l = line as Record<string, unknown>
    if (l.type === 'domain_start' && isDomain(l.domain) && Array.isArray(l.columns))
      this.start(l.domain, l.columns.map(String))
    if (l.type !== 'records') return null
    const { domain, batch, count, rows } = l
    if (!isDomain(domain) || !isCount(batch) || !isCount(count) || !Array.isArray(rows) || rows.length !== count)
      return null
    if (!rows.every(Array.isArray)) return null
    const typed = rows as unknown[][]
    let width = 0
    for (const row of typed) if (row.length > width) width = row.length
    const encoders = this.encodersFor(domain, width)
    const columns: EncodedColumn[] = []
    for (let c = 0; c < width; c++) columns.push(encoders[c].encode(typed, c))
    return { domain, batch, count, columns }
  }

  private start(domain: Domain, columns: readonly string[]): void {
    const known = this.columnNames.get(domain)
    if (known && known.length === columns.length && known.every((c, i) => c === columns[i])) return
    this.columnNames.set(domain, columns)
    this.encoders.delete(domain)
  }

  private encodersFor(domain: Domain, width: number): ColumnEncoder[] {
    const names = this.columnNames.get(domain) ?? DOMAIN_COLUMNS[domain]
    let list = this.encoders.get(domain)
    if (!list) this.encoders.set(domain, (list = []))
    let interners = this.interners.get(domain)
    if (!interners) this.interners.set(domain, (interners = []))
    while (list.length < width) {
      const c = list.length
      interners[c] ??= new StringInterner()
      list.push(new ColumnEncoder(isDateColumnName(names[c] ?? ''), interners[c]))
    }
    return list
  }
}
