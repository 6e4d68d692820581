/** Small helpers the stages share to split id lists and read few-row statements. */
import type { MesSource } from '../source/mes-source.ts'
import type { SqlQuery } from '../source/sql.ts'
import type { StageOptions } from './stage-options.ts'

/** Splits a list into consecutive slices of at most `size` items (the last may be shorter). */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/** Sorted unique strings: the canonical form of an id or name list. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort()
}

/**
 * Runs a statement whose result is small by construction (one batch of ids, a handful of rows each) and
 * returns every row. The source's cursor is closed by the `for await` on every path.
 */
export async function collectRows(source: MesSource, query: SqlQuery, opts: StageOptions): Promise<unknown[][]> {
  const rows: unknown[][] = []
  for await (const batch of source.stream(query, {
    fetchSize: opts.config.DB_SLOW_FETCHMANY_SIZE,
    signal: opts.signal,
  })) {
    for (const row of batch.rows) rows.push(row)
  }
  return rows
}

/** A column value as a trimmed string, or null for SQL NULL and blanks. */
export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null
  const s = String(value).trim()
  return s === '' ? null : s
}

/** A numeric column value (drivers may return BIGINT/NUMERIC as strings), or null. */
export function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null
  const n = typeof value === 'number' ? value : Number(value)
  return Number.isFinite(n) ? n : null
}
