/**
 * Streamed rows, per domain, kept column by column outside Vue's reactivity (see row-column.ts). Components
 * read them through a version counter the composable bumps once per animation frame; rows never enter
 * Pinia or the vue-query cache.
 */
import type { Domain } from '../../shared/domains.ts'
import type { ColumnBatch } from './columnar-records.ts'
import { RowColumn, type ColumnSnapshot } from './row-column.ts'

const NULLS: ColumnBatch = { kind: 'nulls' }

/** A table of rows in a fixed column order: one domain's events, or any other list the table shows. */
export class RowTable {
  readonly columns: readonly RowColumn[]
  /** Rows stored. */
  length = 0
  /** Bumped when a column changes kind (its display changes for rows already shown). */
  schemaVersion = 0

  constructor(
    readonly name: string,
    readonly columnNames: readonly string[],
  ) {
    this.columns = columnNames.map((c) => new RowColumn(c))
  }

  /** Appends rows given as arrays in `columnNames` order (missing trailing values are null). */
  appendRows(rows: readonly (readonly unknown[])[]): void {
    if (rows.length === 0) return
    for (let c = 0; c < this.columns.length; c++) {
      if (this.columns[c].appendFrom(rows, c)) this.schemaVersion++
    }
    this.length += rows.length
  }

  /** Appends `count` rows given column by column (a column past the batch's end is all null). */
  appendColumns(batch: readonly ColumnBatch[], count: number): void {
    if (count === 0) return
    for (let c = 0; c < this.columns.length; c++) {
      if (this.columns[c].appendBatch(batch[c] ?? NULLS, count)) this.schemaVersion++
    }
    this.length += count
  }

  /** Appends rows given as objects keyed by column name (`?shape=objects`, legacy results). */
  appendObjects(objects: readonly Record<string, unknown>[]): void {
    const names = this.columnNames
    this.appendRows(objects.map((o) => names.map((n) => o[n])))
  }

  /** The value as received. */
  raw(row: number, column: number): unknown {
    return this.columns[column].raw(row)
  }

  /** The value as the table shows it. */
  display(row: number, column: number): string {
    return this.columns[column].display(row)
  }

  /** Every column's values for the first `length` rows, copied. */
  snapshot(length = this.length): ColumnSnapshot[] {
    return this.columns.map((c) => c.snapshot(length))
  }
}

/** One RowTable per domain, in the order the stream started them. */
export class RowStore {
  private readonly tables = new Map<Domain, RowTable>()

  /** The domain's table, created on first start; a restart with other columns replaces it (new attempt). */
  start(domain: Domain, columns: readonly string[]): RowTable {
    const existing = this.tables.get(domain)
    if (existing && sameColumns(existing.columnNames, columns)) return existing
    const table = new RowTable(domain, columns)
    this.tables.set(domain, table)
    return table
  }

  /** The domain's table, if started. */
  get(domain: Domain): RowTable | undefined {
    return this.tables.get(domain)
  }

  /** Started domains in start order. */
  domains(): Domain[] {
    return [...this.tables.keys()]
  }

  /** Rows across all domains. */
  totalRows(): number {
    let n = 0
    for (const t of this.tables.values()) n += t.length
    return n
  }

  /** Drops every table (a new trace). */
  clear(): void {
    this.tables.clear()
  }
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i])
}
